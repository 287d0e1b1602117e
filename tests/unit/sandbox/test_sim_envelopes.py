"""Simulator envelopes, paging, ids, routing errors, includes and links."""

from __future__ import annotations

import re

import pytest
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.test import Client
from werkzeug.wrappers import Response as WzResponse

from backend.photoshelter.models import ChildRef, Container, Permissions
from backend.sandbox.photoshelter.seed import DEMO_API_KEY, SEEDED_STATES
from tests.unit.sandbox.conftest import V4, Api, error_of

ID_RE = re.compile(r"^(G0000|C0000|I0000|O0000|U0000|AR000|CT000|CTG00|A0000)[a-zA-Z0-9._]{11}$")
ISO_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
PUBLIC = SEEDED_STATES["public_listed"]


def test_resource_and_list_envelope(staff: Api) -> None:
    body = staff.get("/galleries", per_page=10).get_json()
    assert set(body) == {"data", "meta"}
    assert set(body["meta"]["rate_limit"]) == {"limit", "current", "expires"}
    first = body["data"][0]
    assert set(first) >= {"id", "type", "attributes", "links"}
    assert first["type"] == "gallery"
    assert first["links"]["self"] == f"http://localhost{V4}/galleries/{first['id']}"
    assert set(first["attributes"]) >= {
        "name", "description", "display_order", "access_id", "is_listed", "mode",
        "effective_mode", "access_inherit", "created_at", "modified_at",
    }  # fmt: skip
    assert ISO_RE.match(first["attributes"]["created_at"])


def test_paging_links_and_ends(staff: Api) -> None:
    first = staff.get("/galleries", per_page=10).get_json()["meta"]["paging"]
    total = first["total"]
    last_page = -(-total // 10)
    assert first["page"] == 1 and first["per_page"] == 10
    assert first["prev"] is None
    assert "page=2" in first["next"] and "per_page=10" in first["next"]
    assert f"page={last_page}" in first["last"]
    assert first["first"].startswith(f"http://localhost{V4}/galleries?")
    last = staff.get("/galleries", per_page=10, page=last_page).get_json()
    assert len(last["data"]) == total - 10 * (last_page - 1)
    assert last["meta"]["paging"]["next"] is None
    assert f"page={last_page - 1}" in last["meta"]["paging"]["prev"]
    past = staff.get("/galleries", per_page=10, page=last_page + 5)
    assert past.status_code == 200
    assert past.get_json()["data"] == []
    assert past.get_json()["meta"]["paging"]["next"] is None


def test_paging_covers_every_item_once(staff: Api) -> None:
    seen: list[str] = []
    page = 1
    while True:
        body = staff.get("/media", per_page=100, page=page, sort_by="file_name").get_json()
        seen += [m["id"] for m in body["data"]]
        if body["meta"]["paging"]["next"] is None:
            break
        page += 1
    assert len(seen) == len(set(seen)) == body["meta"]["paging"]["total"]


@pytest.mark.parametrize(
    "params", [{"per_page": 501}, {"per_page": 0}, {"page": 0}, {"page": "x"}, {"per_page": "lots"}]
)
def test_bad_paging_is_400(staff: Api, params: dict) -> None:
    response = staff.get("/galleries", **params)
    assert response.status_code == 400
    assert error_of(response)["id"] == "BadRequestException"


def test_max_per_page_config(make_sim) -> None:
    api = Api(make_sim(max_per_page=20))
    assert api.get("/galleries", per_page=20).status_code == 200
    assert api.get("/galleries", per_page=21).status_code == 400


def test_ids_have_16_chars_and_prefixes(staff: Api) -> None:
    galleries = staff.data("/galleries", per_page=500, include="permissions,key-image")
    collections = staff.data("/collections", per_page=500)
    media = staff.data("/media", per_page=500)
    for resource, prefix in (
        [(g, "G0000") for g in galleries]
        + [(c, "C0000") for c in collections]
        + [(m, "I0000") for m in media]
    ):
        assert ID_RE.match(resource["id"]) and resource["id"].startswith(prefix)
    for gallery in galleries:
        assert ID_RE.match(gallery["attributes"]["access_id"])
        perms = gallery["includes"]["permissions"]["data"]["attributes"]
        for grant in perms["native"] + [p for i in perms["inherited"] for p in i["permissions"]]:
            assert grant["id"].startswith("AR000") and ID_RE.match(grant["id"])
            if grant["attributes"]["contact_id"]:
                assert grant["attributes"]["contact_id"].startswith("CT000")
    assert all(m["attributes"]["organization_id"].startswith("O0000") for m in media)
    assert all(m["attributes"]["owner_id"].startswith("U0000") for m in media)


@pytest.mark.parametrize(
    "path",
    [
        "/galleries/G0000short",
        "/galleries/C0000StHhRaevJxf",  # a collection id where a gallery id belongs
        "/galleries/G0000abc$%^&*()!",
        "/collections/C000",
        "/media/I0000!!!!!!!!!!!",
        "/media/G0000kLVLhRonF1J",
        "/galleries/G0000kLVLhRonF1Jx/children",
    ],
)
def test_malformed_ids_are_400(staff: Api, path: str) -> None:
    response = staff.get(path)
    assert response.status_code == 400
    assert error_of(response)["id"] == "BadRequestException"


@pytest.mark.parametrize(
    "path", ["/galleries/G0000zzzzzzzzzzz", "/collections/C0000zzzzzzzzzzz", "/media/I0000zzzzzzzzzzz/iptc"]
)
def test_unknown_ids_are_404(anon: Api, path: str) -> None:
    response = anon.get(path)
    assert response.status_code == 404
    assert error_of(response)["id"] == "ResourceNotFoundException"


def test_unknown_route_and_wrong_method(anon: Api) -> None:
    missing = anon.get("/no/such/thing")
    assert missing.status_code == 404
    assert error_of(missing)["id"] == "ResourceNotFoundException"
    wrong = anon.client.delete(V4 + "/galleries", headers=anon.headers())
    assert wrong.status_code == 405
    assert error_of(wrong)["id"] == "MethodNotAllowedException"
    assert "GET" in wrong.headers["Allow"]


def test_bad_parameters_are_400(anon: Api) -> None:
    assert anon.get("/galleries", include="bogus").status_code == 400
    assert anon.get("/galleries", sort_by="size").status_code == 400
    assert anon.get("/galleries", sort_direction="up").status_code == 400
    assert anon.get("/library", is_listed="maybe").status_code == 400
    assert anon.get("/galleries", parent="nope").status_code == 400
    assert anon.get("/galleries", parent="C0000zzzzzzzzzzz").status_code == 404


def test_container_includes_parse_with_client_models(staff: Api) -> None:
    inherited = SEEDED_STATES["inherited"]
    resource = staff.data(f"/galleries/{inherited}", include="permissions,key-image,link,child-count,parent")
    gallery = Container.from_resource(resource)
    assert gallery.id == inherited
    assert gallery.access_inherit is True
    assert gallery.mode == gallery.effective_mode == "permission"
    assert gallery.permissions is not None and gallery.permissions.grants[0].type == "password"
    assert gallery.key_image_id and gallery.key_image_id.startswith("I0000")
    assert gallery.link and f"/gallery/{resource['attributes']['name'].split()[0].lower()}" in gallery.link
    includes = resource["includes"]
    assert includes["child-count"]["data"]["attributes"]["images"] > 0
    assert includes["parent"]["data"]["type"] == "collection"
    assert includes["parent"]["data"]["id"] == gallery.permissions.inherited[0].collection_id


def test_sorting_galleries(staff: Api) -> None:
    names = [g["attributes"]["name"] for g in staff.data("/galleries", per_page=100, sort_by="name")]
    assert names == sorted(names, key=str.lower)
    desc = staff.data("/galleries", per_page=100, sort_by="creation_time", sort_direction="descending")
    times = [g["attributes"]["created_at"] for g in desc]
    assert times == sorted(times, reverse=True)


def test_gallery_filters_name_and_parent(staff: Api) -> None:
    press = staff.data("/galleries", name="PRESS KIT")
    assert press and all("press kit" in g["attributes"]["name"].lower() for g in press)
    catalog = staff.data(f"/galleries/{SEEDED_STATES['inherited']}", include="parent")["includes"]["parent"]
    children = staff.data("/galleries", parent=catalog["data"]["id"])
    assert SEEDED_STATES["inherited"] in {g["id"] for g in children}


def test_library_root_listing(staff: Api, anon: Api) -> None:
    roots = staff.data("/library", per_page=100)
    assert {r["type"] for r in roots} == {"gallery", "collection"}
    listed = staff.data("/library", per_page=100, is_listed="false")
    assert listed and all(r["attributes"]["is_listed"] is False for r in listed)
    public = anon.data("/library", per_page=100)
    assert all(
        r["attributes"]["effective_mode"] == "everyone" and r["attributes"]["is_listed"] for r in public
    )
    assert len(public) < len(roots)


def test_children_child_count_and_path(staff: Api) -> None:
    collections = staff.data("/collections", per_page=100)
    nested = next(c for c in collections if staff.data(f"/collections/{c['id']}/path")[0]["id"] != c["id"])
    path = staff.data(f"/collections/{nested['id']}/path")
    assert [p["type"] for p in path] == ["collection", "collection"]
    assert path[-1]["id"] == nested["id"]

    kids = staff.data(f"/collections/{path[0]['id']}/children")
    refs = [ChildRef.from_resource(k) for k in kids]
    assert nested["id"] in {r.id for r in refs}
    assert {r.type for r in refs} <= {"gallery", "collection"}
    assert all(
        set(k["attributes"]) >= {"name", "mode", "effective_mode", "access_inherit", "is_listed"}
        for k in kids
    )

    count = staff.get(f"/collections/{path[0]['id']}/child-count").get_json()
    assert count["meta"]["children_count"]["total"] == len(kids)

    gallery_children = staff.get(f"/galleries/{PUBLIC}/children", per_page=5).get_json()
    assert [c["attributes"]["display_order"] for c in gallery_children["data"]] == [1, 2, 3, 4, 5]
    assert all(c["type"] == "image" for c in gallery_children["data"])
    counts = staff.get(f"/galleries/{PUBLIC}/child-count").get_json()["meta"]["children_count"]
    assert counts["total"] == counts["images"] == gallery_children["meta"]["paging"]["total"]
    assert set(counts) == {"total", "images", "videos", "audio", "documents"}

    gallery_path = staff.data(f"/galleries/{PUBLIC}/path")
    assert gallery_path[-1]["id"] == PUBLIC and gallery_path[0]["type"] == "collection"
    desc = staff.data(f"/galleries/{PUBLIC}/children", sort_direction="descending", per_page=500)
    assert desc[0]["attributes"]["display_order"] == counts["total"]


def test_permissions_parse_with_client_model(staff: Api) -> None:
    perms = Permissions.from_resource(staff.data(f"/galleries/{SEEDED_STATES['token']}/permissions"))
    grant = perms.grants[0]
    assert grant.type == "token" and grant.token and grant.downloads_left == 3


def test_links_follow_the_mount_point(sim) -> None:
    mounted = DispatcherMiddleware(lambda environ, start: WzResponse("root")(environ, start), {
        "/sandbox/photoshelter": sim,
    })  # fmt: skip
    client = Client(mounted)
    headers = {"X-PS-Api-Key": DEMO_API_KEY}
    body = client.get(f"/sandbox/photoshelter{V4}/galleries/{PUBLIC}/link", headers=headers).get_json()
    link = body["data"]["attributes"]["link"]
    assert link.startswith("http://localhost/sandbox/photoshelter/site/gallery/")
    assert link.endswith(f"/{PUBLIC}")
    assert client.get(link.removeprefix("http://localhost")).status_code == 200
    media = client.get(
        f"/sandbox/photoshelter{V4}/media", headers=headers, query_string={"per_page": 1}
    ).get_json()
    assert media["data"][0]["links"]["self"].startswith(f"http://localhost/sandbox/photoshelter{V4}/media/")
    assert media["meta"]["paging"]["next"].startswith(f"http://localhost/sandbox/photoshelter{V4}/media?")
    key = client.get(f"/sandbox/photoshelter{V4}/galleries/{PUBLIC}/key-image", headers=headers).get_json()
    image_url = key["data"]["attributes"]["image_url"]
    assert image_url.startswith("http://localhost/sandbox/photoshelter/img-get2/I0000")
    assert client.get(image_url.removeprefix("http://localhost")).status_code == 200
