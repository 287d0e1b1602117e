"""Idempotency keys for state-changing endpoints (`Idempotency-Key` header), kept 24 hours.

Usage, in its own short transaction so concurrent requests see the claim at once::

    with session_scope(factory) as s:
        stored = idempotency.begin(s, tenant_id, scope, key, hash_request(body))
    if stored is not None:
        return stored.body, stored.status          # a replay: answer as before
    ... do the work ...
    with session_scope(factory) as s:
        idempotency.complete(s, tenant_id, scope, key, hash_request(body), status=201, body=resp)

On a failure worth retrying, `release()` the key so the client may try again.
`begin` raises `IdempotencyConflict` (same key, different body: answer 422/409) or
`IdempotencyInProgress` (the first request is still running: answer 409, retry later).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from backend.store.conflicts import insert_or_ignore
from backend.store.models import IdempotencyKey, IdempotencyStatus
from backend.store.types import utcnow

TTL = timedelta(hours=24)


class IdempotencyError(Exception):
    """Base class for idempotency refusals."""


class IdempotencyConflict(IdempotencyError):
    """The key was already used for a different request body."""


class IdempotencyInProgress(IdempotencyError):
    """The first request with this key has not finished yet."""


@dataclass(frozen=True)
class StoredResponse:
    """The response recorded for a completed key, to replay."""

    status: int
    body: Any


def hash_request(payload: Any) -> str:
    """sha256 hex of the canonical JSON form of a request body (key order and spacing ignored)."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def begin(
    session: Session,
    tenant_id: int,
    scope: str,
    key: str,
    request_hash: str,
    *,
    now: datetime | None = None,
    ttl: timedelta = TTL,
) -> StoredResponse | None:
    """Claim `key` for this request. None: go ahead (and `complete` later). A StoredResponse: replay it.

    Exactly one of several concurrent callers with the same key gets None (the unique constraint
    decides). An expired key is taken over as if new. Commit right after calling so that other
    requests see the claim.
    """
    _check_key(key, scope)
    now = now or utcnow()
    claim = {
        "tenant_id": tenant_id,
        "scope": scope,
        "key": key,
        "request_hash": request_hash,
        "status": IdempotencyStatus.IN_PROGRESS,
        "response_status": None,
        "response_body": None,
        "created_at": now,
        "expires_at": now + ttl,
    }
    if insert_or_ignore(session, IdempotencyKey.__table__, claim, ["tenant_id", "scope", "key"]):
        return None
    row = _load(session, tenant_id, scope, key)
    if row is None:  # purged between the insert and the read: try once more
        if insert_or_ignore(session, IdempotencyKey.__table__, claim, ["tenant_id", "scope", "key"]):
            return None
        row = _load(session, tenant_id, scope, key)
        assert row is not None
    if row.expires_at <= now:
        taken = session.execute(
            update(IdempotencyKey)
            .where(IdempotencyKey.id == row.id, IdempotencyKey.expires_at <= now)
            .values(**{k: v for k, v in claim.items() if k not in {"tenant_id", "scope", "key"}})
            .execution_options(synchronize_session=False)
        )
        if taken.rowcount == 1:  # type: ignore[attr-defined]
            session.expire(row)
            return None
        row = _load(session, tenant_id, scope, key)
        assert row is not None
    if row.request_hash != request_hash:
        raise IdempotencyConflict("this Idempotency-Key was used with a different request")
    if row.status == IdempotencyStatus.IN_PROGRESS or row.response_status is None:
        raise IdempotencyInProgress("a request with this Idempotency-Key is still in progress")
    return StoredResponse(row.response_status, row.response_body)


def complete(
    session: Session,
    tenant_id: int,
    scope: str,
    key: str,
    request_hash: str,
    *,
    status: int,
    body: Any,
) -> bool:
    """Store the response for a claimed key; False when the claim is gone (expired and taken over)."""
    result = session.execute(
        update(IdempotencyKey)
        .where(
            IdempotencyKey.tenant_id == tenant_id,
            IdempotencyKey.scope == scope,
            IdempotencyKey.key == key,
            IdempotencyKey.request_hash == request_hash,
            IdempotencyKey.status == IdempotencyStatus.IN_PROGRESS,
        )
        .values(status=IdempotencyStatus.DONE, response_status=status, response_body=body)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


def release(session: Session, tenant_id: int, scope: str, key: str, request_hash: str) -> bool:
    """Drop an unfinished claim (the request failed in a retryable way); True when one was dropped."""
    result = session.execute(
        delete(IdempotencyKey)
        .where(
            IdempotencyKey.tenant_id == tenant_id,
            IdempotencyKey.scope == scope,
            IdempotencyKey.key == key,
            IdempotencyKey.request_hash == request_hash,
            IdempotencyKey.status == IdempotencyStatus.IN_PROGRESS,
        )
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


def purge_expired(session: Session, *, now: datetime | None = None) -> int:
    """Delete expired keys (housekeeping for a periodic job); return how many."""
    result = session.execute(
        delete(IdempotencyKey)
        .where(IdempotencyKey.expires_at <= (now or utcnow()))
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def _load(session: Session, tenant_id: int, scope: str, key: str) -> IdempotencyKey | None:
    stmt = (
        select(IdempotencyKey)
        .where(
            IdempotencyKey.tenant_id == tenant_id,
            IdempotencyKey.scope == scope,
            IdempotencyKey.key == key,
        )
        .execution_options(populate_existing=True)
    )
    return session.scalars(stmt).one_or_none()


def _check_key(key: str, scope: str) -> None:
    if not scope or len(scope) > 255:
        raise ValueError("scope must be 1 to 255 characters")
    if not key or len(key) > IdempotencyKey.KEY_MAX:
        raise ValueError(f"Idempotency-Key must be 1 to {IdempotencyKey.KEY_MAX} characters")
    if not key.isprintable():
        raise ValueError("Idempotency-Key must be printable text")
