"""Mutable per-simulator state: sessions, OAuth codes/tokens, fault settings and the rate bucket.

One `SimulatorState` lives in `app.extensions["photoshelter_simulator"]`; every mutation happens
under its `lock` because the dev server is threaded.
"""

from __future__ import annotations

import math
import random
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import current_app

from ..faults import CommonFaultSettings
from . import seed
from .models import Library, OAuthClient

EXTENSION_KEY = "photoshelter_simulator"

DEFAULTS: dict[str, Any] = {
    "rate_per_second": 50.0,
    "burst": 200,
    "max_per_page": 500,
    "token_idle_seconds": 7200,
    "access_token_seconds": 3600,
    "refresh_token_seconds": 30 * 24 * 3600,
    "authorization_code_seconds": 600,
    "seed": seed.DEFAULT_SEED,
}


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Session:
    """A session token (`kind="session"`, idle expiry) or an OAuth access token (absolute expiry)."""

    token: str
    user_id: str
    kind: str
    org_id: str | None
    created_at: datetime
    last_seen: datetime
    expires_at: datetime | None = None
    client_id: str | None = None


@dataclass
class AuthorizationCode:
    """A single-use OAuth authorization code."""

    code: str
    client_id: str
    user_id: str
    redirect_uri: str | None
    expires_at: datetime
    used: bool = False


@dataclass
class RefreshToken:
    """A refresh token; rotated (revoked) when used."""

    token: str
    client_id: str
    user_id: str
    expires_at: datetime


@dataclass
class FaultSettings(CommonFaultSettings):
    """Switches set through `/_faults`: the shared ones plus this simulator's rate limit."""

    rate_per_second: float = 50.0
    burst: int = 200


@dataclass
class _Bucket:
    tokens: float
    updated: float


@dataclass
class TokenBucket:
    """Token bucket per API key; `clock` is a monotonic seconds source."""

    rate: float
    burst: int
    clock: Callable[[], float]
    buckets: dict[str, _Bucket] = field(default_factory=dict)

    def _refill(self, key: str) -> _Bucket:
        now = self.clock()
        bucket = self.buckets.get(key)
        if bucket is None:
            bucket = self.buckets[key] = _Bucket(float(self.burst), now)
        elapsed = max(0.0, now - bucket.updated)
        bucket.tokens = min(float(self.burst), bucket.tokens + elapsed * self.rate)
        bucket.updated = now
        return bucket

    def take(self, key: str) -> tuple[bool, int, dict[str, int]]:
        """Consume one token: (allowed, retry_after_seconds, `meta.rate_limit` snapshot)."""
        bucket = self._refill(key)
        allowed = bucket.tokens >= 1.0
        if allowed:
            bucket.tokens -= 1.0
        retry_after = 0 if allowed else max(1, math.ceil((1.0 - bucket.tokens) / self.rate))
        return allowed, retry_after, self._snapshot(bucket)

    def _snapshot(self, bucket: _Bucket) -> dict[str, int]:
        missing = float(self.burst) - bucket.tokens
        return {
            "limit": self.burst,
            "current": max(0, math.ceil(missing - 1e-9)),
            "expires": max(0, math.ceil(missing / self.rate - 1e-9)),
        }

    def configure(self, rate: float, burst: int) -> None:
        """Change rate/burst; stored tokens are capped to the new burst."""
        self.rate = rate
        self.burst = burst
        for bucket in self.buckets.values():
            bucket.tokens = min(bucket.tokens, float(burst))


class SimulatorState:
    """Everything one simulator instance remembers between requests."""

    def __init__(self, config: dict[str, Any] | None = None) -> None:
        cfg = {**DEFAULTS, **(config or {})}
        self.config = cfg
        self.now: Callable[[], datetime] = cfg.get("now") or _utc_now
        self.sleep: Callable[[float], None] = cfg.get("sleep") or time.sleep
        self.monotonic: Callable[[], float] = cfg.get("monotonic") or time.monotonic
        self.api_keys: frozenset[str] = frozenset(cfg.get("api_keys") or (seed.DEMO_API_KEY,))
        self.max_per_page = int(cfg["max_per_page"])
        self.token_idle = timedelta(seconds=float(cfg["token_idle_seconds"]))
        self.access_token_seconds = int(cfg["access_token_seconds"])
        self.refresh_token_life = timedelta(seconds=float(cfg["refresh_token_seconds"]))
        self.code_life = timedelta(seconds=float(cfg["authorization_code_seconds"]))
        self.seed = int(cfg["seed"])
        self.library: Library = seed.build_library(self.current_time(), self.seed)
        self.lock = threading.Lock()
        self.sessions: dict[str, Session] = {}
        self.codes: dict[str, AuthorizationCode] = {}
        self.refresh_tokens: dict[str, RefreshToken] = {}
        client = seed.demo_oauth_client()
        self.oauth_clients: dict[str, OAuthClient] = {client.client_id: client}
        self.faults = self.default_faults()
        self.fault_rng = random.Random(self.seed)
        self.bucket = TokenBucket(self.faults.rate_per_second, self.faults.burst, self.monotonic)

    # ----------------------------------------------------------------- time

    def current_time(self) -> datetime:
        """The configured clock, as an aware UTC datetime."""
        return self.now().astimezone(UTC)

    # ----------------------------------------------------------------- faults

    def default_faults(self) -> FaultSettings:
        """Fault switches as configured at start (all off)."""
        return FaultSettings(
            rate_per_second=float(self.config["rate_per_second"]),
            burst=int(self.config["burst"]),
            seed=None,
        )

    # ----------------------------------------------------------------- sessions

    def create_session(
        self,
        user_id: str,
        kind: str,
        org_id: str | None,
        client_id: str | None = None,
    ) -> Session:
        """Open a session (or an OAuth access token) for a user."""
        now = self.current_time()
        session = Session(
            token=secrets.token_hex(20),
            user_id=user_id,
            kind=kind,
            org_id=org_id,
            created_at=now,
            last_seen=now,
            expires_at=now + timedelta(seconds=self.access_token_seconds) if kind == "oauth" else None,
            client_id=client_id,
        )
        with self.lock:
            self.sessions[session.token] = session
        return session

    def resolve_session(self, token: str) -> tuple[Session | None, str | None]:
        """Look a token up and touch it: (session, None) or (None, "unknown"|"expired")."""
        now = self.current_time()
        with self.lock:
            session = self.sessions.get(token)
            if session is None:
                return None, "unknown"
            if session.expires_at is not None and now >= session.expires_at:
                del self.sessions[token]
                return None, "expired"
            if session.kind == "session" and now - session.last_seen > self.token_idle:
                del self.sessions[token]
                return None, "expired"
            session.last_seen = now
            return session, None

    def end_session(self, token: str) -> None:
        """Forget a token (logout)."""
        with self.lock:
            self.sessions.pop(token, None)

    # ----------------------------------------------------------------- oauth

    def register_client(self, name: str, redirect_uri: str | None, client_pk: str) -> OAuthClient:
        """Register an OAuth client with fresh credentials."""
        client = OAuthClient(
            id=client_pk,
            client_id=secrets.token_hex(12),
            client_secret=secrets.token_hex(20),
            name=name,
            redirect_uri=redirect_uri,
        )
        with self.lock:
            self.oauth_clients[client.client_id] = client
        return client

    def issue_code(self, client_id: str, user_id: str, redirect_uri: str | None) -> AuthorizationCode:
        """Issue a single-use authorization code."""
        code = AuthorizationCode(
            code=secrets.token_urlsafe(24),
            client_id=client_id,
            user_id=user_id,
            redirect_uri=redirect_uri,
            expires_at=self.current_time() + self.code_life,
        )
        with self.lock:
            self.codes[code.code] = code
        return code

    def redeem_code(self, code: str, client_id: str, redirect_uri: str | None) -> AuthorizationCode | None:
        """Consume a code (None when unknown, used, expired, or for another client/redirect)."""
        now = self.current_time()
        with self.lock:
            record = self.codes.get(code)
            if record is None or record.used or now >= record.expires_at or record.client_id != client_id:
                return None
            if record.redirect_uri and redirect_uri and record.redirect_uri != redirect_uri:
                return None
            record.used = True
            return record

    def issue_refresh_token(self, client_id: str, user_id: str) -> RefreshToken:
        """Issue a refresh token."""
        record = RefreshToken(
            token=secrets.token_urlsafe(32),
            client_id=client_id,
            user_id=user_id,
            expires_at=self.current_time() + self.refresh_token_life,
        )
        with self.lock:
            self.refresh_tokens[record.token] = record
        return record

    def redeem_refresh_token(self, token: str, client_id: str) -> RefreshToken | None:
        """Consume (rotate) a refresh token; None when unknown, expired or for another client."""
        now = self.current_time()
        with self.lock:
            record = self.refresh_tokens.get(token)
            if record is None or record.client_id != client_id or now >= record.expires_at:
                return None
            del self.refresh_tokens[token]
            return record


def get_state() -> SimulatorState:
    """The state of the simulator handling the current request."""
    return current_app.extensions[EXTENSION_KEY]
