"""Idempotency keys: claim, replay, conflict, in-progress, expiry, and one winner under a race."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from threading import Barrier

import pytest

from backend.store import idempotency
from backend.store.idempotency import (
    IdempotencyConflict,
    IdempotencyInProgress,
    StoredResponse,
    begin,
    complete,
    hash_request,
)
from backend.store.session import session_scope

SCOPE = "POST /tickets/7/attachments"
H1 = hash_request({"media_ids": ["I1"], "public": False})
H2 = hash_request({"media_ids": ["I2"], "public": False})


def test_hash_is_canonical():
    assert hash_request({"a": 1, "b": [1, 2]}) == hash_request({"b": [1, 2], "a": 1})
    assert hash_request({"a": 1}) != hash_request({"a": 2})
    assert len(H1) == 64


def test_begin_complete_replay(session, tenant):
    assert begin(session, tenant, SCOPE, "k1", H1) is None
    with pytest.raises(IdempotencyInProgress):
        begin(session, tenant, SCOPE, "k1", H1)
    with pytest.raises(IdempotencyConflict):
        begin(session, tenant, SCOPE, "k1", H2)
    assert complete(session, tenant, SCOPE, "k1", H1, status=201, body={"id": "dl_x"}) is True
    assert begin(session, tenant, SCOPE, "k1", H1) == StoredResponse(201, {"id": "dl_x"})
    with pytest.raises(IdempotencyConflict):
        begin(session, tenant, SCOPE, "k1", H2)
    assert complete(session, tenant, SCOPE, "k1", H1, status=500, body=None) is False


def test_keys_are_scoped_by_tenant_and_endpoint(session, tenant, other_tenant):
    assert begin(session, tenant, SCOPE, "k", H1) is None
    assert begin(session, other_tenant, SCOPE, "k", H1) is None
    assert begin(session, tenant, "POST /tickets/8/shares", "k", H1) is None


def test_expired_keys_are_reclaimed(session, tenant):
    t0 = datetime(2030, 1, 1, tzinfo=UTC)
    assert begin(session, tenant, SCOPE, "old", H1, now=t0) is None
    complete(session, tenant, SCOPE, "old", H1, status=201, body={"n": 1})
    assert begin(session, tenant, SCOPE, "old", H1, now=t0 + timedelta(hours=23)) == StoredResponse(
        201, {"n": 1}
    )
    later = t0 + timedelta(hours=24, seconds=1)
    assert begin(session, tenant, SCOPE, "old", H2, now=later) is None
    with pytest.raises(IdempotencyInProgress):
        begin(session, tenant, SCOPE, "old", H2, now=later)
    assert idempotency.purge_expired(session, now=later + timedelta(hours=25)) >= 1
    assert begin(session, tenant, SCOPE, "old", H1) is None


def test_release_lets_the_client_retry(session, tenant):
    assert begin(session, tenant, SCOPE, "r", H1) is None
    assert idempotency.release(session, tenant, SCOPE, "r", H2) is False
    assert idempotency.release(session, tenant, SCOPE, "r", H1) is True
    assert begin(session, tenant, SCOPE, "r", H1) is None


@pytest.mark.parametrize("key", ["", "x" * 256, "bad\nkey"])
def test_invalid_keys(session, tenant, key):
    with pytest.raises(ValueError):
        begin(session, tenant, SCOPE, key, H1)


def test_concurrent_begin_has_exactly_one_winner(factory, tenant):
    barrier = Barrier(10)

    def attempt() -> str:
        barrier.wait()
        try:
            with session_scope(factory) as s:
                return "won" if begin(s, tenant, SCOPE, "race", H1) is None else "replay"
        except IdempotencyInProgress:
            return "in_progress"

    with ThreadPoolExecutor(max_workers=10) as pool:
        outcomes = [f.result() for f in [pool.submit(attempt) for _ in range(10)]]
    assert outcomes.count("won") == 1
    assert outcomes.count("in_progress") == 9
