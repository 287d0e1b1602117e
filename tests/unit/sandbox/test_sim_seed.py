"""The seeded Northwind Outdoor library: size, shape, realism, access states, determinism."""

from __future__ import annotations

import re
import time
from datetime import timedelta

from backend.photoshelter.models import Iptc, Permissions
from backend.sandbox.photoshelter import ids, seed
from backend.sandbox.photoshelter.seed import SEEDED_STATES, build_library
from tests.unit.sandbox.conftest import NOW, Api

FILE_RE = re.compile(r"^NW_[A-Za-z]+_[A-Za-z0-9]+_\d{4}\.jpg$")


def test_demo_constants() -> None:
    assert len(seed.DEMO_API_KEY) >= 32 and re.fullmatch(r"[A-Za-z0-9]+", seed.DEMO_API_KEY)
    assert len(seed.DEMO_PASSWORD) >= 16
    assert "@" in seed.DEMO_EMAIL
    assert ids.is_id(seed.DEMO_ORG_ID, ids.ORGANIZATION)
    assert set(SEEDED_STATES) == {
        "public_listed", "public_unlisted", "password", "token", "contact",
        "expiring_soon", "expired", "downloads_exhausted", "private", "inherited",
    }  # fmt: skip
    assert all(ids.is_id(g, ids.GALLERY) for g in SEEDED_STATES.values())


def test_library_size_and_shape(staff: Api) -> None:
    galleries = staff.get("/galleries", per_page=1).get_json()["meta"]["paging"]["total"]
    collections = staff.data("/collections", per_page=100, include="parent")
    media = staff.get("/media", per_page=1).get_json()["meta"]["paging"]["total"]
    assert galleries >= 24
    assert len(collections) >= 5
    assert media >= 320
    assert any(c["includes"]["parent"]["data"] for c in collections)  # nested collection
    roots = staff.data("/library", per_page=100)
    assert any(r["type"] == "gallery" for r in roots)
    assert any(len(g.parents) > 1 for g in staff.library.galleries())  # gallery in two collections
    assert any(len(m.gallery_ids) > 1 for m in staff.library.media.values())


def test_media_realism(staff: Api) -> None:
    media = staff.data("/media", per_page=500)
    assert len(media) >= 320
    attrs = [m["attributes"] for m in media]
    assert all(FILE_RE.match(a["file_name"]) for a in attrs)
    assert "NW_Trailrunner_Spring26_" in " ".join(a["file_name"] for a in attrs)
    sizes = [a["file_size"] for a in attrs]
    assert sum(s > 7_000_000 for s in sizes) >= 20
    assert sum(s > 50_000_000 for s in sizes) >= 2
    assert any(a["width"] > a["height"] for a in attrs)
    assert any(a["width"] < a["height"] for a in attrs)
    assert any(a["width"] == a["height"] for a in attrs)
    assert len({a["file_name"] for a in attrs}) == len(attrs)
    iptc = Iptc.from_resource(staff.data(f"/media/{media[0]['id']}/iptc"))
    for field in ("title", "headline", "caption", "credit", "copyright", "author", "city", "country"):
        assert getattr(iptc, field), field
    assert len(iptc.keywords) >= 5


def test_every_seeded_state_is_real(staff: Api) -> None:
    def perms(state: str) -> Permissions:
        return Permissions.from_resource(staff.data(f"/galleries/{SEEDED_STATES[state]}/permissions"))

    def attrs(state: str) -> dict:
        return staff.data(f"/galleries/{SEEDED_STATES[state]}")["attributes"]

    assert attrs("public_listed")["is_listed"] and perms("public_listed").mode == "everyone"
    assert not attrs("public_unlisted")["is_listed"] and perms("public_unlisted").mode == "everyone"
    for state, kind in (("password", "password"), ("token", "token"), ("contact", "contact")):
        p = perms(state)
        assert p.mode == "permission" and not p.access_inherit
        assert any(g.type == kind and (g.expires is None or g.expires > NOW) for g in p.grants), state
    soon = perms("expiring_soon").grants
    assert any(g.expires and NOW < g.expires <= NOW + timedelta(days=7) for g in soon)
    expired = perms("expired").grants
    assert expired and all(g.expires and g.expires <= NOW for g in expired)
    exhausted = perms("downloads_exhausted").grants
    assert exhausted and all(
        g.max_downloads is not None and g.downloads >= g.max_downloads for g in exhausted
    )
    assert perms("private").mode == "private" and attrs("private")["mode"] == "private"
    inherited = perms("inherited")
    assert inherited.access_inherit and inherited.inherited and inherited.mode == "permission"
    assert inherited.inherited[0].collection_id.startswith("C0000") and inherited.grants


def test_deterministic_for_same_now_and_seed(make_sim) -> None:
    def snapshot(api: Api) -> tuple:
        media = api.get("/media", per_page=500, sort_by="file_name").get_json()["data"]
        galleries = api.get("/galleries", per_page=500, include="permissions").get_json()["data"]
        return media, galleries

    one, two = Api(make_sim(seed=7)).login(), Api(make_sim(seed=7)).login()
    assert snapshot(one) == snapshot(two)
    other = Api(make_sim(seed=8)).login()
    assert snapshot(other)[0] != snapshot(one)[0]
    assert {g["id"] for g in snapshot(other)[1]} == {g["id"] for g in snapshot(one)[1]}  # fixed ids


def test_build_library_is_fast_and_pure() -> None:
    start = time.perf_counter()
    first = build_library(NOW, 3)
    assert time.perf_counter() - start < 0.3
    assert build_library(NOW, 3) == first
    later = build_library(NOW + timedelta(days=1), 3)
    assert later.media.keys() == first.media.keys()
    assert all(m.created_at < NOW for m in first.media.values())
