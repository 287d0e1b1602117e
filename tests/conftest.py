"""Shared fixtures: app factories, a live threaded server with the simulators, demo tokens."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import requests
from werkzeug.serving import make_server

from backend import create_app
from backend.api.security import jwt_policy
from backend.auth import mint_agent_token
from backend.store.tenants import DEMO_SUBDOMAIN

DEMO_SECRET = "test-demo-shared-secret-0123456789abcdef"
IN_CI = os.environ.get("CI") == "true"


def require_service(name: str, reachable: bool) -> None:
    """Skip a test whose service is missing, except in CI where every path must be exercised."""
    if reachable:
        return
    if IN_CI:
        pytest.fail(f"{name} is required when CI=true but is not reachable")
    pytest.skip(f"{name} not reachable on this machine")


@dataclass
class LiveServer:
    """A running backend (demo mode, simulators mounted) reachable over real HTTP."""

    url: str
    app: object

    def token(self, **kwargs) -> str:
        ext = self.app.extensions["psz"]
        with self.app.app_context():
            policy = jwt_policy()
        return mint_agent_token(ext.tenants.get(DEMO_SUBDOMAIN), policy, **kwargs)

    def request(self, method: str, path: str, token: str | None = None, headers=None, **kwargs):
        headers = {"Authorization": f"Bearer {token or self.token()}", **(headers or {})}
        return requests.request(method, self.url + path, headers=headers, timeout=30, **kwargs)

    def get(self, path: str, token: str | None = None, **kwargs) -> requests.Response:
        return self.request("GET", path, token, **kwargs)

    def post(self, path: str, token: str | None = None, **kwargs) -> requests.Response:
        return self.request("POST", path, token, **kwargs)

    def delete(self, path: str, token: str | None = None, **kwargs) -> requests.Response:
        return self.request("DELETE", path, token, **kwargs)

    def faults(self, **settings) -> None:
        """Set (or with no arguments, clear) the PhotoShelter simulator's fault injection."""
        url = self.url + "/sandbox/photoshelter/_faults"
        response = (
            requests.post(url, json=settings, timeout=5) if settings else requests.delete(url, timeout=5)
        )
        response.raise_for_status()


def start_live_server(config: dict) -> tuple[object, object, str]:
    """Create an app bound to a free port on 127.0.0.1 and serve it from a thread."""
    server = make_server("127.0.0.1", 0, None, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    app = create_app({"PUBLIC_URL": url, **config})
    server.app = app
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, app, url


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    """One demo backend for the whole session (its caches are disabled so tests see live state)."""
    db = tmp_path_factory.mktemp("db") / "live.sqlite"
    server, app, url = start_live_server(
        {
            "DEMO_SHARED_SECRET": DEMO_SECRET,
            "DATABASE_URL": f"sqlite:///{db}",
            "CACHE_TYPE": "NullCache",
            # Short timeouts keep the upstream-fault tests quick.
            "HTTP_TIMEOUT_SECONDS": 1.5,
            "HTTP_MAX_RETRIES": 2,
        }
    )
    yield LiveServer(url, app)
    server.shutdown()


@pytest.fixture
def live(live_server) -> Iterator[LiveServer]:
    """The live server with faults cleared before and after each test."""
    live_server.faults()
    yield live_server
    live_server.faults()


@pytest.fixture
def app(tmp_path):
    """A demo-mode app for in-process tests (no server)."""
    return create_app(
        {"DEMO_SHARED_SECRET": DEMO_SECRET, "DATABASE_URL": f"sqlite:///{tmp_path / 't.sqlite'}"}
    )


@pytest.fixture
def client(app):
    """Flask test client."""
    return app.test_client()
