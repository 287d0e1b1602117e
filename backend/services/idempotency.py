"""Run a state-changing request at most once per Idempotency-Key (design.md §7).

The first request with a key does the work and stores its response; a retry with the same key and
body gets the stored response, a retry with a different body is a conflict, and a retry while the
first is still running is told to wait. A request that fails without changing anything releases
its key so it can be sent again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from backend.services.errors import ServiceError
from backend.store import idempotency
from backend.store.session import session_scope


class IdempotencyKeyReusedError(ServiceError):
    """The key was already used with a different request."""

    code = "idempotency_key_reused"


class RequestInProgressError(ServiceError):
    """The first request with this key has not finished."""

    code = "request_in_progress"


def run_once(
    sessions: sessionmaker[Session],
    tenant_id: int,
    scope: str,
    key: str | None,
    payload: Any,
    work: Callable[[], tuple[int, Any]],
) -> tuple[int, Any, bool]:
    """Return `(status, body, replayed)`; without a key the work simply runs."""
    if not key:
        status, body = work()
        return status, body, False
    request_hash = idempotency.hash_request(payload)
    try:
        with session_scope(sessions) as session:
            stored = idempotency.begin(session, tenant_id, scope, key, request_hash)
    except idempotency.IdempotencyConflict:
        raise IdempotencyKeyReusedError(
            "This Idempotency-Key was already used for a different request."
        ) from None
    except idempotency.IdempotencyInProgress:
        raise RequestInProgressError(
            "A request with this Idempotency-Key is still running; retry shortly."
        ) from None
    if stored is not None:
        return stored.status, stored.body, True
    try:
        status, body = work()
    except ServiceError as exc:
        if exc.details.get("delivery"):
            # Recorded as a failed delivery: replays should see the same failure, not redo it.
            with session_scope(sessions) as session:
                idempotency.complete(
                    session,
                    tenant_id,
                    scope,
                    key,
                    request_hash,
                    status=502,
                    body={"error": {"code": exc.code, "message": exc.message, "details": exc.details}},
                )
        else:
            with session_scope(sessions) as session:
                idempotency.release(session, tenant_id, scope, key, request_hash)
        raise
    except BaseException:
        with session_scope(sessions) as session:
            idempotency.release(session, tenant_id, scope, key, request_hash)
        raise
    with session_scope(sessions) as session:
        idempotency.complete(session, tenant_id, scope, key, request_hash, status=status, body=body)
    return status, body, False
