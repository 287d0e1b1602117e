"""The packaged Alembic migrations: create every table and trigger on both dialects, match the
models exactly, downgrade cleanly, and tolerate concurrent start-ups."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import DateTime, Engine, inspect, text
from sqlalchemy.exc import IntegrityError

from backend.store.migrate import MIGRATIONS_DIR, current_revision, downgrade, head_revision, upgrade
from backend.store.models import Base

TABLES = {"tenants", "deliveries", "share_grants", "link_events", "audit_events", "idempotency_keys"}


def triggers(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            rows = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
        else:
            rows = conn.execute(
                text(
                    "SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE NOT t.tgisinternal AND n.nspname = current_schema()"
                )
            )
        return {r[0] for r in rows}


def test_models_cover_the_expected_tables():
    assert set(Base.metadata.tables) == TABLES


def test_upgrade_creates_every_table_and_index(blank_engine):
    assert current_revision(blank_engine) is None
    upgrade(blank_engine)
    inspector = inspect(blank_engine)
    assert set(inspector.get_table_names()) == TABLES | {"alembic_version"}
    assert current_revision(blank_engine) == head_revision() == "0002"
    indexes = {ix["name"] for table in TABLES for ix in inspector.get_indexes(table)}
    assert {
        "ix_deliveries_tenant_ticket_created",
        "ix_share_grants_expires_at",
        "ix_audit_events_tenant_ticket_created",
        "ix_link_events_tenant_created",
    } <= indexes
    uniques = {tuple(u["column_names"]) for u in inspector.get_unique_constraints("idempotency_keys")}
    assert ("tenant_id", "scope", "key") in uniques


def test_migrated_schema_matches_the_models(blank_engine):
    upgrade(blank_engine)
    with blank_engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_timestamp_columns(blank_engine):
    upgrade(blank_engine)
    column = {c["name"]: c for c in inspect(blank_engine).get_columns("share_grants")}["expires_at"]
    assert isinstance(column["type"], DateTime)
    if blank_engine.dialect.name == "postgresql":
        assert column["type"].timezone is True  # timestamptz; SQLite stores naive UTC text


def test_upgrade_installs_append_only_triggers(blank_engine):
    upgrade(blank_engine)
    expected = (
        {"audit_events_no_update", "audit_events_no_delete"}
        if blank_engine.dialect.name == "sqlite"
        else {"audit_events_append_only", "audit_events_no_truncate"}
    )
    assert expected <= triggers(blank_engine)


def test_downgrade_to_base_and_back(blank_engine):
    upgrade(blank_engine)
    downgrade(blank_engine, "base")
    assert set(inspect(blank_engine).get_table_names()) == {"alembic_version"}
    assert triggers(blank_engine) == set()
    assert current_revision(blank_engine) is None
    upgrade(blank_engine)
    assert set(inspect(blank_engine).get_table_names()) == TABLES | {"alembic_version"}


def test_upgrade_is_idempotent_and_safe_when_processes_start_together(blank_engine):
    with ThreadPoolExecutor(max_workers=3) as pool:
        for future in [pool.submit(upgrade, blank_engine) for _ in range(3)]:
            future.result()
    upgrade(blank_engine)
    assert current_revision(blank_engine) == head_revision()


def test_upgrade_accepts_a_url(tmp_path):
    url = f"sqlite:///{tmp_path / 'by-url.sqlite'}"
    upgrade(url)
    assert current_revision(url) == head_revision()


def test_create_all_installs_the_same_triggers(blank_engine):
    Base.metadata.create_all(blank_engine)
    try:
        with blank_engine.begin() as conn:
            conn.execute(text("INSERT INTO tenants (subdomain, created_at) VALUES ('x', CURRENT_TIMESTAMP)"))
            conn.execute(
                text(
                    "INSERT INTO audit_events (tenant_id, actor, action, target, recipients, outcome, "
                    "details, created_at) VALUES (1, 'system', 'a', 't', '[]', 'ok', '{}', CURRENT_TIMESTAMP)"
                )
            )
        with pytest.raises(IntegrityError, match="append-only"), blank_engine.begin() as conn:
            conn.execute(text("UPDATE audit_events SET action = 'b'"))
    finally:
        Base.metadata.drop_all(blank_engine)


def test_migration_files_ship_inside_the_package():
    assert (MIGRATIONS_DIR / "env.py").is_file()
    assert (MIGRATIONS_DIR / "script.py.mako").is_file()
    assert (MIGRATIONS_DIR / "versions" / "0001_initial.py").is_file()
