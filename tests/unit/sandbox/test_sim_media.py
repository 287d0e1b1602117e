"""Media search, media sub-resources, CDN images, downloads and the public site pages."""

from __future__ import annotations

from io import BytesIO

import pytest
from PIL import Image

from backend.photoshelter.models import Iptc, Media
from backend.sandbox.photoshelter import search
from backend.sandbox.photoshelter.seed import SEEDED_STATES
from tests.unit.sandbox.conftest import Api, error_of

PUBLIC = SEEDED_STATES["public_listed"]


def _search(api: Api, **params) -> list[dict]:
    return api.data("/media", per_page=500, **params)


def _text(api: Api, media_id: str) -> str:
    m = api.library.media[media_id]
    return " ".join([m.file_name, m.iptc.title, m.iptc.headline, m.iptc.caption, *m.iptc.keywords]).lower()


def test_terms_must_all_match_case_insensitively(staff: Api) -> None:
    hits = _search(staff, terms="TrailRunner RIDGE")
    assert hits
    for hit in hits:
        text = _text(staff, hit["id"])
        assert "trailrunner" in text and "ridge" in text
    any_hits = _search(staff, terms="trailrunner ridge", match_all_terms="false")
    assert len(any_hits) > len(hits)
    assert {h["id"] for h in hits} <= {h["id"] for h in any_hits}
    assert _search(staff, terms="zzzunmatched") == []


def test_terms_match_keywords_caption_and_file_name(staff: Api) -> None:
    assert _search(staff, terms="glacier")  # keyword
    assert _search(staff, terms="Zermatt")  # caption/keyword city
    by_name = _search(staff, terms="NW_SummitPack")
    assert by_name and all(h["attributes"]["file_name"].startswith("NW_SummitPack") for h in by_name)


def test_relevance_sort_puts_best_first(staff: Api) -> None:
    hits = _search(staff, terms="trailrunner ridge", match_all_terms="false")
    terms = ["trailrunner", "ridge"]
    scores = [search.score(staff.library.media[h["id"]], terms, False) for h in hits]
    assert scores == sorted(scores, reverse=True)
    ascending = _search(staff, terms="trailrunner ridge", match_all_terms="false", sort_dir="asc")
    assert [search.score(staff.library.media[h["id"]], terms, False) for h in ascending] == sorted(scores)


def test_sort_by_file_name_date_and_upload_time(staff: Api) -> None:
    names = [h["attributes"]["file_name"] for h in _search(staff, sort_by="file_name")]
    assert names == sorted(names, key=str.lower)
    uploads = [h["attributes"]["created_at"] for h in _search(staff, sort_by="upload_time", sort_dir="asc")]
    assert uploads == sorted(uploads)
    taken = [staff.library.media[h["id"]].taken_at for h in _search(staff, sort_by="date")]
    assert taken == sorted(taken, reverse=True)
    assert staff.get("/media", sort_by="size").status_code == 400
    assert staff.get("/media", sort_dir="descending").status_code == 400


def test_gallery_and_recursive_collection_filters(staff: Api) -> None:
    in_gallery = _search(staff, galleries=PUBLIC)
    assert {h["id"] for h in in_gallery} == set(staff.library.containers[PUBLIC].children)
    campaigns = next(c for c in staff.library.collections() if c.name == "Campaigns")
    nested = staff.library.galleries_under(campaigns.id)
    assert PUBLIC in nested  # PUBLIC sits in a sub-collection of Campaigns
    hits = _search(staff, collections=campaigns.id)
    assert hits and all(set(staff.library.media[h["id"]].gallery_ids) & nested for h in hits)
    assert {h["id"] for h in in_gallery} <= {h["id"] for h in hits}
    assert staff.get("/media", galleries="G0000bad").status_code == 400
    assert staff.get("/media", collections="nope").status_code == 400


def test_media_type_and_orientation_filters(staff: Api) -> None:
    assert len(_search(staff, media_type="image")) >= 320
    assert _search(staff, media_type="video") == []
    assert staff.get("/media", media_type="hologram").status_code == 400
    for orientation, check in (
        ("vertical", lambda a: a["height"] > a["width"]),
        ("horizontal", lambda a: a["width"] > a["height"]),
        ("square", lambda a: a["width"] == a["height"]),
        ("panoramic", lambda a: a["width"] >= 2 * a["height"]),
    ):
        hits = _search(staff, orientation=orientation)
        assert hits and all(check(h["attributes"]) for h in hits), orientation
    assert staff.get("/media", orientation="diagonal").status_code == 400


def test_media_item_iptc_galleries_include(staff: Api) -> None:
    shared = next(m for m in staff.library.media.values() if len(m.gallery_ids) > 1)
    media = Media.from_resource(staff.data(f"/media/{shared.id}", include="gallery"))
    assert media.file_name == shared.file_name
    assert sorted(media.gallery_ids) == sorted(shared.gallery_ids)
    iptc_resource = staff.data(f"/media/{shared.id}/iptc")
    assert iptc_resource["type"] == "iptc" and isinstance(iptc_resource["attributes"]["keywords"], str)
    assert Iptc.from_resource(iptc_resource).keywords == list(shared.iptc.keywords)
    galleries = staff.data(f"/media/{shared.id}/galleries", include="gallery")
    assert {g["id"] for g in galleries} == set(shared.gallery_ids)
    assert all(
        g["type"] == "gallery" and g["includes"]["gallery"]["data"]["id"] == g["id"] for g in galleries
    )
    assert staff.get(f"/media/{shared.id}", include="bogus").status_code == 400


@pytest.mark.parametrize(
    ("params", "segment"),
    [
        ({}, "fit=1000x1000"),
        ({"image_size": "600x400"}, "fit=600x400"),
        ({"image_size": "300"}, "fit=300x300"),
        ({"image_size": "600x400", "image_mode": "fill"}, "fill=600x400"),
        ({"image_size": "9000x10"}, "fit=4000x10"),
    ],
)
def test_media_link(anon: Api, params: dict, segment: str) -> None:
    media = anon.library.media[anon.library.containers[PUBLIC].children[0]]
    link = anon.data(f"/media/{media.id}/link", **params)
    assert link["type"] == "link" and link["id"] == media.id
    assert link["attributes"]["link"] == f"http://localhost/img-get2/{media.id}/{segment}/{media.file_name}"


def test_media_link_height_only_and_errors(anon: Api) -> None:
    media = anon.library.media[anon.library.containers[PUBLIC].children[0]]
    link = anon.data(f"/media/{media.id}/link", image_size="x300", gallery_id=PUBLIC)["attributes"]["link"]
    width = round(300 * media.width / media.height)
    assert f"/img-get2/{media.id}/g={PUBLIC}/fit={width}x300/" in link
    assert anon.get(f"/media/{media.id}/link", image_size="big").status_code == 400
    assert anon.get(f"/media/{media.id}/link", image_mode="stretch").status_code == 400


def _image(response) -> Image.Image:
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/jpeg"
    image = Image.open(BytesIO(response.data))
    assert image.format == "JPEG"
    return image


def test_cdn_fit_fill_and_gallery_segment(anon: Api) -> None:
    media = anon.library.media[anon.library.containers[PUBLIC].children[0]]
    base = f"/img-get2/{media.id}"
    fit = _image(anon.client.get(f"{base}/fit=300x300/{media.file_name}"))
    assert max(fit.size) == 300
    assert abs(fit.size[0] / fit.size[1] - media.width / media.height) < 0.02
    assert _image(anon.client.get(f"{base}/fill=120x80/{media.file_name}")).size == (120, 80)
    assert _image(anon.client.get(f"{base}/g={PUBLIC}/fill=64x64/x.jpg")).size == (64, 64)
    assert _image(anon.client.get(f"{base}/fill=50x40")).size == (50, 40)
    assert _image(anon.client.get(f"{base}/fill=5000x0/x.jpg")).size == (4000, 1)
    same = anon.client.get(f"{base}/fill=120x80/{media.file_name}")
    assert same.data == anon.client.get(f"{base}/fill=120x80/{media.file_name}").data


def test_cdn_errors(anon: Api) -> None:
    media_id = anon.library.containers[PUBLIC].children[0]
    assert anon.client.get(f"/img-get2/{media_id}/stretch=1x1/a.jpg").status_code == 400
    assert anon.client.get("/img-get2/I0000bad/fit=1x1/a.jpg").status_code == 400
    assert anon.client.get("/img-get2/I0000zzzzzzzzzzz/fit=10x10/a.jpg").status_code == 404
    assert anon.client.get(f"/img-get2/{media_id}/g=bad/fit=10x10/a.jpg").status_code == 400


def test_download_headers_and_sizes(anon: Api) -> None:
    media = anon.library.media[anon.library.containers[PUBLIC].children[0]]
    response = anon.get(f"/media/{media.id}/download", image_size=320)
    image = _image(response)
    assert max(image.size) == 320
    assert response.headers["Content-Length"] == str(len(response.data))
    assert response.headers["Content-Disposition"] == f'attachment; filename="{media.file_name}"'
    assert response.headers["X-PS-Original-Size"] == str(media.file_size)
    assert anon.get(f"/media/{media.id}/download", download_filetype="tiff").status_code == 400
    assert anon.get(f"/media/{media.id}/download", image_size=0).status_code == 400
    other_gallery = SEEDED_STATES["private"]
    missing = anon.get(f"/media/{media.id}/download", gallery_id=other_gallery)
    assert missing.status_code == 404 and error_of(missing)["id"] == "ResourceNotFoundException"


def test_download_default_size_is_capped_at_2400(anon: Api) -> None:
    media = anon.library.media[anon.library.containers[PUBLIC].children[0]]
    image = _image(anon.get(f"/media/{media.id}/download", download_filetype="jpeg"))
    assert max(image.size) == min(2400, max(media.width, media.height))


def test_site_pages(anon: Api, staff: Api) -> None:
    public_link = anon.data(f"/galleries/{PUBLIC}/link")["attributes"]["link"]
    page = anon.client.get(public_link.removeprefix("http://localhost"))
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert "<img" in html and "/img-get2/" in html
    locked_link = anon.data(f"/galleries/{SEEDED_STATES['password']}/link")["attributes"]["link"]
    locked = anon.client.get(locked_link.removeprefix("http://localhost")).get_data(as_text=True)
    assert "requires a password" in locked and "<img" not in locked
    private_link = staff.data(f"/galleries/{SEEDED_STATES['private']}/link")["attributes"]["link"]
    assert anon.client.get(private_link.removeprefix("http://localhost")).status_code == 403
    campaigns = next(c for c in anon.library.collections() if c.name == "Campaigns")
    collection_link = anon.data(f"/collections/{campaigns.id}/link")["attributes"]["link"]
    assert "/gallery-collection/campaigns/" in collection_link
    assert "<a href=" in anon.client.get(collection_link.removeprefix("http://localhost")).get_data(
        as_text=True
    )
    assert anon.client.get("/site/gallery/x/G0000zzzzzzzzzzz").status_code == 404
