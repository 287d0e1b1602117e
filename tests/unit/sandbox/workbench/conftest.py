"""Fixtures for the workbench tests: a staged app folder, the workbench app and its test client."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from backend.sandbox.workbench import create_workbench

SECRET = "workbench-test-shared-secret-0123456789abcdef"
BACKEND = "http://127.0.0.1:5000"

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


@pytest.fixture
def app_dir(tmp_path: Path) -> Path:
    return stage_app(tmp_path / "app")


@pytest.fixture
def make_workbench(app_dir: Path):
    def make(**config: Any) -> Flask:
        return create_workbench({"installation": dict(INSTALLATION), "app_dir": app_dir, **config})

    return make


@pytest.fixture
def workbench(make_workbench) -> Flask:
    return make_workbench()


@pytest.fixture
def wb(workbench: Flask) -> FlaskClient:
    return workbench.test_client()
