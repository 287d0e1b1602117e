"""Verification of the sidebar's ZAF JWTs (design.md §6).

Zendesk's proxy signs whatever claims the browser supplies with the installation's shared secret
(HS256). So the tenant is the one whose secret verifies the signature: look the tenant up by `iss`,
then verify with that tenant's secret only. The agent id in `sub` is asserted by the browser, not
proven, and is labelled as such everywhere it is recorded.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import jwt

from backend.store.tenants import Tenant, TenantDirectory

ALGORITHM = "HS256"
ISSUER_SUFFIX = ".zendesk.com"


class TokenError(Exception):
    """The bearer token is missing or not acceptable; `str()` is safe to show to the caller."""


@dataclass(frozen=True)
class AgentIdentity:
    """Who is calling: the verified tenant and the agent and ticket its token asserts."""

    tenant: Tenant
    asserted_agent_id: str | None
    ticket_id: int | None
    claims: dict[str, Any]


@dataclass(frozen=True)
class JwtPolicy:
    """The limits a token must meet."""

    audience: str
    max_lifetime_seconds: int = 3600
    leeway_seconds: int = 30


def bearer_token(authorization_header: str | None) -> str:
    """Extract the token from an `Authorization: Bearer <token>` header."""
    if not authorization_header:
        raise TokenError("Missing Authorization header")
    scheme, _, token = authorization_header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise TokenError("Authorization header must be 'Bearer <token>'")
    return token.strip()


def subdomain_from_issuer(issuer: Any) -> str | None:
    """`acme.zendesk.com` (optionally with https://) → `acme`; anything else → None."""
    if not isinstance(issuer, str):
        return None
    host = issuer.removeprefix("https://").rstrip("/")
    if not host.endswith(ISSUER_SUFFIX):
        return None
    subdomain = host[: -len(ISSUER_SUFFIX)]
    return subdomain if subdomain and "." not in subdomain else None


def verify_agent_token(
    token: str, tenants: TenantDirectory, policy: JwtPolicy, now: float | None = None
) -> AgentIdentity:
    """Verify a sidebar JWT and return the caller's identity, or raise TokenError."""
    try:
        header = jwt.get_unverified_header(token)
        unverified = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        raise TokenError("Malformed token") from None
    if header.get("alg") != ALGORITHM:
        raise TokenError(f"Token must be signed with {ALGORITHM}")
    subdomain = subdomain_from_issuer(unverified.get("iss"))
    tenant = tenants.get(subdomain) if subdomain else None
    if tenant is None:
        raise TokenError("Unknown issuer: this backend does not serve that Zendesk account")
    current = time.time() if now is None else now
    try:
        claims = jwt.decode(
            token,
            tenant.shared_secret,
            algorithms=[ALGORITHM],
            audience=policy.audience,
            leeway=policy.leeway_seconds,
            options={"require": ["exp", "iss", "aud"]},
        )
    except jwt.ExpiredSignatureError:
        raise TokenError("Token expired") from None
    except jwt.ImmatureSignatureError:
        raise TokenError("Token not yet valid") from None
    except jwt.InvalidAudienceError:
        raise TokenError("Token audience is wrong") from None
    except jwt.MissingRequiredClaimError as exc:
        raise TokenError(f"Token lacks the '{exc.claim}' claim") from None
    except jwt.InvalidSignatureError:
        raise TokenError("Token signature does not verify") from None
    except jwt.PyJWTError:
        raise TokenError("Invalid token") from None
    _check_lifetime(claims, policy, current)
    return AgentIdentity(
        tenant=tenant,
        asserted_agent_id=_optional_str(claims.get("sub")),
        ticket_id=_optional_int(claims.get("ticket_id")),
        claims=claims,
    )


def _check_lifetime(claims: dict[str, Any], policy: JwtPolicy, now: float) -> None:
    exp = claims["exp"]
    if not isinstance(exp, int | float):
        raise TokenError("Token 'exp' must be a number")
    issued = claims.get("iat")
    if issued is not None and not isinstance(issued, int | float):
        raise TokenError("Token 'iat' must be a number")
    start = issued if issued is not None else now
    # Without iat we can only bound what is left; the leeway absorbs clock skew in that case.
    allowance = 0 if issued is not None else policy.leeway_seconds
    if exp - start > policy.max_lifetime_seconds + allowance:
        raise TokenError(f"Token lifetime exceeds {policy.max_lifetime_seconds} seconds")


def _optional_str(value: Any) -> str | None:
    return None if value is None else str(value)[:64]


def _optional_int(value: Any) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def mint_agent_token(
    tenant: Tenant,
    policy: JwtPolicy,
    *,
    agent_id: str = "1",
    ticket_id: int | None = None,
    lifetime: int = 300,
) -> str:
    """Mint a token the way Zendesk's proxy does (demo CLI and the workbench use this)."""
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": tenant.issuer,
        "aud": policy.audience,
        "sub": agent_id,
        "iat": now,
        "exp": now + lifetime,
    }
    if ticket_id is not None:
        claims["ticket_id"] = ticket_id
    return jwt.encode(claims, tenant.shared_secret, algorithm=ALGORITHM)
