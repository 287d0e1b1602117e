"""Fixtures for the Zendesk simulator tests: a settable clock and an authenticated test client."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from backend.sandbox.zendesk import (
    DEMO_API_TOKEN,
    DEMO_EMAIL,
    ZendeskState,
    create_zendesk_simulator,
    simulator_state,
)
from tests.unit.sandbox.conftest import NOW, Clock

API = "/api/v2"
BASIC = "Basic " + base64.b64encode(f"{DEMO_EMAIL}/token:{DEMO_API_TOKEN}".encode()).decode()


class ZdApi:
    """Test client wrapper that authenticates as the demo agent and prefixes `/api/v2`."""

    def __init__(self, app: Flask, authorization: str | None = BASIC) -> None:
        self.app = app
        self.client = app.test_client()
        self.authorization = authorization

    @property
    def state(self) -> ZendeskState:
        return simulator_state(self.app)

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"Authorization": self.authorization} if self.authorization else {}
        headers.update(extra or {})
        return headers

    def open(self, method: str, path: str, headers: dict[str, str] | None = None, **kwargs: Any) -> Any:
        return self.client.open(API + path, method=method, headers=self.headers(headers), **kwargs)

    def get(self, path: str, **params: Any) -> Any:
        return self.open("GET", path, query_string=params)

    def put(self, path: str, body: Any, **kwargs: Any) -> Any:
        return self.open("PUT", path, json=body, **kwargs)

    def post(self, path: str, body: Any, **kwargs: Any) -> Any:
        return self.open("POST", path, json=body, **kwargs)

    def delete(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        return self.open("DELETE", path, json=body, **kwargs)

    def ok(self, method: str, path: str, status: int = 200, **kwargs: Any) -> Any:
        response = self.open(method, path, **kwargs)
        assert response.status_code == status, (response.status_code, response.get_data(as_text=True))
        return response.get_json()

    def upload(
        self, name: str, data: bytes, content_type: str = "image/jpeg", token: str | None = None
    ) -> Any:
        params = {"filename": name, **({"token": token} if token else {})}
        return self.open("POST", "/uploads", query_string=params, data=data, content_type=content_type)

    def comment(self, ticket_id: int, **comment: Any) -> Any:
        return self.put(f"/tickets/{ticket_id}", {"ticket": {"comment": comment}})


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def make_zd(clock: Clock, sleeps: list[float]) -> Callable[..., Flask]:
    def make(**config: Any) -> Flask:
        return create_zendesk_simulator({"now": clock, "sleep": sleeps.append, **config})

    return make


@pytest.fixture
def zd(make_zd: Callable[..., Flask]) -> ZdApi:
    return ZdApi(make_zd())


def zd_error(response: Any, status: int, error: str) -> dict[str, Any]:
    """Assert a Zendesk JSON error body and return it."""
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert body["error"] == error, body
    return body
