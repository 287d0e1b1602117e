"""Fixtures for the workbench tests: a staged app folder, a live Zendesk simulator, the workbench.

The workbench reads and writes tickets through the Zendesk REST API over real HTTP, so the
simulator runs on a live threaded werkzeug server (mounted at `/sandbox/zendesk`, as in demo
mode); the workbench itself is driven through its Flask test client. `seed_workbench` builds one
without a Zendesk API (the seed fallback).
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.exceptions import NotFound
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.serving import make_server

from backend.sandbox.workbench import create_workbench
from backend.sandbox.zendesk import (
    DEMO_API_TOKEN,
    DEMO_EMAIL,
    ZendeskState,
    create_zendesk_simulator,
    simulator_state,
)

SECRET = "workbench-test-shared-secret-0123456789abcdef"
BACKEND = "http://127.0.0.1:5000"
ZENDESK_MOUNT = "/sandbox/zendesk"
BASIC = "Basic " + base64.b64encode(f"{DEMO_EMAIL}/token:{DEMO_API_TOKEN}".encode()).decode()
#: Strings that must never reach a page, a JSON answer or a proxy envelope.
CREDENTIALS = (DEMO_API_TOKEN, BASIC.removeprefix("Basic "), f"{DEMO_EMAIL}/token")

MANIFEST: dict[str, Any] = {
    "name": "PhotoShelter for Zendesk",
    "version": "1.2.3",
    "frameworkVersion": "2.0",
    "location": {"support": {"ticket_sidebar": {"url": "assets/iframe.html", "flexible": True}}},
    "domainWhitelist": ["photoshelter-zendesk.example.com", "*.northwind.example"],
    "parameters": [
        {"name": "backend_url", "type": "url", "required": True},
        {"name": "shared_secret", "type": "text", "secure": True, "scopes": ["jwt_secret_key"]},
        {"name": "api_token", "type": "text", "secure": True},
        {"name": "expiring_soon_days", "type": "number", "default": 7},
        {"name": "default_share_days", "type": "number", "default": 14},
        {"name": "approved_only", "type": "checkbox", "default": False},
    ],
}

INSTALLATION: dict[str, Any] = {
    "backend_url": BACKEND,
    "shared_secret": SECRET,
    "api_token": "unscoped-secure-token-value-0123456789",
    "expiring_soon_days": 5,
    "default_share_days": 14,
    "approved_only": True,
}


def stage_app(root: Path, manifest: dict[str, Any] | None = MANIFEST, built: bool = True) -> Path:
    """Write a minimal staged app (manifest.json + assets/iframe.html) under `root`."""
    root.mkdir(parents=True, exist_ok=True)
    if manifest is not None:
        (root / "manifest.json").write_text(json.dumps(manifest))
    if built:
        (root / "assets").mkdir(exist_ok=True)
        (root / "assets" / "iframe.html").write_text("<!doctype html><title>sidebar</title>")
    return root


def serve(app: Any) -> tuple[Any, str]:
    """Serve a WSGI app from a thread on a free port of 127.0.0.1 (threaded, like `flask run`)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def unused_url() -> str:
    """A base URL where nothing listens (a port that was free a moment ago)."""
    server = make_server("127.0.0.1", 0, NotFound())
    port = server.server_port
    server.server_close()
    return f"http://127.0.0.1:{port}{ZENDESK_MOUNT}"


@dataclass
class LiveZendesk:
    """A Zendesk simulator on a live server: `base_url` is its mount (what the workbench is given)."""

    base_url: str
    app: Flask

    @property
    def state(self) -> ZendeskState:
        return simulator_state(self.app)

    def api(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """An authenticated API call (`path` below `/api/v2`)."""
        headers = {"Authorization": BASIC, **kwargs.pop("headers", {})}
        return requests.request(
            method, f"{self.base_url}/api/v2{path}", headers=headers, timeout=10, **kwargs
        )

    def ok(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.api(method, path, **kwargs)
        assert response.status_code < 300, (response.status_code, response.text)
        return response.json() if response.content else None

    def faults(self, **settings: Any) -> dict[str, Any]:
        """Set (no arguments: clear) the simulator's fault switches; the settings in force."""
        url = f"{self.base_url}/_faults"
        response = (
            requests.post(url, json=settings, timeout=5) if settings else requests.delete(url, timeout=5)
        )
        response.raise_for_status()
        return response.json()

    def upload(self, name: str, data: bytes, content_type: str = "image/png") -> dict[str, Any]:
        return self.ok(
            "POST", "/uploads", params={"filename": name}, data=data, headers={"Content-Type": content_type}
        )["upload"]

    def comment(self, ticket_id: int, **comment: Any) -> dict[str, Any]:
        return self.ok("PUT", f"/tickets/{ticket_id}", json={"ticket": {"comment": comment}})

    def ticket(self, ticket_id: int) -> dict[str, Any]:
        return self.ok("GET", f"/tickets/{ticket_id}")["ticket"]

    def comments(self, ticket_id: int) -> list[dict[str, Any]]:
        return self.ok("GET", f"/tickets/{ticket_id}/comments")["comments"]


@pytest.fixture
def make_zendesk() -> Iterator[Callable[..., LiveZendesk]]:
    """`make_zendesk(**simulator_config)` starts a fresh simulator; all are stopped afterwards."""
    servers = []

    def make(**config: Any) -> LiveZendesk:
        sim = create_zendesk_simulator(config)
        server, url = serve(DispatcherMiddleware(NotFound(), {ZENDESK_MOUNT: sim}))
        servers.append(server)
        return LiveZendesk(url + ZENDESK_MOUNT, sim)

    yield make
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def zendesk(make_zendesk) -> LiveZendesk:
    return make_zendesk()


@pytest.fixture
def app_dir(tmp_path: Path) -> Path:
    return stage_app(tmp_path / "app")


@pytest.fixture
def make_workbench(app_dir: Path, zendesk: LiveZendesk):
    """`make_workbench(**config)`: a workbench on the live simulator (override any config key)."""

    def make(**config: Any) -> Flask:
        base = {"installation": dict(INSTALLATION), "app_dir": app_dir, "zendesk_base_url": zendesk.base_url}
        return create_workbench({**base, **config})

    return make


@pytest.fixture
def seed_workbench(app_dir: Path) -> Callable[..., Flask]:
    """`seed_workbench(**config)`: a workbench without a Zendesk API (seed data and a warning)."""

    def make(**config: Any) -> Flask:
        return create_workbench({"installation": dict(INSTALLATION), "app_dir": app_dir, **config})

    return make


@pytest.fixture
def workbench(make_workbench) -> Flask:
    return make_workbench()


@pytest.fixture
def wb(workbench: Flask) -> FlaskClient:
    return workbench.test_client()
