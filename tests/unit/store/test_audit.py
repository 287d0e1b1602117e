"""The audit log: appending, paging, and refusal of every kind of update or delete."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, text, update
from sqlalchemy.exc import DBAPIError

from backend.store import audit
from backend.store.models import AppendOnlyError, AuditEvent, AuditOutcome
from backend.store.session import session_scope


def add(session, tenant, ticket=3, action="share.created", **kwargs):
    return audit.append(
        session,
        tenant_id=tenant,
        ticket_id=ticket,
        actor=kwargs.pop("actor", audit.agent_actor(42)),
        action=action,
        target=kwargs.pop("target", "gallery:G1"),
        **kwargs,
    )


def test_append_records_everything(session, tenant):
    expires = datetime(2030, 5, 1, 12, tzinfo=UTC)
    e = add(
        session,
        tenant,
        recipients=["c@example.com"],
        expires_at=expires,
        outcome="failed",
        details={"error": "upstream"},
    )
    session.commit()
    session.expire_all()
    got = session.get(AuditEvent, e.id)
    assert got.actor == "agent:42 (asserted)"
    assert got.recipients == ["c@example.com"]
    assert got.expires_at == expires
    assert got.outcome is AuditOutcome.FAILED
    assert got.details == {"error": "upstream"}
    assert got.created_at.tzinfo is not None


def test_paging_for_ticket_and_tenant(session, tenant, other_tenant):
    made = [add(session, tenant, ticket=8, action=f"a{i}") for i in range(5)]
    add(session, tenant, ticket=9)
    add(session, other_tenant, ticket=8)
    page1 = audit.list_for_ticket(session, tenant, 8, limit=2)
    assert [e.id for e in page1.items] == [made[4].id, made[3].id]
    page2 = audit.list_for_ticket(session, tenant, 8, limit=2, before_id=page1.next_before_id)
    assert [e.id for e in page2.items] == [made[2].id, made[1].id]
    page3 = audit.list_for_ticket(session, tenant, 8, limit=2, before_id=page2.next_before_id)
    assert [e.id for e in page3.items] == [made[0].id]
    assert page3.next_before_id is None
    everything = audit.list_for_tenant(session, tenant, limit=100)
    assert len(everything.items) == 6 and everything.next_before_id is None
    assert len(audit.list_for_tenant(session, tenant, action="a1").items) == 1
    future = datetime(2100, 1, 1, tzinfo=UTC)
    assert audit.list_for_tenant(session, tenant, since=future).items == []
    assert len(audit.list_for_tenant(session, tenant, until=future).items) == 6


def test_orm_update_is_refused(factory, tenant):
    with session_scope(factory) as s:
        event_id = add(s, tenant).id
    with factory() as s:
        e = s.get(AuditEvent, event_id)
        e.outcome = AuditOutcome.FAILED
        with pytest.raises(AppendOnlyError):
            s.flush()
        s.rollback()


def test_orm_delete_is_refused(factory, tenant):
    with session_scope(factory) as s:
        event_id = add(s, tenant).id
    with factory() as s:
        s.delete(s.get(AuditEvent, event_id))
        with pytest.raises(AppendOnlyError):
            s.flush()
        s.rollback()


def test_orm_bulk_statements_are_refused(session, tenant):
    add(session, tenant)
    with pytest.raises(AppendOnlyError):
        session.execute(update(AuditEvent).where(AuditEvent.tenant_id == tenant).values(action="x"))
    with pytest.raises(AppendOnlyError):
        session.execute(delete(AuditEvent).where(AuditEvent.tenant_id == tenant))


RAW_SQL = {
    "update": "UPDATE audit_events SET action = 'tampered' WHERE tenant_id = :t",
    "delete": "DELETE FROM audit_events WHERE tenant_id = :t",
    # SQLite has no TRUNCATE; an unconditional DELETE is its equivalent (and fires the trigger).
    "truncate": {"postgresql": "TRUNCATE audit_events", "sqlite": "DELETE FROM audit_events"},
}


@pytest.mark.parametrize("statement", sorted(RAW_SQL))
def test_raw_sql_is_refused_by_the_database(engine, factory, tenant, statement):
    sql = RAW_SQL[statement]
    if isinstance(sql, dict):
        sql = sql[engine.dialect.name]
    with session_scope(factory) as s:
        event_id = add(s, tenant).id
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(text(sql), {"t": tenant})
    with engine.connect() as conn:
        row = conn.execute(text("SELECT action FROM audit_events WHERE id = :i"), {"i": event_id}).one()
    assert row.action == "share.created"


def test_actor_and_truncation(session, tenant):
    e = add(session, tenant, actor="x" * 500, target="y" * 500)
    assert len(e.actor) == 128 and len(e.target) == 255
    assert audit.SYSTEM_ACTOR == "system"
