"""Share grants: the expiring links behind `/l/<public_id>`, their download counts and revocation.

`ShareGrant.credential` is secret: use it server-side for redirects, never serialise it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from backend.store.models import Delivery, ShareGrant
from backend.store.types import utcnow


def create_grant(
    session: Session,
    *,
    tenant_id: int,
    delivery_id: int,
    ticket_id: int,
    container_id: str,
    credential: str,
    expires_at: datetime,
    media_ids: Sequence[str] = (),
    max_downloads: int | None = None,
    allow_download: bool = True,
    photoshelter_grant_id: str | None = None,
) -> ShareGrant:
    """Insert a grant with a fresh random public id (≥ 128 bits) and flush.

    Raises ValueError when the delivery does not exist or belongs to another tenant.
    """
    if max_downloads is not None and max_downloads < 1:
        raise ValueError("max_downloads must be positive (or None for unlimited)")
    delivery = session.get(Delivery, delivery_id)
    if delivery is None or delivery.tenant_id != tenant_id:
        raise ValueError("no such delivery for this tenant")
    grant = ShareGrant(
        tenant_id=tenant_id,
        delivery_id=delivery_id,
        ticket_id=ticket_id,
        container_id=container_id,
        credential=credential,
        expires_at=expires_at,
        media_ids=list(media_ids),
        max_downloads=max_downloads,
        allow_download=allow_download,
        photoshelter_grant_id=photoshelter_grant_id,
        downloads=0,
    )
    session.add(grant)
    session.flush()
    return grant


def set_photoshelter_grant(session: Session, grant: ShareGrant, photoshelter_grant_id: str) -> ShareGrant:
    """Record the PhotoShelter grant (`AR000…`) once it exists."""
    grant.photoshelter_grant_id = photoshelter_grant_id
    session.flush()
    return grant


def resolve_link(session: Session, public_id: str) -> ShareGrant | None:
    """The grant behind a public link `/l/<public_id>` (no tenant context: the id is the capability)."""
    return session.scalars(select(ShareGrant).where(ShareGrant.public_id == public_id)).one_or_none()


def get_grant(session: Session, tenant_id: int, public_id: str) -> ShareGrant | None:
    """The tenant's grant with this public id (agent endpoints); None for another tenant's."""
    stmt = select(ShareGrant).where(ShareGrant.tenant_id == tenant_id, ShareGrant.public_id == public_id)
    return session.scalars(stmt).one_or_none()


def record_download(session: Session, grant: ShareGrant, *, now: datetime | None = None) -> bool:
    """Count one download if the grant still allows it; True when it counted.

    A single conditional UPDATE (`downloads < max_downloads`, not revoked, not expired), so
    concurrent downloads never exceed the limit on any dialect. When False, `grant.denial_reason()`
    (the grant is refreshed here) says why.
    """
    now = now or utcnow()
    session.flush()
    result = session.execute(
        update(ShareGrant)
        .where(
            ShareGrant.id == grant.id,
            ShareGrant.revoked_at.is_(None),
            ShareGrant.expires_at > now,
            (ShareGrant.max_downloads.is_(None)) | (ShareGrant.downloads < ShareGrant.max_downloads),
        )
        .values(downloads=ShareGrant.downloads + 1)
        .execution_options(synchronize_session=False)
    )
    session.refresh(grant)
    return result.rowcount == 1  # type: ignore[attr-defined]


def revoke(session: Session, grant: ShareGrant, *, by: str, now: datetime | None = None) -> bool:
    """Revoke the grant; True when this call revoked it, False when it already was (idempotent).

    The first revocation's time and actor are kept.
    """
    now = now or utcnow()
    session.flush()
    result = session.execute(
        update(ShareGrant)
        .where(ShareGrant.id == grant.id, ShareGrant.revoked_at.is_(None))
        .values(revoked_at=now, revoked_by=by[:128])
        .execution_options(synchronize_session=False)
    )
    session.refresh(grant)
    return result.rowcount == 1  # type: ignore[attr-defined]


def list_expiring(
    session: Session,
    start: datetime,
    end: datetime,
    *,
    tenant_id: int | None = None,
    limit: int = 1000,
) -> list[ShareGrant]:
    """Unrevoked grants with `start <= expires_at < end`, soonest first (all tenants unless given)."""
    stmt = select(ShareGrant).where(
        ShareGrant.revoked_at.is_(None), ShareGrant.expires_at >= start, ShareGrant.expires_at < end
    )
    if tenant_id is not None:
        stmt = stmt.where(ShareGrant.tenant_id == tenant_id)
    stmt = stmt.order_by(ShareGrant.expires_at, ShareGrant.id).limit(limit)
    return list(session.scalars(stmt))


def list_for_ticket(session: Session, tenant_id: int, ticket_id: int) -> list[ShareGrant]:
    """The ticket's grants, newest first."""
    stmt = (
        select(ShareGrant)
        .where(ShareGrant.tenant_id == tenant_id, ShareGrant.ticket_id == ticket_id)
        .order_by(ShareGrant.created_at.desc(), ShareGrant.id.desc())
    )
    return list(session.scalars(stmt))
