"""The SQLAlchemy engine: SQLite file by default, PostgreSQL (or any URL) via DATABASE_URL."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, text


def default_database_url(instance_path: str) -> str:
    """A SQLite file in the app's instance folder."""
    Path(instance_path).mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{Path(instance_path) / 'psz.sqlite'}"


def make_engine(url: str) -> Engine:
    """Create the engine; SQLite gets settings that suit a threaded server."""
    if url.startswith("sqlite"):
        return create_engine(url, connect_args={"check_same_thread": False, "timeout": 15})
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


def ping(engine: Engine) -> None:
    """Run a trivial query; raises when the database is unreachable."""
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
