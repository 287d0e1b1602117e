"""The SQLAlchemy engine: SQLite file by default, PostgreSQL (or any URL) via DATABASE_URL."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text


def default_database_url(instance_path: str) -> str:
    """A SQLite file in the app's instance folder."""
    Path(instance_path).mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{Path(instance_path) / 'psz.sqlite'}"


def make_engine(url: str, *, connect_args: Mapping[str, Any] | None = None, **engine_kwargs: Any) -> Engine:
    """Create the engine; SQLite gets settings that suit a threaded server.

    SQLite connections enforce foreign keys (as PostgreSQL does) and use WAL journalling so readers
    do not block the writer. `connect_args` and `engine_kwargs` extend or override the defaults
    (e.g. `connect_args={"options": "-csearch_path=myschema"}` for PostgreSQL).
    """
    if url.startswith("sqlite"):
        args: dict[str, Any] = {"check_same_thread": False, "timeout": 15, **(connect_args or {})}
        engine = create_engine(url, connect_args=args, **engine_kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    options: dict[str, Any] = {"pool_pre_ping": True, "pool_size": 5, "max_overflow": 10, **engine_kwargs}
    return create_engine(url, connect_args=dict(connect_args or {}), **options)


def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """Per-connection SQLite settings (foreign keys are off by default in SQLite)."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
    finally:
        cursor.close()


def ping(engine: Engine) -> None:
    """Run a trivial query; raises when the database is unreachable."""
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
