"""Link events: opens, downloads and denials on share links, for analytics."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.store.models import DenialReason, LinkEvent, LinkEventKind, ShareGrant
from backend.store.types import utcnow


def record_event(
    session: Session,
    *,
    tenant_id: int,
    share_grant_id: int,
    kind: LinkEventKind | str,
    reason: DenialReason | str | None = None,
    user_agent: str | None = None,
    now: datetime | None = None,
) -> LinkEvent:
    """Store one event; the user agent is truncated to 256 characters.

    Raises ValueError when the grant does not exist or belongs to another tenant.
    """
    grant = session.get(ShareGrant, share_grant_id)
    if grant is None or grant.tenant_id != tenant_id:
        raise ValueError("no such share grant for this tenant")
    link_event = LinkEvent(
        tenant_id=tenant_id,
        share_grant_id=share_grant_id,
        kind=LinkEventKind(kind),
        reason=DenialReason(reason) if reason is not None else None,
        user_agent=user_agent[: LinkEvent.USER_AGENT_MAX] if user_agent else None,
        created_at=now or utcnow(),
    )
    session.add(link_event)
    session.flush()
    return link_event


def count_by_kind(
    session: Session,
    tenant_id: int,
    start: datetime,
    end: datetime,
    *,
    share_grant_id: int | None = None,
) -> dict[LinkEventKind, int]:
    """Events per kind with `start <= created_at < end` (every kind present, zero when none)."""
    stmt = select(LinkEvent.kind, func.count()).where(
        LinkEvent.tenant_id == tenant_id, LinkEvent.created_at >= start, LinkEvent.created_at < end
    )
    if share_grant_id is not None:
        stmt = stmt.where(LinkEvent.share_grant_id == share_grant_id)
    counts = dict.fromkeys(LinkEventKind, 0)
    for kind, count in session.execute(stmt.group_by(LinkEvent.kind)):
        counts[LinkEventKind(kind)] = count
    return counts
