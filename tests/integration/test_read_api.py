"""The agent read API end to end: real HTTP to a live backend whose PhotoShelter is the simulator."""

from __future__ import annotations

import re

import pytest
import requests

from backend.sandbox.photoshelter.seed import SEEDED_STATES


def ok_json(response):
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    return response.json()


def test_search_all_returns_galleries_collections_and_media(live):
    body = ok_json(live.get("/api/v1/search", params={"q": ""}))
    kinds = {item["kind"] for item in body["items"]}
    assert kinds == {"gallery", "collection", "media"}
    assert body["totals"]["media"] >= 300
    for item in body["items"]:
        assert item["access"]["status"] in {"public", "public_unlisted", "password", "restricted", "private"}
        assert item["access"]["reason"]


def test_media_search_by_keyword_has_thumbnails_that_load(live):
    body = ok_json(live.get("/api/v1/search", params={"kind": "media", "q": "trail", "per_page": 5}))
    assert 0 < len(body["items"]) <= 5
    assert body["paging"]["total"] >= len(body["items"])
    first = body["items"][0]
    assert "trail" in (first["file_name"] + " ").lower() or first["file_name"]
    image = requests.get(first["thumbnail_url"], timeout=10)
    assert image.status_code == 200 and image.headers["Content-Type"] == "image/jpeg"
    assert image.content[:2] == b"\xff\xd8"


def test_media_search_paging_moves_forward(live):
    page1 = ok_json(live.get("/api/v1/search", params={"kind": "media", "per_page": 10, "page": 1}))
    page2 = ok_json(live.get("/api/v1/search", params={"kind": "media", "per_page": 10, "page": 2}))
    assert page1["paging"]["has_next"]
    assert not {i["id"] for i in page1["items"]} & {i["id"] for i in page2["items"]}


def test_gallery_search_by_name(live):
    body = ok_json(live.get("/api/v1/search", params={"kind": "gallery", "per_page": 100}))
    assert body["paging"]["total"] >= 20
    name = body["items"][0]["name"]
    found = ok_json(live.get("/api/v1/search", params={"kind": "gallery", "q": name[:6]}))
    assert any(item["name"] == name for item in found["items"])


EXPECTED = {
    "public_listed": lambda a: a["status"] == "public",
    "public_unlisted": lambda a: a["status"] == "public_unlisted",
    "password": lambda a: a["status"] == "password" and not a["expired"],
    "token": lambda a: a["status"] == "restricted" and not a["expired"],
    "contact": lambda a: a["status"] == "restricted",
    "expiring_soon": lambda a: a["expiring_soon"] and not a["expired"] and a["expires_at"],
    "expired": lambda a: a["expired"],
    "downloads_exhausted": lambda a: a["downloads_left"] == 0,
    "private": lambda a: a["status"] == "private",
    "inherited": lambda a: a["inherited_from"] is not None,
}


@pytest.mark.parametrize("state", sorted(EXPECTED))
def test_every_seeded_access_state_is_reported(live, state):
    body = ok_json(live.get(f"/api/v1/galleries/{SEEDED_STATES[state]}", params={"per_page": 4}))
    assert EXPECTED[state](body["access"]), body["access"]
    assert body["path"] and body["path"][-1]["id"] == SEEDED_STATES[state]
    assert body["link"]
    for grant in body["grants"]:
        assert set(grant) == {
            "id",
            "type",
            "expires_at",
            "expired",
            "max_downloads",
            "downloads_left",
            "has_credential",
        }


def test_gallery_detail_pages_its_media(live):
    gallery_id = SEEDED_STATES["public_listed"]
    first = ok_json(live.get(f"/api/v1/galleries/{gallery_id}", params={"per_page": 3}))
    assert len(first["media"]["items"]) == 3
    assert first["media"]["paging"]["total"] > 3 and first["media"]["paging"]["has_next"]
    second = ok_json(live.get(f"/api/v1/galleries/{gallery_id}", params={"per_page": 3, "page": 2}))
    assert {m["id"] for m in first["media"]["items"]}.isdisjoint({m["id"] for m in second["media"]["items"]})
    assert all(m["access"]["status"] == "public" for m in first["media"]["items"])


def test_grants_never_reveal_passwords_or_tokens(live):
    response = live.get(f"/api/v1/galleries/{SEEDED_STATES['password']}")
    grants = ok_json(response)["grants"]
    assert grants and all(g["has_credential"] for g in grants if g["type"] == "password")
    assert 'password":' not in response.text.replace('"type": "password"', "")


def test_collection_detail_lists_children_with_status(live):
    body = ok_json(live.get("/api/v1/search", params={"kind": "collection"}))
    collection = body["items"][0]
    detail = ok_json(live.get(f"/api/v1/collections/{collection['id']}"))
    assert detail["children"]["items"]
    assert all("access" in child for child in detail["children"]["items"])


def test_media_detail_has_metadata_and_galleries(live):
    search = ok_json(live.get("/api/v1/search", params={"kind": "media", "per_page": 1}))
    media_id = search["items"][0]["id"]
    body = ok_json(live.get(f"/api/v1/media/{media_id}"))
    assert body["file_name"] and body["width"] > 0 and body["height"] > 0 and body["file_size"] > 0
    assert body["iptc"]["keywords"] and body["iptc"]["credit"] and body["iptc"]["copyright"]
    assert body["galleries"] and all(g["kind"] == "gallery" for g in body["galleries"])
    assert re.search(r"/img-get2/I0000", body["preview_url"])


@pytest.mark.parametrize(
    ("state", "cause"),
    [
        ("public_listed", "ok"),
        ("public_unlisted", "ok"),
        ("private", "private"),
        ("expired", "expired"),
        ("password", "password_required"),
        ("token", "permission_required"),
        ("downloads_exhausted", "download_limit"),
    ],
)
def test_troubleshoot_explains_each_state(live, state, cause):
    gallery_id = SEEDED_STATES[state]
    url = f"https://northwind.photoshelter.com/gallery/Some-Gallery/{gallery_id}"
    body = ok_json(live.post("/api/v1/troubleshoot", json={"url": url}))
    assert body["cause"] == cause, body
    assert body["works"] is (cause == "ok")
    assert body["reason"] and body["advice"]
    assert body["container"]["id"] == gallery_id


def test_troubleshoot_unknown_id_is_not_found(live):
    body = ok_json(live.post("/api/v1/troubleshoot", json={"id": "G0000zzzzzzzzzzz"}))
    assert body["cause"] == "not_found" and body["found"] is False


def test_troubleshoot_revoked_token_link(live):
    url = f"https://northwind.photoshelter.com/gallery/x/{SEEDED_STATES['token']}?token=no-such-token-anymore"
    body = ok_json(live.post("/api/v1/troubleshoot", json={"url": url}))
    assert body["cause"] == "revoked"


def test_troubleshoot_media_cdn_url(live):
    search = ok_json(live.get("/api/v1/search", params={"kind": "media", "per_page": 1}))
    media_id = search["items"][0]["id"]
    url = f"https://m.psecn.photoshelter.com/img-get2/{media_id}/fit=1000x750/photo.jpg"
    body = ok_json(live.post("/api/v1/troubleshoot", json={"url": url}))
    assert body["kind"] == "media" and body["id"] == media_id and body["item"]["kind"] == "media"


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/v1/search?per_page=101", "per_page"),
        ("/api/v1/search?per_page=0", "per_page"),
        ("/api/v1/search?page=abc", "page"),
        ("/api/v1/search?kind=videos", "kind"),
        ("/api/v1/search?colour=red", "colour"),
        ("/api/v1/galleries/G123", "gallery_id"),
        ("/api/v1/galleries/I0000aaaaaaaaaaa", "gallery_id"),
        ("/api/v1/media/not-an-id", "media_id"),
        ("/api/v1/collections/C0000!!!!!!!!!!!", "collection_id"),
    ],
)
def test_bad_input_is_400_with_field_errors(live, path, field):
    response = live.get(path)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert field in error["details"]["fields"]


@pytest.mark.parametrize(
    "body", [{}, {"url": ""}, {"url": "x", "id": "y"}, {"url": "https://x/gallery/a/b", "extra": 1}, []]
)
def test_troubleshoot_rejects_bad_bodies(live, body):
    response = live.post("/api/v1/troubleshoot", json=body)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"


def test_troubleshoot_non_photoshelter_text_is_400(live):
    response = live.post("/api/v1/troubleshoot", json={"url": "https://example.com/nothing"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_input"


def test_unknown_gallery_is_404(live):
    response = live.get("/api/v1/galleries/G0000zzzzzzzzzzz")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_unknown_route_and_wrong_method_are_json(live):
    missing = requests.get(live.url + "/nope", timeout=5)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    wrong = live.post("/api/v1/search")
    assert wrong.status_code == 405 and wrong.json()["error"]["code"] == "method_not_allowed"
    assert "GET" in wrong.headers["Allow"]


# -- upstream trouble ------------------------------------------------------------------------------


def test_persistent_5xx_becomes_503(live):
    live.faults(fail_next=50, error_status=503)
    response = live.get("/api/v1/search", params={"kind": "gallery"})
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "upstream_unavailable"


def test_upstream_500_becomes_502(live):
    live.faults(fail_next=50, error_status=500)
    response = live.get("/api/v1/media/I0000zzzzzzzzzzz")
    assert response.status_code == 502
    assert response.json()["error"]["details"]["service"] == "photoshelter"


def test_one_transient_failure_is_retried_invisibly(live):
    live.faults(fail_next=1, error_status=503)
    assert live.get("/api/v1/search", params={"kind": "gallery"}).status_code == 200


def test_rate_limit_passes_retry_after_through(live):
    live.faults(rate_limit_next=50, retry_after=30)
    response = live.get("/api/v1/search", params={"kind": "collection"})
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "30"
    assert response.json()["error"]["details"]["retry_after"] == 30


def test_upstream_timeout_becomes_504(live):
    live.faults(timeout_rate=1.0, timeout_seconds=3)
    response = live.get("/api/v1/search", params={"kind": "collection"})
    assert response.status_code == 504
    assert response.json()["error"]["code"] == "upstream_timeout"


def test_errors_never_leak_secrets_or_tracebacks(live):
    live.faults(fail_next=50, error_status=500)
    text = live.get("/api/v1/search").text
    assert "Traceback" not in text and "X-PS-Api-Key" not in text
    from backend.sandbox.photoshelter.seed import DEMO_API_KEY, DEMO_PASSWORD

    assert DEMO_API_KEY not in text and DEMO_PASSWORD not in text


# -- machine endpoints ----------------------------------------------------------------------------


def test_healthz_and_readyz(live):
    assert requests.get(live.url + "/healthz", timeout=5).json() == {"status": "ok"}
    ready = requests.get(live.url + "/readyz", timeout=10)
    assert ready.status_code == 200, ready.text
    assert set(ready.json()["checks"]) == {"database", "cache", "photoshelter:demo"}


def test_readyz_reports_upstream_down(live):
    live.faults(fail_next=50, error_status=503)
    ready = requests.get(live.url + "/readyz", timeout=30)
    assert ready.status_code == 503
    assert ready.json()["checks"]["photoshelter:demo"]["ok"] is False


def test_openapi_is_generated_from_the_schemas(live):
    spec = requests.get(live.url + "/openapi.json", timeout=5).json()
    assert spec["openapi"].startswith("3.")
    for path in [
        "/api/v1/search",
        "/api/v1/galleries/{gallery_id}",
        "/api/v1/media/{media_id}",
        "/api/v1/troubleshoot",
    ]:
        assert path in spec["paths"]
    params = {p["name"] for p in spec["paths"]["/api/v1/search"]["get"]["parameters"]}
    assert {"q", "kind", "page", "per_page"} <= params
    assert "bearerAuth" in spec["components"]["securitySchemes"]


def test_troubleshoot_result_carries_the_gallery_thumbnail(live):
    body = ok_json(live.post("/api/v1/troubleshoot", json={"id": SEEDED_STATES["expired"]}))
    assert body["item"]["thumbnail_url"] and "/img-get2/" in body["item"]["thumbnail_url"]


def test_upstream_error_message_names_the_service_properly(live):
    live.faults(fail_next=50, error_status=503)
    message = live.get("/api/v1/search", params={"kind": "gallery"}).json()["error"]["message"]
    assert message.startswith("PhotoShelter ")


def test_api_responses_are_not_sniffed_cached_or_referred(live):
    response = live.get("/api/v1/search", params={"kind": "collection", "per_page": 1})
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"
