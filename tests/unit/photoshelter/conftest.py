"""Fixtures for the PhotoShelter client tests."""

from __future__ import annotations

import pytest

from backend.photoshelter import PhotoShelterClient
from tests.unit.photoshelter.helpers import ACCESS_TOKEN, API_KEY, BASE


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def client(sleeps: list[float]) -> PhotoShelterClient:
    """OAuth bearer client (no login round trip), fake sleep."""
    return PhotoShelterClient(base_url=BASE, api_key=API_KEY, access_token=ACCESS_TOKEN, sleep=sleeps.append)
