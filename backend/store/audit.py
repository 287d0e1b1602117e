"""The append-only audit log: who (asserted), tenant, ticket, what, to whom, expiry, outcome.

Rows are only ever inserted; the ORM and database triggers refuse updates and deletes. Never put
secrets (share credentials, tokens) in `details`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from backend.store.models import AuditEvent, AuditOutcome

SYSTEM_ACTOR = "system"
MAX_PAGE = 500


def agent_actor(agent_id: str | int) -> str:
    """The actor string for an agent known only from the JWT's `sub` (asserted, not proven)."""
    return f"agent:{agent_id} (asserted)"


@dataclass(frozen=True)
class AuditPage:
    """One page of events, newest first; pass `next_before_id` back to get the next page."""

    items: list[AuditEvent]
    next_before_id: int | None


def append(
    session: Session,
    *,
    tenant_id: int,
    actor: str,
    action: str,
    target: str,
    outcome: AuditOutcome | str = AuditOutcome.OK,
    ticket_id: int | None = None,
    recipients: Sequence[str] = (),
    expires_at: datetime | None = None,
    details: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one event and flush (it commits with the caller's unit of work)."""
    event = AuditEvent(
        tenant_id=tenant_id,
        ticket_id=ticket_id,
        actor=actor[:128],
        action=action,
        target=target[:255],
        recipients=list(recipients),
        expires_at=expires_at,
        outcome=AuditOutcome(outcome),
        details=dict(details or {}),
    )
    session.add(event)
    session.flush()
    return event


def list_for_ticket(
    session: Session, tenant_id: int, ticket_id: int, *, limit: int = 50, before_id: int | None = None
) -> AuditPage:
    """The ticket's events, newest first, `limit` at a time."""
    stmt = select(AuditEvent).where(AuditEvent.tenant_id == tenant_id, AuditEvent.ticket_id == ticket_id)
    return _page(session, stmt, limit, before_id)


def list_for_tenant(
    session: Session,
    tenant_id: int,
    *,
    limit: int = 50,
    before_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    action: str | None = None,
) -> AuditPage:
    """The tenant's events, newest first, optionally within `[since, until)` and for one action."""
    stmt = select(AuditEvent).where(AuditEvent.tenant_id == tenant_id)
    if since is not None:
        stmt = stmt.where(AuditEvent.created_at >= since)
    if until is not None:
        stmt = stmt.where(AuditEvent.created_at < until)
    if action is not None:
        stmt = stmt.where(AuditEvent.action == action)
    return _page(session, stmt, limit, before_id)


def _page(session: Session, stmt: Select[tuple[AuditEvent]], limit: int, before_id: int | None) -> AuditPage:
    """Keyset paging on the id (ids only grow; rows never change)."""
    limit = max(1, min(limit, MAX_PAGE))
    if before_id is not None:
        stmt = stmt.where(AuditEvent.id < before_id)
    rows = list(session.scalars(stmt.order_by(AuditEvent.id.desc()).limit(limit + 1)))
    more = len(rows) > limit
    items = rows[:limit]
    return AuditPage(items, items[-1].id if more else None)
