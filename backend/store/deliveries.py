"""Deliveries: create, look up (always scoped to a tenant), list per ticket, record progress."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from backend.store.models import Delivery, DeliveryKind, DeliveryStatus
from backend.store.types import utcnow

ERROR_MESSAGE_MAX = 2000


def create_delivery(
    session: Session,
    *,
    tenant_id: int,
    ticket_id: int,
    kind: DeliveryKind | str,
    media_ids: Sequence[str] = (),
    gallery_id: str | None = None,
    recipients: Sequence[str] = (),
    public: bool = False,
    note: str = "",
    asserted_agent_id: str | None = None,
    status: DeliveryStatus | str = DeliveryStatus.PENDING,
    options: Mapping[str, Any] | None = None,
) -> Delivery:
    """Insert a delivery (status `pending` unless given) and flush so its ids are set."""
    delivery = Delivery(
        tenant_id=tenant_id,
        ticket_id=ticket_id,
        kind=DeliveryKind(kind),
        status=DeliveryStatus(status),
        media_ids=list(media_ids),
        gallery_id=gallery_id,
        recipients=list(recipients),
        public=public,
        note=note,
        asserted_agent_id=asserted_agent_id,
        upload_tokens=[],
        options=dict(options) if options is not None else None,
    )
    session.add(delivery)
    session.flush()
    return delivery


def get_delivery(session: Session, tenant_id: int, public_id: str) -> Delivery | None:
    """The tenant's delivery with this public id; None for another tenant's delivery."""
    stmt = select(Delivery).where(Delivery.tenant_id == tenant_id, Delivery.public_id == public_id)
    return session.scalars(stmt).one_or_none()


def get_delivery_by_id(session: Session, tenant_id: int, delivery_id: int) -> Delivery | None:
    """The tenant's delivery with this internal id (for jobs); None for another tenant's."""
    stmt = select(Delivery).where(Delivery.tenant_id == tenant_id, Delivery.id == delivery_id)
    return session.scalars(stmt).one_or_none()


def list_for_ticket(session: Session, tenant_id: int, ticket_id: int, *, limit: int = 100) -> list[Delivery]:
    """The ticket's deliveries, newest first."""
    stmt = (
        select(Delivery)
        .where(Delivery.tenant_id == tenant_id, Delivery.ticket_id == ticket_id)
        .order_by(Delivery.created_at.desc(), Delivery.id.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))


def set_status(session: Session, delivery: Delivery, status: DeliveryStatus | str) -> Delivery:
    """Move the delivery to `status`."""
    delivery.status = DeliveryStatus(status)
    session.flush()
    return delivery


def add_upload_tokens(session: Session, delivery: Delivery, tokens: Iterable[str]) -> Delivery:
    """Append Zendesk upload tokens (kept so a half-done delivery can be completed or cleaned up)."""
    delivery.upload_tokens = [*delivery.upload_tokens, *tokens]
    session.flush()
    return delivery


def set_gallery(session: Session, delivery: Delivery, gallery_id: str) -> Delivery:
    """Record the gallery created or shared for this delivery."""
    delivery.gallery_id = gallery_id
    session.flush()
    return delivery


def mark_delivered(
    session: Session,
    delivery: Delivery,
    *,
    zendesk_comment_id: int | None,
    fallback_to_link: bool | None = None,
) -> Delivery:
    """Status `delivered` with the Zendesk comment that carries it; clears any earlier error."""
    delivery.status = DeliveryStatus.DELIVERED
    delivery.zendesk_comment_id = zendesk_comment_id
    if fallback_to_link is not None:
        delivery.fallback_to_link = fallback_to_link
    delivery.error_code = None
    delivery.error_message = None
    session.flush()
    return delivery


def mark_failed(session: Session, delivery: Delivery, *, code: str, message: str) -> Delivery:
    """Status `failed` with a machine-readable code and a human message (truncated)."""
    delivery.status = DeliveryStatus.FAILED
    delivery.error_code = code[:64]
    delivery.error_message = message[:ERROR_MESSAGE_MAX]
    session.flush()
    return delivery


def increment_attempts(session: Session, delivery: Delivery) -> int:
    """Add one attempt atomically in the database (safe across workers); return the new count."""
    session.flush()
    session.execute(
        update(Delivery)
        .where(Delivery.id == delivery.id)
        .values(attempts=Delivery.attempts + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    session.refresh(delivery, ["attempts", "updated_at"])
    return delivery.attempts
