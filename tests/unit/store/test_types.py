"""Timestamps: aware UTC in, aware UTC out, naive refused, comparisons correct."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.exc import StatementError

from backend.store import deliveries, shares
from backend.store.models import ShareGrant
from backend.store.session import session_scope
from backend.store.types import utcnow


def grant(session, tenant, expires_at):
    d = deliveries.create_delivery(session, tenant_id=tenant, ticket_id=1, kind="share")
    return shares.create_grant(
        session,
        tenant_id=tenant,
        delivery_id=d.id,
        ticket_id=1,
        container_id="G1",
        credential="c",
        expires_at=expires_at,
    )


def test_aware_datetimes_round_trip_as_utc(factory, tenant):
    plus_five = datetime(2030, 1, 1, 12, 30, 15, 123456, tzinfo=timezone(timedelta(hours=5)))
    with session_scope(factory) as s:
        grant_id = grant(s, tenant, plus_five).id
    with session_scope(factory) as s:
        got = s.get(ShareGrant, grant_id)
        assert got.expires_at == plus_five
        assert got.expires_at.tzinfo == UTC
        assert (got.expires_at.hour, got.expires_at.minute, got.expires_at.microsecond) == (7, 30, 123456)
        assert got.created_at.tzinfo == UTC
        assert abs(got.created_at - utcnow()) < timedelta(minutes=1)


def test_comparisons_use_the_instant_not_the_offset(session, tenant):
    g = grant(session, tenant, datetime(2030, 1, 1, 12, tzinfo=UTC))
    minus_three = timezone(timedelta(hours=-3))
    before = datetime(2030, 1, 1, 8, 59, tzinfo=minus_three)  # 11:59 UTC
    after = datetime(2030, 1, 1, 9, 1, tzinfo=minus_three)  # 12:01 UTC
    stmt = select(ShareGrant.id).where(ShareGrant.id == g.id, ShareGrant.expires_at > before)
    assert session.scalars(stmt).all() == [g.id]
    stmt = select(ShareGrant.id).where(ShareGrant.id == g.id, ShareGrant.expires_at > after)
    assert session.scalars(stmt).all() == []


def test_naive_datetimes_are_refused(session, tenant):
    with pytest.raises(StatementError, match="naive"):
        grant(session, tenant, datetime(2030, 1, 1, 12))
