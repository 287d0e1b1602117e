"""Race-free "insert unless it already exists", built on the table's unique constraints."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session


def insert_or_ignore(
    session: Session, table: Table, values: Mapping[str, Any], conflict_columns: Sequence[str]
) -> bool:
    """Insert one row unless one with the same `conflict_columns` exists; True when this call inserted.

    Uses `INSERT ... ON CONFLICT DO NOTHING` on PostgreSQL and SQLite, so concurrent callers never
    see an error and exactly one of them inserts. Other dialects fall back to a savepoint and a
    caught IntegrityError. Column defaults (ids, timestamps) apply as for any Core insert.
    """
    dialect = session.get_bind().dialect.name
    connection = session.connection()
    if dialect in ("postgresql", "sqlite"):
        module: Any = postgresql if dialect == "postgresql" else sqlite
        stmt = (
            module.insert(table)
            .values(**values)
            .on_conflict_do_nothing(index_elements=conflict_columns)
            .returning(*table.primary_key.columns)
        )
        # rowcount is unreliable with RETURNING (psycopg reports -1); a returned row means inserted.
        return connection.execute(stmt).first() is not None
    try:
        with session.begin_nested():
            session.connection().execute(insert(table).values(**values))
    except IntegrityError:
        return False
    return True
