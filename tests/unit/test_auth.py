"""The sidebar JWT gate: every malformed, forged or stale token is refused with 401."""

from __future__ import annotations

import base64
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from backend.auth import JwtPolicy, TokenError, bearer_token, subdomain_from_issuer, verify_agent_token
from backend.store.tenants import PhotoShelterCredentials, Tenant, TenantDirectory, ZendeskCredentials
from tests.conftest import DEMO_SECRET

AUD = "photoshelter-for-zendesk"
OTHER_SECRET = "another-tenants-secret-abcdefghijklmnop"
CREDS = PhotoShelterCredentials(base_url="https://ps.example/psapi/v4.0", api_key="k" * 32)
ZD = ZendeskCredentials(base_url="https://demo.zendesk.com", email="a@b.c", api_token="t" * 40)


def claims(**overrides):
    now = int(time.time())
    base = {"iss": "demo.zendesk.com", "aud": AUD, "sub": "42", "iat": now, "exp": now + 300, "ticket_id": 7}
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def sign(payload, secret=DEMO_SECRET, alg="HS256", headers=None):
    return jwt.encode(payload, secret, algorithm=alg, headers=headers)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unsigned(payload, alg="none"):
    header = b64(json.dumps({"alg": alg, "typ": "JWT"}).encode())
    return f"{header}.{b64(json.dumps(payload).encode())}."


def rs256_token(payload):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return jwt.encode(payload, pem, algorithm="RS256")


def tampered():
    token = sign(claims())
    header, _payload, signature = token.split(".")
    forged = b64(json.dumps(claims(sub="1", ticket_id=999)).encode())
    return f"{header}.{forged}.{signature}"


def hs256_confusion():
    # Classic confusion: an attacker signs HS256 with something public (an RSA public key PEM).
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    pem = key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = b64(json.dumps(claims()).encode())
    import hashlib
    import hmac

    sig = b64(hmac.new(pem, f"{header}.{body}".encode(), hashlib.sha256).digest())
    return f"{header}.{body}.{sig}"


INVALID_TOKENS = {
    "alg none": lambda: unsigned(claims()),
    "alg None capitalised": lambda: unsigned(claims(), alg="None"),
    "RS256 instead of HS256": lambda: rs256_token(claims()),
    "HS256 signed with a public key": hs256_confusion,
    "HS512": lambda: sign(claims(), secret=DEMO_SECRET * 2, alg="HS512"),
    "wrong secret": lambda: sign(claims(), secret=OTHER_SECRET),
    "expired": lambda: sign(claims(iat=int(time.time()) - 1000, exp=int(time.time()) - 120)),
    "not yet valid": lambda: sign(claims(nbf=int(time.time()) + 600)),
    "missing exp": lambda: sign(claims(exp=None)),
    "lifetime over one hour": lambda: sign(claims(exp=int(time.time()) + 7200)),
    "lifetime over one hour without iat": lambda: sign(claims(iat=None, exp=int(time.time()) + 3700)),
    "unknown tenant": lambda: sign(claims(iss="stranger.zendesk.com")),
    "issuer not zendesk": lambda: sign(claims(iss="demo.evil.example")),
    "missing iss": lambda: sign(claims(iss=None)),
    "wrong audience": lambda: sign(claims(aud="someone-else")),
    "missing audience": lambda: sign(claims(aud=None)),
    "tampered payload": tampered,
    "malformed": lambda: "not.a.jwt",
    "garbage base64": lambda: "eyJhbGciOi.JIUzI1NiJ9.@@@",
    "empty": lambda: "",
    "tenant B token with tenant A iss": lambda: sign(claims(iss="demo.zendesk.com"), secret=OTHER_SECRET),
    "exp as string": lambda: sign(claims(exp="tomorrow")),
}


@pytest.mark.parametrize("case", sorted(INVALID_TOKENS))
def test_invalid_tokens_are_rejected_with_401(client, case):
    token = INVALID_TOKENS[case]()
    response = client.get("/api/v1/search?q=boots", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401, case
    body = response.get_json()
    assert body["error"]["code"] == "invalid_token"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert DEMO_SECRET not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "header",
    [None, "", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Token abc", "bearer"],
)
def test_missing_or_wrong_scheme_is_401(client, header):
    headers = {} if header is None else {"Authorization": header}
    response = client.get("/api/v1/search", headers=headers)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "invalid_token"


def test_auth_is_checked_before_input_validation(client):
    response = client.get("/api/v1/search?per_page=5000")
    assert response.status_code == 401


def directory():
    return TenantDirectory([Tenant("demo", DEMO_SECRET, CREDS, ZD), Tenant("acme", OTHER_SECRET, CREDS, ZD)])


def test_valid_token_identifies_tenant_agent_and_ticket():
    identity = verify_agent_token(sign(claims()), directory(), JwtPolicy(audience=AUD))
    assert identity.tenant.subdomain == "demo"
    assert identity.asserted_agent_id == "42"
    assert identity.ticket_id == 7


def test_each_tenant_verifies_with_its_own_secret():
    token = sign(claims(iss="acme.zendesk.com"), secret=OTHER_SECRET)
    assert verify_agent_token(token, directory(), JwtPolicy(audience=AUD)).tenant.subdomain == "acme"
    with pytest.raises(TokenError):
        verify_agent_token(sign(claims(iss="acme.zendesk.com")), directory(), JwtPolicy(audience=AUD))


def test_leeway_accepts_small_clock_skew():
    now = int(time.time())
    token = sign(claims(iat=now - 320, exp=now - 20))
    assert verify_agent_token(token, directory(), JwtPolicy(audience=AUD, leeway_seconds=30))
    with pytest.raises(TokenError, match="expired"):
        verify_agent_token(token, directory(), JwtPolicy(audience=AUD, leeway_seconds=0))


def test_token_without_iat_within_an_hour_is_accepted():
    token = sign(claims(iat=None, exp=int(time.time()) + 3000))
    assert verify_agent_token(token, directory(), JwtPolicy(audience=AUD)).tenant.subdomain == "demo"


def test_https_issuer_form_is_understood():
    assert subdomain_from_issuer("https://demo.zendesk.com") == "demo"
    assert subdomain_from_issuer("demo.zendesk.com.evil.example") is None
    assert subdomain_from_issuer("a.b.zendesk.com") is None
    assert subdomain_from_issuer(None) is None


def test_bearer_token_parsing():
    assert bearer_token("Bearer abc") == "abc"
    assert bearer_token("bearer   abc ") == "abc"
    with pytest.raises(TokenError):
        bearer_token("Basic abc")
