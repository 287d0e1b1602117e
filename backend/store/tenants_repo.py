"""Tenant rows: the durable id every other table is scoped by."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.store.conflicts import insert_or_ignore
from backend.store.models import TenantRow


def get_tenant(session: Session, subdomain: str) -> TenantRow | None:
    """The row for a subdomain, or None."""
    return session.scalars(select(TenantRow).where(TenantRow.subdomain == subdomain)).one_or_none()


def ensure_tenant(session: Session, subdomain: str) -> TenantRow:
    """The row for a subdomain, created if missing (safe when several workers race to create it)."""
    subdomain = subdomain.strip().lower()
    if not subdomain:
        raise ValueError("subdomain must not be empty")
    existing = get_tenant(session, subdomain)
    if existing is not None:
        return existing
    insert_or_ignore(session, TenantRow.__table__, {"subdomain": subdomain}, ["subdomain"])
    row = get_tenant(session, subdomain)
    assert row is not None
    return row
