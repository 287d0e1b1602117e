"""Store fixtures: every test runs against SQLite (a temp file) and PostgreSQL (a throwaway schema).

PostgreSQL tests are skipped with a reason when the server is unreachable, and fail when CI=true.
Set PSZ_TEST_POSTGRES_URL to point at another server.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Engine, create_engine, make_url, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from backend.store.db import make_engine
from backend.store.migrate import upgrade
from backend.store.session import make_sessionmaker, session_scope
from backend.store.tenants_repo import ensure_tenant
from tests.conftest import require_service

POSTGRES_URL = os.environ.get("PSZ_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
DIALECTS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]

_reachable: dict[str, bool] = {}


def postgres_reachable() -> bool:
    """Whether the test PostgreSQL server answers (checked once)."""
    if "pg" not in _reachable:
        probe = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 2})
        try:
            with probe.connect() as conn:
                conn.execute(text("SELECT 1"))
            _reachable["pg"] = True
        except OperationalError:
            _reachable["pg"] = False
        finally:
            probe.dispose()
    return _reachable["pg"]


@contextmanager
def postgres_schema() -> Iterator[Engine]:
    """An engine whose connections live in a fresh schema (`search_path`), dropped afterwards."""
    require_service(f"PostgreSQL at {make_url(POSTGRES_URL).render_as_string()}", postgres_reachable())
    schema = f"psz_test_{secrets.token_hex(6)}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def blank_database(dialect: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """An empty database of the given dialect."""
    if dialect == "postgresql":
        with postgres_schema() as engine:
            yield engine
        return
    path = tmp_path_factory.mktemp("store") / "store.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture(scope="session", params=DIALECTS)
def engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """One migrated database per dialect for the whole session (tests isolate by tenant)."""
    with blank_database(request.param, tmp_path_factory) as engine:
        upgrade(engine)
        yield engine


@pytest.fixture(params=DIALECTS)
def blank_engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """A fresh, unmigrated database per test (for migration tests)."""
    with blank_database(request.param, tmp_path_factory) as engine:
        yield engine


@pytest.fixture
def factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions on the migrated database."""
    return make_sessionmaker(engine)


@pytest.fixture
def session(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session for one test; committed work stays (tests use their own tenants)."""
    with factory() as session:
        yield session
        session.rollback()


@pytest.fixture
def make_tenant(factory: sessionmaker[Session]) -> Callable[[], int]:
    """Create (and commit) a tenant with a unique subdomain; returns its id."""

    def make() -> int:
        with session_scope(factory) as s:
            return ensure_tenant(s, f"t-{secrets.token_hex(6)}").id

    return make


@pytest.fixture
def tenant(make_tenant: Callable[[], int]) -> int:
    """A fresh tenant id."""
    return make_tenant()


@pytest.fixture
def other_tenant(make_tenant: Callable[[], int]) -> int:
    """A second fresh tenant id."""
    return make_tenant()
