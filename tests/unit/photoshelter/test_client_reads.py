"""One test per read method: the exact request on the wire and the typed result."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import responses
from responses import matchers

from backend.photoshelter import (
    ChildCount,
    ChildRef,
    Container,
    Iptc,
    Media,
    Page,
    Permissions,
    PhotoShelterClient,
    PhotoShelterError,
)
from tests.unit.photoshelter.helpers import (
    ACCESS_TOKEN,
    API_KEY,
    BASE,
    BEARER_HEADERS,
    C1,
    C2,
    G1,
    G2,
    I1,
    I2,
    ORG,
    container,
    grant,
    media_resource,
    meta,
    url,
)


def expect_get(path: str, body: dict[str, Any], params: dict[str, str] | None = None) -> None:
    """Register a GET that only matches with our auth headers and exactly these query params."""
    responses.get(
        url(path),
        json=body,
        match=[
            matchers.header_matcher(BEARER_HEADERS),
            matchers.query_param_matcher(params or {}),
        ],
    )


# --- library, galleries, collections -----------------------------------------------------------


@responses.activate
def test_library(client: PhotoShelterClient) -> None:
    expect_get(
        "/library",
        {
            "data": [container(C1, "Brand Assets", mode="everyone"), container(G1, "Spring Launch")],
            "meta": meta(total=2),
        },
        {"page": "1", "per_page": "50"},
    )
    page = client.library()
    assert isinstance(page, Page)
    assert [(c.id, c.type, c.name) for c in page] == [
        (C1, "collection", "Brand Assets"),
        (G1, "gallery", "Spring Launch"),
    ]
    assert page.items[0].mode == "everyone"
    assert page.paging.total == 2 and not page.paging.has_next


@responses.activate
def test_galleries_with_filters_and_includes(client: PhotoShelterClient) -> None:
    g = container(G1, "Spring Launch 2026")
    g["includes"] = {
        "key-image": {
            "data": {
                "id": I1,
                "type": "keyImage",
                "attributes": {"image_id": I1, "gallery_id": G1, "image_url": "u", "public": True},
            }
        },
        "link": {
            "data": {
                "id": G1,
                "type": "link",
                "attributes": {"link": f"https://brand.example.test/gallery/spring/{G1}"},
            }
        },
        "permissions": {
            "data": {
                "id": G1,
                "type": "permissions",
                "attributes": {
                    "mode": "permission",
                    "native_mode": "permission",
                    "access_inherit": False,
                    "native": [grant("AR000pWd0000001", "password", password="spring")],
                    "inherited": [],
                },
            }
        },
    }
    expect_get(
        "/galleries",
        {"data": [g], "meta": meta(total=11, page=2, per_page=5, has_next=True)},
        {
            "name": "spring",
            "parent": C1,
            "sort_by": "modification_time",
            "sort_direction": "descending",
            "include": "key-image,link,permissions",
            "page": "2",
            "per_page": "5",
        },
    )
    page = client.galleries(
        name="spring",
        parent=C1,
        sort_by="modification_time",
        sort_direction="descending",
        include=("key-image", "link", "permissions"),
        page=2,
        per_page=5,
    )
    (gallery,) = page.items
    assert gallery == Container.from_resource(g)
    assert gallery.key_image_id == I1
    assert gallery.link == f"https://brand.example.test/gallery/spring/{G1}"
    assert gallery.permissions is not None and gallery.permissions.native[0].password == "spring"
    assert gallery.created_at == datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
    assert page.paging.total == 11 and page.paging.page == 2 and page.paging.has_next


@responses.activate
def test_galleries_defaults(client: PhotoShelterClient) -> None:
    expect_get(
        "/galleries",
        {"data": [], "meta": meta(total=0)},
        {"sort_by": "name", "sort_direction": "ascending", "page": "1", "per_page": "50"},
    )
    assert client.galleries().items == []


@responses.activate
def test_gallery(client: PhotoShelterClient) -> None:
    expect_get(f"/galleries/{G1}", {"data": container(G1, "Spring"), "meta": meta()})
    gallery = client.gallery(G1)
    assert (gallery.id, gallery.name, gallery.effective_mode, gallery.is_listed) == (
        G1,
        "Spring",
        "permission",
        True,
    )


@responses.activate
def test_gallery_with_include(client: PhotoShelterClient) -> None:
    expect_get(f"/galleries/{G1}", {"data": container(G1, "Spring")}, {"include": "link,child-count"})
    assert client.gallery(G1, include=["link", "child-count"]).id == G1


@responses.activate
def test_gallery_children(client: PhotoShelterClient) -> None:
    expect_get(
        f"/galleries/{G1}/children",
        {
            "data": [
                {"id": I1, "type": "image", "attributes": {"display_order": 1}},
                {"id": I2, "type": "image", "attributes": {"display_order": 2}},
            ],
            "meta": meta(total=2, per_page=20),
        },
        {"page": "1", "per_page": "20", "sort_by": "display_order", "sort_direction": "ascending"},
    )
    page = client.gallery_children(G1, per_page=20, sort_by="display_order", sort_direction="ascending")
    assert page.items == [ChildRef(id=I1, type="image", display_order=1), ChildRef(I2, "image", 2)]


@responses.activate
def test_gallery_children_with_access_credentials(client: PhotoShelterClient) -> None:
    expect_get(
        f"/galleries/{G1}/children",
        {"data": [{"id": I1, "type": "image", "attributes": {"display_order": 1}}], "meta": meta(total=1)},
        {"page": "1", "per_page": "50", "password": "spring-pass", "token": "tok123"},
    )
    assert [c.id for c in client.gallery_children(G1, password="spring-pass", token="tok123")] == [I1]


@responses.activate
def test_gallery_child_count(client: PhotoShelterClient) -> None:
    expect_get(
        f"/galleries/{G1}/child-count",
        {
            "data": [],
            "meta": {"children_count": {"total": 7, "images": 6, "videos": 1, "audio": 0, "documents": 0}},
        },
    )
    assert client.gallery_child_count(G1) == ChildCount(
        total=7, counts={"images": 6, "videos": 1, "audio": 0, "documents": 0}
    )


@responses.activate
def test_gallery_path(client: PhotoShelterClient) -> None:
    expect_get(
        f"/galleries/{G1}/path",
        {
            "data": [container(C1, "Brand"), container(C2, "Campaigns"), container(G1, "Spring")],
            "meta": meta(),
        },
    )
    assert [(c.type, c.id) for c in client.gallery_path(G1)] == [
        ("collection", C1),
        ("collection", C2),
        ("gallery", G1),
    ]


def permissions_body(cid: str) -> dict[str, Any]:
    return {
        "data": {
            "id": cid,
            "type": "permissions",
            "attributes": {
                "mode": "permission",
                "native_mode": "everyone",
                "access_inherit": True,
                "native": [],
                "inherited": [
                    {
                        "mode": "permission",
                        "native_mode": "permission",
                        "collection_id": C1,
                        "permissions": [
                            grant(
                                "AR000pAsSwOrD01",
                                "password",
                                password="Sunrise-26",
                                expires="2026-12-31T23:59:59Z",
                                max_downloads=10,
                                downloads=3,
                            ),
                            grant("AR000cOnTaCt001", "contact", contact_id="CT000aGeNcY0001"),
                        ],
                    }
                ],
            },
        },
        "meta": meta(),
    }


@responses.activate
def test_gallery_permissions(client: PhotoShelterClient) -> None:
    expect_get(f"/galleries/{G1}/permissions", permissions_body(G1))
    perms = client.gallery_permissions(G1)
    assert isinstance(perms, Permissions)
    assert (perms.container_id, perms.mode, perms.native_mode, perms.access_inherit) == (
        G1,
        "permission",
        "everyone",
        True,
    )
    password, contact = perms.grants
    assert password.password == "Sunrise-26" and password.downloads_left == 7
    assert password.expires == datetime(2026, 12, 31, 23, 59, 59, tzinfo=UTC)
    assert contact.contact_id == "CT000aGeNcY0001"
    assert perms.inherited[0].collection_id == C1


def link_body(cid: str, link: str) -> dict[str, Any]:
    return {"data": {"id": cid, "type": "link", "attributes": {"link": link}}, "meta": meta()}


@responses.activate
def test_gallery_link(client: PhotoShelterClient) -> None:
    link = f"https://brand.example.test/gallery/spring-launch/{G1}"
    expect_get(f"/galleries/{G1}/link", link_body(G1, link))
    assert client.gallery_link(G1) == link


@responses.activate
def test_collections(client: PhotoShelterClient) -> None:
    expect_get(
        "/collections",
        {"data": [container(C2, "Campaigns", mode="everyone", is_listed=False)], "meta": meta(total=1)},
        {
            "name": "camp",
            "parent": C1,
            "sort_by": "name",
            "sort_direction": "ascending",
            "include": "child-count",
            "page": "1",
            "per_page": "10",
        },
    )
    page = client.collections(name="camp", parent=C1, include=("child-count",), per_page=10)
    (coll,) = page.items
    assert (coll.id, coll.type, coll.mode, coll.is_listed) == (C2, "collection", "everyone", False)


@responses.activate
def test_collection(client: PhotoShelterClient) -> None:
    expect_get(f"/collections/{C1}", {"data": container(C1, "Brand Assets")}, {"include": "parent"})
    assert client.collection(C1, include=("parent",)).name == "Brand Assets"


@responses.activate
def test_collection_children(client: PhotoShelterClient) -> None:
    expect_get(
        f"/collections/{C1}/children",
        {
            "data": [
                {
                    "id": C2,
                    "type": "collection",
                    "attributes": {"name": "Campaigns", "mode": "everyone", "effective_mode": "everyone"},
                },
                {
                    "id": G2,
                    "type": "gallery",
                    "attributes": {
                        "name": "Press Kit",
                        "mode": "permission",
                        "access_inherit": True,
                        "is_listed": True,
                    },
                },
            ],
            "meta": meta(total=2, per_page=25),
        },
        {"page": "1", "per_page": "25"},
    )
    page = client.collection_children(C1, per_page=25)
    assert page.items == [
        ChildRef(id=C2, type="collection", name="Campaigns", mode="everyone"),
        ChildRef(id=G2, type="gallery", name="Press Kit", mode="permission"),
    ]


@responses.activate
def test_collection_path(client: PhotoShelterClient) -> None:
    expect_get(f"/collections/{C2}/path", {"data": [container(C1, "Brand"), container(C2, "Campaigns")]})
    assert [c.id for c in client.collection_path(C2)] == [C1, C2]


@responses.activate
def test_collection_permissions(client: PhotoShelterClient) -> None:
    body = permissions_body(C2)
    body["data"]["attributes"].update({"access_inherit": False, "native_mode": "permission"})
    body["data"]["attributes"]["native"] = [grant("AR000tOkEn00001", "token", token="abc123tok")]
    expect_get(f"/collections/{C2}/permissions", body)
    perms = client.collection_permissions(C2)
    assert [g.token for g in perms.grants] == ["abc123tok"]


@responses.activate
def test_collection_link(client: PhotoShelterClient) -> None:
    link = f"https://brand.example.test/gallery-collection/campaigns/{C2}"
    expect_get(f"/collections/{C2}/link", link_body(C2, link))
    assert client.collection_link(C2) == link


# --- media -----------------------------------------------------------------------------------


@responses.activate
def test_search_media_full(sleeps: list[float]) -> None:
    client = PhotoShelterClient(
        base_url=BASE, api_key=API_KEY, access_token=ACCESS_TOKEN, org_id=ORG, sleep=sleeps.append
    )
    expect_get(
        "/media",
        {
            "data": [
                media_resource(I1, "hero-shot.jpg"),
                media_resource(I2, "logo.png", width=800, height=800),
            ],
            "meta": meta(total=2, per_page=24),
        },
        {
            "terms": "launch hero",
            "match_all_terms": "false",
            "galleries": f"{G1},{G2}",
            "collections": C1,
            "media_type": "image",
            "orientation": "horizontal",
            "org_id": ORG,
            "sort_by": "date",
            "sort_dir": "asc",
            "page": "1",
            "per_page": "24",
        },
    )
    page = client.search_media(
        "launch hero",
        galleries=[G1, G2],
        collections=[C1],
        media_type="image",
        orientation="horizontal",
        match_all_terms=False,
        sort_by="date",
        sort_dir="asc",
        per_page=24,
    )
    first, second = page.items
    assert isinstance(first, Media)
    assert (first.id, first.file_name, first.file_size, first.width, first.rating, first.views) == (
        I1,
        "hero-shot.jpg",
        2_345_678,
        4000,
        4,
        17,
    )
    assert (second.width, second.height) == (800, 800)


@responses.activate
def test_search_media_defaults_without_org(client: PhotoShelterClient) -> None:
    expect_get(
        "/media",
        {"data": [], "meta": meta(total=0)},
        {
            "match_all_terms": "true",
            "sort_by": "relevance",
            "sort_dir": "desc",
            "page": "1",
            "per_page": "50",
        },
    )
    assert client.search_media().items == []


@responses.activate
def test_media(client: PhotoShelterClient) -> None:
    resource = media_resource(I1, "hero-shot.jpg")
    resource["includes"] = {"gallery": {"data": [container(G1, "Spring"), container(G2, "Press")]}}
    expect_get(f"/media/{I1}", {"data": resource, "meta": meta()}, {"include": "gallery"})
    media = client.media(I1, include=("gallery",))
    assert media.gallery_ids == [G1, G2]
    assert media.created_at == datetime(2026, 2, 10, 8, 15, tzinfo=UTC)


@responses.activate
def test_media_iptc(client: PhotoShelterClient) -> None:
    expect_get(
        f"/media/{I1}/iptc",
        {
            "data": {
                "id": I1,
                "type": "iptc",
                "attributes": {
                    "title": "Hero",
                    "headline": "Spring launch hero",
                    "caption": "The new bottle on a beach.",
                    "keywords": "launch, spring ,beach,",
                    "credit": "Acme Studio",
                    "copyright": "© 2026 Acme",
                    "author": "J. Doe",
                    "city": "Lisbon",
                    "state": "",
                    "country": "Portugal",
                },
            }
        },
    )
    assert client.media_iptc(I1) == Iptc(
        title="Hero",
        headline="Spring launch hero",
        caption="The new bottle on a beach.",
        keywords=["launch", "spring", "beach"],
        credit="Acme Studio",
        copyright="© 2026 Acme",
        author="J. Doe",
        city="Lisbon",
        country="Portugal",
    )


@responses.activate
def test_media_galleries(client: PhotoShelterClient) -> None:
    expect_get(
        f"/media/{I1}/galleries",
        {
            "data": [
                {"id": G1, "type": "gallery", "includes": {"gallery": {"data": container(G1, "Spring")}}},
                {"id": G2, "type": "gallery", "includes": {"gallery": {"data": container(G2, "Press Kit")}}},
            ],
            "meta": meta(total=2),
        },
        {"include": "gallery"},
    )
    galleries = client.media_galleries(I1)
    assert [(g.id, g.name, g.mode) for g in galleries] == [
        (G1, "Spring", "permission"),
        (G2, "Press Kit", "permission"),
    ]


@responses.activate
def test_media_link(client: PhotoShelterClient) -> None:
    link = f"https://ps.example.test/img-get2/{I1}/fill=1200x800/hero-shot.jpg"
    expect_get(f"/media/{I1}/link", link_body(I1, link), {"image_size": "1200x800", "image_mode": "fill"})
    assert client.media_link(I1, size="1200x800", mode="fill") == link


@responses.activate
def test_media_link_defaults(client: PhotoShelterClient) -> None:
    expect_get(
        f"/media/{I1}/link", link_body(I1, "https://x/y"), {"image_size": "600x600", "image_mode": "fit"}
    )
    assert client.media_link(I1) == "https://x/y"


def test_thumbnail_url_is_built_locally(client: PhotoShelterClient) -> None:
    assert client.cdn_url == "https://ps.example.test"
    assert client.thumbnail_url(I1, "hero shot #1.jpg") == (
        f"https://ps.example.test/img-get2/{I1}/fit=300x300/hero%20shot%20%231.jpg"
    )
    assert client.thumbnail_url(I1, "a/b.jpg", width=64, height=48, mode="fill").endswith(
        f"/img-get2/{I1}/fill=64x48/a%2Fb.jpg"
    )


def test_thumbnail_url_with_explicit_cdn() -> None:
    client = PhotoShelterClient(
        base_url="http://localhost:5000/sandbox/photoshelter/psapi/v4.0/",
        api_key=API_KEY,
        cdn_url="https://cdn.example.test/",
    )
    assert client.thumbnail_url(I1, "x.jpg") == f"https://cdn.example.test/img-get2/{I1}/fit=300x300/x.jpg"
    default = PhotoShelterClient(
        base_url="http://localhost:5000/sandbox/photoshelter/psapi/v4.0", api_key="k"
    )
    assert default.cdn_url == "http://localhost:5000/sandbox/photoshelter"


# --- guards ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "args"),
    [
        ("gallery", (C1,)),
        ("gallery", ("G0000short",)),
        ("gallery", (G1 + "\n",)),
        ("gallery_children", ("G0000sPrInG/2026",)),
        ("collection", (G1,)),
        ("collection_children", ("../../etc",)),
        ("media", (G1,)),
        ("media_iptc", ("I0000abc",)),
        ("media_download", ("I0000hErO?ShOt01",)),
        ("thumbnail_url", ("nope", "x.jpg")),
    ],
)
@responses.activate
def test_malformed_ids_raise_before_any_call(
    client: PhotoShelterClient, call: str, args: tuple[str, ...]
) -> None:
    with pytest.raises(ValueError, match="malformed"):
        getattr(client, call)(*args)
    assert len(responses.calls) == 0


@responses.activate
def test_other_guards(client: PhotoShelterClient) -> None:
    with pytest.raises(ValueError):
        client.galleries(parent=G1)
    with pytest.raises(ValueError):
        client.library(per_page=501)
    with pytest.raises(ValueError):
        client.library(page=0)
    with pytest.raises(ValueError):
        client.media_link(I1, size="big")
    with pytest.raises(ValueError):
        client.media_link(I1, mode="crop")
    with pytest.raises(ValueError):
        client.search_media(galleries=[C1])
    assert len(responses.calls) == 0


def test_constructor_validation() -> None:
    with pytest.raises(ValueError):
        PhotoShelterClient(base_url=BASE, api_key="")
    with pytest.raises(ValueError):
        PhotoShelterClient(base_url=BASE, api_key="k", email="a@b", password="p", access_token="t")
    with pytest.raises(ValueError):
        PhotoShelterClient(base_url=BASE, api_key="k", email="a@b")
    with pytest.raises(ValueError):
        PhotoShelterClient(base_url=BASE, api_key="k", org_id="O123")
    with pytest.raises(ValueError, match="cache_prefix"):
        PhotoShelterClient(base_url=BASE, api_key="k", cache=object())  # type: ignore[arg-type]


@responses.activate
def test_unexpected_body_shapes_raise_photoshelter_error(client: PhotoShelterClient) -> None:
    responses.get(url(f"/galleries/{G1}"), json={"meta": {}})
    responses.get(url(f"/galleries/{G2}"), json={"data": {"type": "gallery"}})  # no id
    responses.get(url(f"/galleries/{G1}/link"), body="<html>oops</html>")
    responses.get(url(f"/galleries/{G1}/child-count"), json={"data": []})
    with pytest.raises(PhotoShelterError, match="no data"):
        client.gallery(G1)
    with pytest.raises(PhotoShelterError, match="unexpected response shape"):
        client.gallery(G2)
    with pytest.raises(PhotoShelterError, match="not a JSON object"):
        client.gallery_link(G1)
    with pytest.raises(PhotoShelterError, match="children_count"):
        client.gallery_child_count(G1)
