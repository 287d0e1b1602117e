"""Deliveries: opaque ids, tenant scoping, ordering and progress updates."""

from __future__ import annotations

import pytest

from backend.store import deliveries
from backend.store.models import DeliveryKind, DeliveryStatus


def make(session, tenant, ticket=7, **kwargs):
    return deliveries.create_delivery(
        session, tenant_id=tenant, ticket_id=ticket, kind=kwargs.pop("kind", "attachment"), **kwargs
    )


def test_create_sets_defaults_and_an_opaque_public_id(session, tenant):
    d = make(session, tenant, media_ids=["I1", "I2"], recipients=["a@example.com"], asserted_agent_id="42")
    session.commit()
    assert d.id is not None
    assert d.public_id.startswith("dl_") and len(d.public_id) >= 16
    assert d.kind is DeliveryKind.ATTACHMENT
    assert d.status is DeliveryStatus.PENDING
    assert (d.attempts, d.public, d.fallback_to_link, d.upload_tokens) == (0, False, False, [])
    assert d.media_ids == ["I1", "I2"]
    assert d.created_at.tzinfo is not None


def test_public_ids_are_unique(session, tenant):
    ids = {make(session, tenant).public_id for _ in range(50)}
    assert len(ids) == 50


def test_rejects_unknown_kind_and_status(session, tenant):
    with pytest.raises(ValueError):
        make(session, tenant, kind="fax")
    with pytest.raises(ValueError):
        make(session, tenant, status="lost")


def test_lookups_are_scoped_to_the_tenant(factory, tenant, other_tenant):
    with factory() as s:
        d = make(s, tenant)
        s.commit()
        public_id, delivery_id = d.public_id, d.id
    with factory() as s:
        assert deliveries.get_delivery(s, tenant, public_id).id == delivery_id
        assert deliveries.get_delivery(s, other_tenant, public_id) is None
        assert deliveries.get_delivery_by_id(s, tenant, delivery_id).public_id == public_id
        assert deliveries.get_delivery_by_id(s, other_tenant, delivery_id) is None
        assert deliveries.list_for_ticket(s, other_tenant, 7) == []


def test_list_for_ticket_is_newest_first(session, tenant):
    made = [make(session, tenant, ticket=11) for _ in range(3)]
    make(session, tenant, ticket=12)
    listed = deliveries.list_for_ticket(session, tenant, 11)
    assert [d.id for d in listed] == [d.id for d in reversed(made)]
    assert [d.id for d in deliveries.list_for_ticket(session, tenant, 11, limit=2)] == [
        made[2].id,
        made[1].id,
    ]


def test_progress_updates_persist(factory, tenant):
    with factory() as s:
        d = make(s, tenant, kind=DeliveryKind.SHARE)
        deliveries.set_status(s, d, "uploading")
        deliveries.add_upload_tokens(s, d, ["tok1"])
        deliveries.add_upload_tokens(s, d, ["tok2", "tok3"])
        deliveries.set_gallery(s, d, "G0000abc")
        assert deliveries.increment_attempts(s, d) == 1
        assert deliveries.increment_attempts(s, d) == 2
        deliveries.mark_failed(s, d, code="upstream_unavailable", message="x" * 5000)
        s.commit()
        public_id = d.public_id
    with factory() as s:
        d = deliveries.get_delivery(s, tenant, public_id)
        assert d.upload_tokens == ["tok1", "tok2", "tok3"]
        assert d.gallery_id == "G0000abc"
        assert d.attempts == 2
        assert d.status is DeliveryStatus.FAILED
        assert d.error_code == "upstream_unavailable"
        assert len(d.error_message) == deliveries.ERROR_MESSAGE_MAX
        before = d.updated_at
        deliveries.mark_delivered(s, d, zendesk_comment_id=9_000_000_001, fallback_to_link=True)
        s.commit()
    with factory() as s:
        d = deliveries.get_delivery(s, tenant, public_id)
        assert d.status is DeliveryStatus.DELIVERED
        assert d.zendesk_comment_id == 9_000_000_001
        assert d.fallback_to_link is True
        assert d.error_code is None and d.error_message is None
        assert d.updated_at >= before
