"""Run the store's Alembic migrations from code (no alembic.ini at runtime).

The app factory calls `upgrade(engine)` at start-up. Several processes may start together (web
workers, job consumers): on PostgreSQL a transaction-scoped advisory lock serialises them, on a
SQLite file an OS file lock does; the losers then find the schema at head and do nothing.

Developers: `python -m backend.store.migrate --help` (upgrade, downgrade, current, revision).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

from backend.store.db import make_engine

MIGRATIONS_DIR = Path(__file__).resolve().with_name("migrations")
# Arbitrary 64-bit key for pg_advisory_xact_lock ("PSZMIGR" in ASCII).
ADVISORY_LOCK_KEY = 0x50535A4D494752


def alembic_config() -> Config:
    """An Alembic Config pointing at the packaged migrations folder."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    return config


def head_revision() -> str:
    """The newest revision shipped with the code."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine_or_url: Engine | str) -> str | None:
    """The revision the database is at (None when it was never migrated)."""
    with _engine(engine_or_url) as engine, engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine_or_url: Engine | str, revision: str = "head") -> None:
    """Migrate the database up to `revision` (default: the newest). Safe to call on every start."""
    _run(engine_or_url, lambda config: command.upgrade(config, revision))


def downgrade(engine_or_url: Engine | str, revision: str) -> None:
    """Migrate the database down to `revision` (`base` removes every table)."""
    _run(engine_or_url, lambda config: command.downgrade(config, revision))


def _run(engine_or_url: Engine | str, action: Callable[[Config], None]) -> None:
    with _engine(engine_or_url) as engine, _file_lock(engine), engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            # Batch migrations copy tables; foreign keys must be off (the PRAGMA is a no-op inside
            # a transaction, so it is set before one begins).
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        try:
            with conn.begin():
                _lock(conn)
                config = alembic_config()
                config.attributes["connection"] = conn
                action(config)
        finally:
            if sqlite:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()


def _lock(conn: Connection) -> None:
    """Serialise concurrent migrators on PostgreSQL until this transaction ends."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})


@contextlib.contextmanager
def _engine(engine_or_url: Engine | str) -> Iterator[Engine]:
    if isinstance(engine_or_url, Engine):
        yield engine_or_url
        return
    engine = make_engine(engine_or_url)
    try:
        yield engine
    finally:
        engine.dispose()


@contextlib.contextmanager
def _file_lock(engine: Engine) -> Iterator[None]:
    """For a SQLite file, hold an exclusive lock on `<file>.migrate.lock` (POSIX only)."""
    database = engine.url.database
    in_memory = not database or database == ":memory:" or database.startswith("file:")
    if engine.dialect.name != "sqlite" or in_memory:
        yield
        return
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    with open(f"{database}.migrate.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def main(argv: list[str] | None = None) -> int:
    """Command line for developers and operators."""
    parser = argparse.ArgumentParser(prog="python -m backend.store.migrate", description=__doc__)
    parser.add_argument(
        "--url",
        default=os.environ.get("PSZ_DATABASE_URL") or os.environ.get("DATABASE_URL"),
        help="database URL (default: $PSZ_DATABASE_URL or $DATABASE_URL)",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("upgrade", help="migrate up")
    up.add_argument("revision", nargs="?", default="head")
    down = sub.add_parser("downgrade", help="migrate down")
    down.add_argument("revision")
    sub.add_parser("current", help="print the database's revision")
    rev = sub.add_parser("revision", help="write a new migration script")
    rev.add_argument("-m", "--message", required=True)
    rev.add_argument("--autogenerate", action="store_true", help="diff the models against --url")
    args = parser.parse_args(argv)

    if args.command == "revision":
        config = alembic_config()
        rev_id = f"{len(list(ScriptDirectory.from_config(config).walk_revisions())) + 1:04d}"
        if not args.autogenerate:
            command.revision(config, args.message, rev_id=rev_id)
            return 0
        if not args.url:
            parser.error("--autogenerate needs --url")
        with _engine(args.url) as engine, engine.connect() as conn:
            config.attributes["connection"] = conn
            command.revision(config, args.message, autogenerate=True, rev_id=rev_id)
        return 0
    if not args.url:
        parser.error("no database URL: pass --url or set DATABASE_URL")
    if args.command == "upgrade":
        upgrade(args.url, args.revision)
    elif args.command == "downgrade":
        downgrade(args.url, args.revision)
    else:
        print(current_revision(args.url) or "(none)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
