"""Caching (keys, TTLs, tenant isolation), the pagination iterator and streamed downloads."""

from __future__ import annotations

import pickle
from typing import Any

import pytest
import responses
from responses import matchers

from backend.photoshelter import MediaDownload, PhotoShelterClient, PhotoShelterPermissionError
from backend.photoshelter.client import _filename_from_disposition
from tests.unit.photoshelter.helpers import (
    ACCESS_TOKEN,
    API_KEY,
    BASE,
    BEARER_HEADERS,
    G1,
    G2,
    I1,
    FakeCache,
    container,
    error_body,
    meta,
    url,
)


def cached_client(cache: Any, prefix: str = "tenant-a", **kwargs: Any) -> PhotoShelterClient:
    return PhotoShelterClient(
        base_url=BASE,
        api_key=API_KEY,
        access_token=ACCESS_TOKEN,
        cache=cache,
        cache_prefix=prefix,
        sleep=lambda s: None,
        **kwargs,
    )


def permissions_body(cid: str) -> dict[str, Any]:
    return {
        "data": {
            "id": cid,
            "type": "permissions",
            "attributes": {"mode": "everyone", "native_mode": "everyone", "native": [], "inherited": []},
        }
    }


# --- caching ----------------------------------------------------------------------------------


@responses.activate
def test_second_read_is_served_from_cache() -> None:
    cache = FakeCache()
    client = cached_client(cache)
    rsp = responses.get(url(f"/galleries/{G1}"), json={"data": container(G1, "Spring"), "meta": meta()})
    first = client.gallery(G1)
    second = client.gallery(G1)
    assert first == second
    assert rsp.call_count == 1
    assert list(cache.store) == [f"ps:tenant-a:/galleries/{G1}?"]
    value = cache.store[f"ps:tenant-a:/galleries/{G1}?"]
    assert type(value) is dict and pickle.loads(pickle.dumps(value)) == value  # plain JSON, Redis-safe


@responses.activate
def test_cache_key_has_sorted_params_and_ttls_differ() -> None:
    cache = FakeCache()
    client = cached_client(cache, cache_ttl=600, permissions_ttl=15)
    responses.get(url("/galleries"), json={"data": [], "meta": meta(total=0)})
    responses.get(url(f"/galleries/{G1}/permissions"), json=permissions_body(G1))
    client.galleries(name="spring", per_page=10)
    client.galleries(include=("permissions", "link"))
    client.gallery_permissions(G1)
    assert cache.timeouts == {
        "ps:tenant-a:/galleries?name=spring&page=1&per_page=10&sort_by=name&sort_direction=ascending": 600,
        "ps:tenant-a:/galleries?include=permissions%2Clink&page=1&per_page=50&sort_by=name"
        "&sort_direction=ascending": 15,
        f"ps:tenant-a:/galleries/{G1}/permissions?": 15,
    }


@responses.activate
def test_default_ttls() -> None:
    cache = FakeCache()
    client = cached_client(cache)
    responses.get(url(f"/galleries/{G1}"), json={"data": container(G1, "Spring")})
    responses.get(url(f"/galleries/{G1}/permissions"), json=permissions_body(G1))
    client.gallery(G1)
    client.gallery_permissions(G1)
    assert sorted(cache.timeouts.values()) == [30, 300]


@responses.activate
def test_tenants_never_share_entries() -> None:
    cache = FakeCache()
    client_a = cached_client(cache, "tenant-a")
    client_b = cached_client(cache, "tenant-b")
    responses.get(url(f"/galleries/{G1}"), json={"data": container(G1, "From A")})
    responses.get(url(f"/galleries/{G1}"), json={"data": container(G1, "From B")})
    assert client_a.gallery(G1).name == "From A"
    assert client_b.gallery(G1).name == "From B"
    assert client_a.gallery(G1).name == "From A"
    assert client_b.gallery(G1).name == "From B"
    assert len(responses.calls) == 2
    assert sorted(cache.store) == [f"ps:tenant-a:/galleries/{G1}?", f"ps:tenant-b:/galleries/{G1}?"]


@responses.activate
def test_errors_are_never_cached() -> None:
    cache = FakeCache()
    client = cached_client(cache)
    responses.get(url(f"/galleries/{G1}"), status=404, json=error_body("ResourceNotFoundException", 404, "x"))
    responses.get(url(f"/galleries/{G1}"), json={"data": container(G1, "Back")})
    with pytest.raises(Exception, match="HTTP 404"):
        client.gallery(G1)
    assert cache.store == {}
    assert client.gallery(G1).name == "Back"
    assert len(responses.calls) == 2


@responses.activate
def test_credentials_are_hashed_into_cache_keys() -> None:
    cache = FakeCache()
    client = cached_client(cache)
    responses.get(url(f"/galleries/{G1}/children"), json={"data": [], "meta": meta(total=0)})
    client.gallery_children(G1, password="Sunrise-26", token="tok-abc-123")
    client.gallery_children(G1, password="Other-pass", token="tok-abc-123")
    client.gallery_children(G1, password="Sunrise-26", token="tok-abc-123")
    keys = list(cache.store)
    assert len(keys) == 2 and len(responses.calls) == 2
    joined = " ".join(keys)
    for secret in ("Sunrise-26", "Other-pass", "tok-abc-123", API_KEY, ACCESS_TOKEN):
        assert secret not in joined
    assert all(k.startswith(f"ps:tenant-a:/galleries/{G1}/children?") for k in keys)


@responses.activate
def test_downloads_and_thumbnails_bypass_the_cache() -> None:
    cache = FakeCache()
    client = cached_client(cache)
    responses.get(url(f"/media/{I1}/download"), body=b"jpeg", content_type="image/jpeg")
    client.media_download(I1).read()
    client.media_download(I1).read()
    client.thumbnail_url(I1, "a.jpg")
    assert len(responses.calls) == 2
    assert cache.store == {}


@responses.activate
def test_broken_cache_does_not_break_reads(caplog: pytest.LogCaptureFixture) -> None:
    class BrokenCache:
        def get(self, key: str) -> Any:
            raise ConnectionError("redis down")

        def set(self, key: str, value: Any, timeout: int | None = None) -> Any:
            raise ConnectionError("redis down")

    client = cached_client(BrokenCache())
    responses.get(url(f"/galleries/{G1}"), json={"data": container(G1, "Spring")})
    assert client.gallery(G1).name == "Spring"
    assert "photoshelter.cache.get_failed" in caplog.text


@responses.activate
def test_works_with_flask_caching_backend() -> None:
    from flask_caching.backends.simplecache import SimpleCache

    client = cached_client(SimpleCache())
    responses.get(url(f"/galleries/{G1}"), json={"data": container(G1, "Spring")})
    client.gallery(G1)
    client.gallery(G1)
    assert len(responses.calls) == 1


# --- pagination -------------------------------------------------------------------------------


@responses.activate
def test_iter_all_walks_three_pages_and_stops_at_the_last(client: PhotoShelterClient) -> None:
    ids = [f"G0000pAgEd{n:06d}" for n in range(5)]
    for page, chunk, has_next in ((1, ids[0:2], True), (2, ids[2:4], True), (3, ids[4:], False)):
        responses.get(
            url("/galleries"),
            json={
                "data": [container(g, f"Gallery {g[-2:]}") for g in chunk],
                "meta": meta(total=5, page=page, per_page=2, has_next=has_next),
            },
            match=[
                matchers.header_matcher(BEARER_HEADERS),
                matchers.query_param_matcher(
                    {
                        "name": "launch",
                        "sort_by": "name",
                        "sort_direction": "ascending",
                        "page": str(page),
                        "per_page": "2",
                    }
                ),
            ],
        )
    items = list(client.iter_all(client.galleries, name="launch", per_page=2))
    assert [g.id for g in items] == ids
    assert len(responses.calls) == 3


@responses.activate
def test_iter_all_with_positional_args_and_max_pages(client: PhotoShelterClient) -> None:
    responses.get(
        url(f"/galleries/{G1}/children"),
        json={
            "data": [{"id": I1, "type": "image", "attributes": {"display_order": 1}}],
            "meta": meta(total=1000, per_page=1, has_next=True),
        },
    )
    items = list(client.iter_all(client.gallery_children, G1, per_page=1, max_pages=3))
    assert len(items) == 3
    assert len(responses.calls) == 3


@responses.activate
def test_iter_all_stops_on_empty_page_and_falls_back_to_total(client: PhotoShelterClient) -> None:
    # No `next` key at all: has_next comes from page * per_page < total.
    responses.get(
        url("/library"),
        json={"data": [container(G1, "a"), container(G2, "b")], "meta": {"paging": {"total": 3}}},
        match=[matchers.query_param_matcher({"page": "1", "per_page": "2"})],
    )
    responses.get(
        url("/library"),
        json={"data": [], "meta": {"paging": {"total": 3}}},
        match=[matchers.query_param_matcher({"page": "2", "per_page": "2"})],
    )
    assert [c.id for c in client.iter_all(client.library, per_page=2)] == [G1, G2]
    assert len(responses.calls) == 2


# --- downloads --------------------------------------------------------------------------------


@responses.activate
def test_download_streams_bytes_with_size_and_filename(client: PhotoShelterClient) -> None:
    payload = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40 + b"\xff\xd9"
    responses.get(
        url(f"/media/{I1}/download"),
        body=payload,
        content_type="image/jpeg",
        headers={
            "Content-Disposition": 'attachment; filename="hero-shot.jpg"',
            "Content-Length": str(len(payload)),
        },
        match=[
            matchers.header_matcher(BEARER_HEADERS),
            matchers.query_param_matcher(
                {
                    "download_filetype": "jpeg",
                    "image_size": "1200",
                    "gallery_id": G1,
                    "password": "Sunrise-26",
                    "token": "tok1",
                }
            ),
        ],
    )
    download = client.media_download(
        I1, filetype="jpeg", image_size=1200, gallery_id=G1, password="Sunrise-26", token="tok1"
    )
    assert isinstance(download, MediaDownload)
    assert (download.filename, download.content_type, download.size) == (
        "hero-shot.jpg",
        "image/jpeg",
        len(payload),
    )
    assert responses.calls[0].request.req_kwargs["stream"] is True
    chunks = list(download.chunks(chunk_size=1024))
    assert len(chunks) > 1
    assert b"".join(chunks) == payload


@responses.activate
def test_download_filename_falls_back_to_media_id(client: PhotoShelterClient) -> None:
    responses.get(
        url(f"/media/{I1}/download"),
        body=b"x",
        match=[matchers.query_param_matcher({"download_filetype": "original"})],
    )
    download = client.media_download(I1)
    assert download.filename == I1
    assert download.size is None  # no Content-Length
    assert download.read() == b"x"


@responses.activate
def test_download_refused(client: PhotoShelterClient) -> None:
    responses.get(
        url(f"/media/{I1}/download"),
        status=401,
        json=error_body(
            "AcsPermissionException", 401, "Invalid access to resource: Gallery", "Download limit reached"
        ),
    )
    with pytest.raises(PhotoShelterPermissionError, match="Download limit reached"):
        client.media_download(I1, gallery_id=G1)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ('attachment; filename="hero.jpg"', "hero.jpg"),
        ("attachment; filename=hero.jpg", "hero.jpg"),
        ("attachment; filename*=UTF-8''caf%C3%A9%20shot.jpg", "café shot.jpg"),
        ('attachment; filename="../../etc/passwd"', "passwd"),
        ('attachment; filename="C:\\\\temp\\\\x.jpg"', "x.jpg"),
        ('attachment; filename=".."', None),
        ("attachment", None),
        (None, None),
    ],
)
def test_filename_from_content_disposition(header: str | None, expected: str | None) -> None:
    assert _filename_from_disposition(header) == expected
