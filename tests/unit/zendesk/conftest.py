"""Fixtures for the Zendesk client tests."""

from __future__ import annotations

import pytest

from backend.zendesk import ZendeskClient
from tests.unit.zendesk.helpers import API_TOKEN, BASE, EMAIL


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def client(sleeps: list[float]) -> ZendeskClient:
    """API-token client with a fake sleep."""
    return ZendeskClient(base_url=BASE, email=EMAIL, api_token=API_TOKEN, sleep=sleeps.append)
