"""Alembic environment: the store's metadata, a connection handed in by `backend.store.migrate`.

Run through `backend.store.migrate` (no alembic.ini): it passes an open connection in
`config.attributes["connection"]`; otherwise `sqlalchemy.url` is used. SQLite migrations use
batch mode so later `ALTER`s work.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from backend.store.db import make_engine
from backend.store.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_offline() -> None:
    """Emit SQL to stdout (`--sql` mode) from a URL alone."""
    url = config.get_main_option("sqlalchemy.url") or "sqlite://"
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        render_as_batch=url.startswith("sqlite"),
    )
    with context.begin_transaction():
        context.run_migrations()


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Migrate through the given connection, or a fresh one to `sqlalchemy.url`."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no connection or sqlalchemy.url given to the migration environment")
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            _run(conn)
            conn.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
