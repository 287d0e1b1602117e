"""Share grants: link ids, scoping, atomic download counting, idempotent revocation, expiry lists."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from threading import Barrier

import pytest

from backend.store import deliveries, shares
from backend.store.models import DenialReason, ShareGrant
from backend.store.session import session_scope
from backend.store.types import utcnow


def make_grant(session, tenant, *, ticket=5, expires_in=timedelta(days=7), **kwargs) -> ShareGrant:
    delivery = deliveries.create_delivery(session, tenant_id=tenant, ticket_id=ticket, kind="share")
    return shares.create_grant(
        session,
        tenant_id=tenant,
        delivery_id=delivery.id,
        ticket_id=ticket,
        container_id="G0000xyz",
        credential="s3cret-pass",
        expires_at=kwargs.pop("expires_at", utcnow() + expires_in),
        **kwargs,
    )


def test_public_ids_are_long_random_and_unique(session, tenant):
    grants = [make_grant(session, tenant) for _ in range(30)]
    ids = {g.public_id for g in grants}
    assert len(ids) == 30
    # token_urlsafe(18): 24 characters of base64url = 144 bits.
    assert all(len(i) >= 22 and i.replace("-", "").replace("_", "").isalnum() for i in ids)
    assert grants[0].delivery.share_grants == [grants[0]]


def test_credential_is_marked_secret():
    assert ShareGrant.__table__.c.credential.info == {"secret": True}


def test_resolve_link_and_tenant_scoped_get(factory, tenant, other_tenant):
    with session_scope(factory) as s:
        public_id = make_grant(s, tenant, photoshelter_grant_id=None).public_id
    with session_scope(factory) as s:
        grant = shares.resolve_link(s, public_id)
        assert grant is not None and grant.credential == "s3cret-pass"
        assert shares.get_grant(s, tenant, public_id) is grant
        assert shares.get_grant(s, other_tenant, public_id) is None
        assert shares.resolve_link(s, "nope") is None
        shares.set_photoshelter_grant(s, grant, "AR0000123")
    with session_scope(factory) as s:
        assert shares.resolve_link(s, public_id).photoshelter_grant_id == "AR0000123"


def test_download_counting_stops_at_the_limit(session, tenant):
    grant = make_grant(session, tenant, max_downloads=2)
    assert shares.record_download(session, grant) is True
    assert shares.record_download(session, grant) is True
    assert shares.record_download(session, grant) is False
    assert grant.downloads == 2
    assert grant.denial_reason() is DenialReason.EXHAUSTED


def test_unlimited_downloads(session, tenant):
    grant = make_grant(session, tenant)
    assert all(shares.record_download(session, grant) for _ in range(5))
    assert grant.downloads == 5
    assert grant.denial_reason() is None


def test_no_download_counted_when_revoked_or_expired(session, tenant):
    expired = make_grant(session, tenant, expires_at=utcnow() - timedelta(seconds=1))
    assert shares.record_download(session, expired) is False
    assert expired.denial_reason() is DenialReason.EXPIRED
    revoked = make_grant(session, tenant)
    shares.revoke(session, revoked, by="agent:1 (asserted)")
    assert shares.record_download(session, revoked) is False
    assert revoked.denial_reason() is DenialReason.REVOKED
    assert (expired.downloads, revoked.downloads) == (0, 0)


def test_concurrent_downloads_never_exceed_the_limit(factory, tenant):
    with session_scope(factory) as s:
        grant_id = make_grant(s, tenant, max_downloads=3).id
    barrier = Barrier(10)

    def download() -> bool:
        with session_scope(factory) as s:
            grant = s.get(ShareGrant, grant_id)
            barrier.wait()
            return shares.record_download(s, grant)

    with ThreadPoolExecutor(max_workers=10) as pool:
        results = [f.result() for f in [pool.submit(download) for _ in range(10)]]
    assert results.count(True) == 3
    with session_scope(factory) as s:
        assert s.get(ShareGrant, grant_id).downloads == 3


def test_revoke_is_idempotent(session, tenant):
    grant = make_grant(session, tenant)
    first_time = datetime(2030, 1, 1, tzinfo=UTC)
    assert shares.revoke(session, grant, by="agent:1 (asserted)", now=first_time) is True
    assert shares.revoke(session, grant, by="agent:2 (asserted)") is False
    assert grant.revoked_at == first_time
    assert grant.revoked_by == "agent:1 (asserted)"


def test_list_expiring_window(session, tenant, other_tenant):
    base = datetime(2031, 6, 1, tzinfo=UTC)
    inside = make_grant(session, tenant, expires_at=base + timedelta(hours=1))
    at_start = make_grant(session, tenant, expires_at=base)
    make_grant(session, tenant, expires_at=base + timedelta(days=1))  # at the (exclusive) end
    make_grant(session, tenant, expires_at=base - timedelta(seconds=1))
    revoked = make_grant(session, tenant, expires_at=base + timedelta(hours=2))
    shares.revoke(session, revoked, by="system")
    make_grant(session, other_tenant, expires_at=base + timedelta(hours=3))
    found = shares.list_expiring(session, base, base + timedelta(days=1), tenant_id=tenant)
    assert [g.id for g in found] == [at_start.id, inside.id]
    everyone = shares.list_expiring(session, base, base + timedelta(days=1))
    assert len([g for g in everyone if g.tenant_id in (tenant, other_tenant)]) == 3


def test_list_for_ticket(session, tenant, other_tenant):
    a = make_grant(session, tenant, ticket=99)
    b = make_grant(session, tenant, ticket=99)
    make_grant(session, other_tenant, ticket=99)
    assert [g.id for g in shares.list_for_ticket(session, tenant, 99)] == [b.id, a.id]


def test_max_downloads_must_be_positive(session, tenant):
    with pytest.raises(ValueError):
        make_grant(session, tenant, max_downloads=0)


def test_grant_must_belong_to_the_deliverys_tenant(session, tenant, other_tenant):
    delivery = deliveries.create_delivery(session, tenant_id=tenant, ticket_id=1, kind="share")
    with pytest.raises(ValueError, match="tenant"):
        shares.create_grant(
            session,
            tenant_id=other_tenant,
            delivery_id=delivery.id,
            ticket_id=1,
            container_id="G1",
            credential="c",
            expires_at=utcnow(),
        )
