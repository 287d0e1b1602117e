"""Client writes: delivery gallery, its media, grants with expiry; never retried; cache forgotten."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import responses
from responses import matchers

from backend.photoshelter import PhotoShelterClient, PhotoShelterUnavailableError
from tests.unit.photoshelter.helpers import (
    ACCESS_TOKEN,
    API_KEY,
    BASE,
    BEARER_HEADERS,
    G1,
    I1,
    I2,
    FakeCache,
    url,
)

GRANT = {
    "id": "AR000aBcDeFgHiJk",
    "type": "token",
    "attributes": {"expires": "2026-12-12T00:00:00Z", "max_downloads": 5, "downloads": 0, "token": "tok"},
}


class DeletingCache(FakeCache):
    def delete(self, key):
        self.store.pop(key, None)
        return True


@responses.activate
def test_create_gallery_posts_an_unlisted_gallery(client):
    responses.add(
        responses.POST,
        url("/galleries"),
        json={"data": {"id": G1, "type": "gallery", "attributes": {"name": "Delivery", "is_listed": False}}},
        status=201,
        match=[
            matchers.header_matcher(BEARER_HEADERS),
            matchers.urlencoded_params_matcher(
                {"name": "Delivery", "mode": "permission", "is_listed": "false"}
            ),
        ],
    )
    gallery = client.create_gallery("Delivery")
    assert gallery.id == G1 and gallery.is_listed is False


@responses.activate
def test_add_media_and_grant(client):
    responses.add(
        responses.POST,
        url(f"/galleries/{G1}/children"),
        json={"data": []},
        status=201,
        match=[matchers.urlencoded_params_matcher({"media_ids": f"{I1},{I2}"})],
    )
    client.add_gallery_media(G1, [I1, I2])
    responses.add(
        responses.POST,
        url(f"/galleries/{G1}/permissions"),
        json={"data": GRANT},
        status=201,
        match=[
            matchers.urlencoded_params_matcher(
                {
                    "type": "token",
                    "token": "tok",
                    "expires": "2026-12-12T00:00:00+00:00",
                    "max_downloads": "5",
                }
            )
        ],
    )
    grant = client.create_gallery_grant(
        G1, kind="token", credential="tok", expires=datetime(2026, 12, 12, tzinfo=UTC), max_downloads=5
    )
    assert grant.id == "AR000aBcDeFgHiJk" and grant.max_downloads == 5


@responses.activate
def test_view_only_grant_allows_zero_downloads(client):
    responses.add(
        responses.POST,
        url(f"/galleries/{G1}/permissions"),
        json={"data": GRANT},
        status=201,
        match=[
            matchers.urlencoded_params_matcher({"type": "password", "password": "pw", "max_downloads": "0"})
        ],
    )
    client.create_gallery_grant(G1, kind="password", credential="pw", expires=None, allow_download=False)


@responses.activate
def test_writes_are_not_retried(sleeps):
    client = PhotoShelterClient(
        base_url=BASE, api_key=API_KEY, access_token=ACCESS_TOKEN, sleep=sleeps.append
    )
    responses.add(responses.POST, url(f"/galleries/{G1}/permissions"), status=503, json={"errors": []})
    with pytest.raises(PhotoShelterUnavailableError):
        client.create_gallery_grant(G1, kind="token", credential="t", expires=None)
    assert len(responses.calls) == 1


@responses.activate
def test_grant_changes_forget_cached_permissions():
    cache = DeletingCache()
    client = PhotoShelterClient(
        base_url=BASE, api_key=API_KEY, access_token=ACCESS_TOKEN, cache=cache, cache_prefix="acme"
    )
    permissions = {
        "data": {"id": G1, "type": "permissions", "attributes": {"mode": "permission", "native": []}}
    }
    responses.add(responses.GET, url(f"/galleries/{G1}/permissions"), json=permissions)
    client.gallery_permissions(G1)
    assert any("/permissions" in k for k in cache.store)
    responses.add(responses.DELETE, url(f"/galleries/{G1}/permissions/AR000aBcDeFgHiJk"), status=404, json={})
    client.delete_gallery_grant(G1, "AR000aBcDeFgHiJk")
    assert not any("/permissions" in k for k in cache.store)
    client.gallery_permissions(G1)
    assert len([c for c in responses.calls if c.request.method == "GET"]) == 2
