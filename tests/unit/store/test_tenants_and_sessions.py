"""Tenant rows and the unit-of-work helper."""

from __future__ import annotations

import secrets
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest

from backend.store.models import TenantRow
from backend.store.session import session_scope
from backend.store.tenants_repo import ensure_tenant, get_tenant


def test_ensure_tenant_is_idempotent_and_normalises(session):
    name = f"acme-{secrets.token_hex(4)}"
    first = ensure_tenant(session, name.upper())
    again = ensure_tenant(session, f"  {name} ")
    assert first.id == again.id
    assert first.subdomain == name
    assert get_tenant(session, name) is first
    assert get_tenant(session, "nobody-here") is None
    with pytest.raises(ValueError, match="empty"):
        ensure_tenant(session, "  ")


def test_concurrent_ensure_tenant_creates_one_row(factory):
    name = f"race-{secrets.token_hex(4)}"
    barrier = Barrier(5)

    def create() -> int:
        barrier.wait()
        with session_scope(factory) as s:
            return ensure_tenant(s, name).id

    with ThreadPoolExecutor(max_workers=5) as pool:
        ids = {f.result() for f in [pool.submit(create) for _ in range(5)]}
    assert len(ids) == 1


def test_session_scope_commits_on_success_and_rolls_back_on_error(factory):
    kept, dropped = f"kept-{secrets.token_hex(4)}", f"dropped-{secrets.token_hex(4)}"
    with session_scope(factory) as s:
        s.add(TenantRow(subdomain=kept))
    with pytest.raises(RuntimeError), session_scope(factory) as s:
        s.add(TenantRow(subdomain=dropped))
        s.flush()
        raise RuntimeError("boom")
    with session_scope(factory) as s:
        assert get_tenant(s, kept) is not None
        assert get_tenant(s, dropped) is None
