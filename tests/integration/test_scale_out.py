"""The scale-out path: Redis as the shared cache and PostgreSQL as the database."""

from __future__ import annotations

import socket

import pytest
import redis
import requests

from tests.conftest import DEMO_SECRET, LiveServer, require_service, start_live_server

REDIS_URL = "redis://127.0.0.1:6379/15"
POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def reachable(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def scaled():
    require_service("Redis", reachable(6379))
    require_service("PostgreSQL", reachable(5432))
    redis.Redis.from_url(REDIS_URL).flushdb()
    server, app, url = start_live_server(
        {"DEMO_SHARED_SECRET": DEMO_SECRET, "DATABASE_URL": POSTGRES_URL, "REDIS_URL": REDIS_URL}
    )
    yield LiveServer(url, app)
    server.shutdown()
    redis.Redis.from_url(REDIS_URL).flushdb()


def test_readyz_checks_postgres_and_redis(scaled):
    ready = requests.get(scaled.url + "/readyz", timeout=10)
    assert ready.status_code == 200, ready.text
    assert scaled.app.extensions["psz"].engine.dialect.name == "postgresql"
    assert scaled.app.extensions["psz"].settings.cache_type == "RedisCache"


def test_photoshelter_reads_are_cached_in_redis_per_tenant(scaled):
    first = scaled.get("/api/v1/search", params={"kind": "gallery", "per_page": 5})
    assert first.status_code == 200
    keys = [k.decode() for k in redis.Redis.from_url(REDIS_URL).keys("*")]
    photoshelter_keys = [k for k in keys if ":ps:" in k]
    assert photoshelter_keys and all(k.startswith("psz:ps:demo:") for k in photoshelter_keys)
    # With PhotoShelter failing, the cached answer still serves the same page.
    scaled.faults(fail_next=100, error_status=503)
    try:
        again = scaled.get("/api/v1/search", params={"kind": "gallery", "per_page": 5})
    finally:
        scaled.faults()
    assert again.status_code == 200
    assert again.json()["items"] == first.json()["items"]
