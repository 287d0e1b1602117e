"""Fixtures for the PhotoShelter simulator tests: a fixed clock and a thin API-key-aware client."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask

from backend.sandbox.photoshelter import create_simulator
from backend.sandbox.photoshelter.seed import DEMO_API_KEY, DEMO_EMAIL, DEMO_ORG_ID, DEMO_PASSWORD
from backend.sandbox.photoshelter.state import EXTENSION_KEY

NOW = datetime(2026, 11, 28, 12, 0, 0, tzinfo=UTC)
V4 = "/psapi/v4.0"


class Clock:
    """Settable `now` callable."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class Ticker:
    """Settable monotonic clock for the rate bucket."""

    def __init__(self) -> None:
        self.value = 1000.0

    def __call__(self) -> float:
        return self.value


class Api:
    """Test client wrapper: adds the API key and (when logged in) the session token."""

    def __init__(self, app: Flask, token: str | None = None, key: str = DEMO_API_KEY) -> None:
        self.app = app
        self.client = app.test_client()
        self.token = token
        self.key = key

    @property
    def state(self) -> Any:
        return self.app.extensions[EXTENSION_KEY]

    @property
    def library(self) -> Any:
        return self.state.library

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"X-PS-Api-Key": self.key} if self.key else {}
        if self.token:
            headers["X-PS-Auth-Token"] = self.token
        headers.update(extra or {})
        return headers

    def get(self, path: str, headers: dict[str, str] | None = None, **params: Any) -> Any:
        return self.client.get(V4 + path, query_string=params, headers=self.headers(headers))

    def post(
        self, path: str, data: dict[str, Any] | None = None, headers: dict[str, str] | None = None
    ) -> Any:
        return self.client.post(V4 + path, data=data or {}, headers=self.headers(headers))

    def login(self, email: str = DEMO_EMAIL, password: str = DEMO_PASSWORD, org: bool = True) -> Api:
        response = self.post("/authenticate", {"email": email, "password": password, "mode": "token"})
        assert response.status_code == 200, response.get_json()
        self.token = response.get_json()["token"]
        if org:
            assert self.post("/organization/authenticate", {"org_id": DEMO_ORG_ID}).status_code == 200
        return self

    def anonymous(self) -> Api:
        """Another handle on the same simulator without a session."""
        return Api(self.app, key=self.key)

    def data(self, path: str, **params: Any) -> Any:
        response = self.get(path, **params)
        assert response.status_code == 200, response.get_json()
        return response.get_json()["data"]


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def ticker() -> Ticker:
    return Ticker()


@pytest.fixture
def make_sim(clock: Clock, ticker: Ticker) -> Callable[..., Flask]:
    def make(**config: Any) -> Flask:
        return create_simulator({"now": clock, "monotonic": ticker, **config})

    return make


@pytest.fixture
def sim(make_sim: Callable[..., Flask]) -> Flask:
    return make_sim()


@pytest.fixture
def anon(sim: Flask) -> Api:
    """API key only."""
    return Api(sim)


@pytest.fixture
def staff(sim: Flask) -> Api:
    """Logged in and org-authenticated (same simulator as `anon`)."""
    return Api(sim).login()


def error_of(response: Any) -> dict[str, Any]:
    body = response.get_json()
    assert set(body) == {"errors"}, body
    assert len(body["errors"]) == 1
    error = body["errors"][0]
    assert error["status"] == str(response.status_code)
    return error
