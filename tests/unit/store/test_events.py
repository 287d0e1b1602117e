"""Link events: recording and counting by kind for analytics."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from backend.store import deliveries, events, shares
from backend.store.models import DenialReason, LinkEventKind

T0 = datetime(2032, 3, 1, tzinfo=UTC)


@pytest.fixture
def grant(session, tenant):
    d = deliveries.create_delivery(session, tenant_id=tenant, ticket_id=1, kind="share")
    return shares.create_grant(
        session,
        tenant_id=tenant,
        delivery_id=d.id,
        ticket_id=1,
        container_id="G1",
        credential="c",
        expires_at=T0 + timedelta(days=30),
    )


def test_record_truncates_the_user_agent(session, tenant, grant):
    e = events.record_event(
        session, tenant_id=tenant, share_grant_id=grant.id, kind="open", user_agent="x" * 1000
    )
    assert len(e.user_agent) == 256
    assert e.kind is LinkEventKind.OPEN and e.reason is None
    denied = events.record_event(
        session, tenant_id=tenant, share_grant_id=grant.id, kind="denied", reason="expired"
    )
    assert denied.reason is DenialReason.EXPIRED
    with pytest.raises(ValueError):
        events.record_event(session, tenant_id=tenant, share_grant_id=grant.id, kind="stare")


def test_events_are_tenant_scoped(session, other_tenant, grant):
    with pytest.raises(ValueError, match="tenant"):
        events.record_event(session, tenant_id=other_tenant, share_grant_id=grant.id, kind="open")


def test_count_by_kind_in_a_range(session, tenant, other_tenant, grant):
    def rec(kind, at, **kw):
        events.record_event(session, tenant_id=tenant, share_grant_id=grant.id, kind=kind, now=at, **kw)

    rec("open", T0)
    rec("open", T0 + timedelta(hours=1))
    rec("download", T0 + timedelta(hours=2))
    rec("denied", T0 + timedelta(hours=3), reason="exhausted")
    rec("open", T0 + timedelta(days=1))  # at the exclusive end
    rec("open", T0 - timedelta(seconds=1))
    counts = events.count_by_kind(session, tenant, T0, T0 + timedelta(days=1))
    assert counts == {LinkEventKind.OPEN: 2, LinkEventKind.DOWNLOAD: 1, LinkEventKind.DENIED: 1}
    assert events.count_by_kind(session, other_tenant, T0, T0 + timedelta(days=1)) == {
        LinkEventKind.OPEN: 0,
        LinkEventKind.DOWNLOAD: 0,
        LinkEventKind.DENIED: 0,
    }
    per_grant = events.count_by_kind(session, tenant, T0, T0 + timedelta(days=1), share_grant_id=grant.id + 1)
    assert sum(per_grant.values()) == 0
