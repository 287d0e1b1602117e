"""Permission semantics: listing, grants (password, token, contact, group), expiry, downloads, inheritance."""

from __future__ import annotations

from io import BytesIO

from PIL import Image

from backend.photoshelter.models import Permissions
from backend.sandbox.photoshelter.seed import (
    CATALOG_PASSWORD,
    DEALER_PASSWORD,
    DEMO_GUEST_EMAIL,
    DEMO_GUEST_PASSWORD,
    EMBARGO_PASSWORD,
    LOOKBOOK_TOKEN,
    MEDIA_DAY_PASSWORD,
    PRESS_PASSWORD,
    SEEDED_STATES,
)
from tests.unit.sandbox.conftest import Api, error_of

S = SEEDED_STATES


def _first_media(api: Api, gallery_id: str) -> str:
    return api.library.containers[gallery_id].children[0]


def _grant(staff: Api, gallery_id: str):
    return Permissions.from_resource(staff.data(f"/galleries/{gallery_id}/permissions")).grants[0]


def test_anonymous_listing_hides_unlisted_permission_and_private(anon: Api, staff: Api) -> None:
    public = {g["id"] for g in anon.data("/galleries", per_page=500)}
    everything = {g["id"] for g in staff.data("/galleries", per_page=500)}
    assert S["public_listed"] in public
    for state in ("public_unlisted", "password", "token", "contact", "private", "inherited", "expired"):
        assert S[state] not in public, state
        assert S[state] in everything
    for gallery in anon.data("/galleries", per_page=500):
        assert gallery["attributes"]["effective_mode"] == "everyone" and gallery["attributes"]["is_listed"]
    public_collections = anon.data("/collections", per_page=100)
    assert all(c["attributes"]["effective_mode"] == "everyone" for c in public_collections)


def test_unlisted_is_reachable_by_id(anon: Api) -> None:
    assert anon.get(f"/galleries/{S['public_unlisted']}").status_code == 200
    assert anon.get(f"/galleries/{S['public_unlisted']}/children").status_code == 200


def test_password_gallery_needs_the_password(anon: Api) -> None:
    gallery = S["password"]
    refused = anon.get(f"/galleries/{gallery}/children")
    assert refused.status_code == 401
    error = error_of(refused)
    assert error["id"] == "AcsPermissionException"
    assert error["title"] == "Invalid access to resource: Gallery"
    assert error["detail"] == "password required"
    assert anon.get(f"/galleries/{gallery}/children", password="wrong").status_code == 401
    assert anon.get(f"/galleries/{gallery}/children", password=PRESS_PASSWORD.upper()).status_code == 401
    assert anon.get(f"/galleries/{gallery}/children", password=PRESS_PASSWORD).status_code == 200
    assert anon.get(f"/galleries/{gallery}", password=PRESS_PASSWORD).status_code == 200
    # permissions/link are readable (without credentials) so a UI can ask for the password
    perms = Permissions.from_resource(anon.data(f"/galleries/{gallery}/permissions"))
    assert perms.mode == "permission" and perms.grants[0].type == "password"
    assert anon.get(f"/galleries/{gallery}/link").status_code == 200


def test_credentials_only_for_org_sessions(anon: Api, staff: Api) -> None:
    for state in ("password", "token", "inherited"):
        hidden = Permissions.from_resource(anon.data(f"/galleries/{S[state]}/permissions")).grants
        shown = Permissions.from_resource(staff.data(f"/galleries/{S[state]}/permissions")).grants
        assert all(g.password is None and g.token is None for g in hidden)
        assert any(g.password or g.token for g in shown)
    not_org = anon.anonymous().login(org=False)
    grants = Permissions.from_resource(not_org.data(f"/galleries/{S['password']}/permissions")).grants
    assert grants[0].password is None


def test_private_is_staff_only(anon: Api, staff: Api) -> None:
    gallery = S["private"]
    for path in ("", "/children", "/permissions", "/link", "/key-image", "/path"):
        response = anon.get(f"/galleries/{gallery}{path}")
        assert response.status_code == 401, path
        assert error_of(response)["detail"] == "private"
        assert staff.get(f"/galleries/{gallery}{path}").status_code == 200
    media_id = _first_media(anon, gallery)
    assert anon.get(f"/media/{media_id}").status_code == 401
    assert anon.get(f"/media/{media_id}/download").status_code == 401
    assert staff.get(f"/media/{media_id}").status_code == 200


def test_expired_grant_refuses_view_and_download(anon: Api) -> None:
    gallery = S["expired"]
    view = anon.get(f"/galleries/{gallery}/children", password=MEDIA_DAY_PASSWORD)
    assert view.status_code == 401 and error_of(view)["detail"] == "grant expired"
    download = anon.get(f"/media/{_first_media(anon, gallery)}/download", password=MEDIA_DAY_PASSWORD)
    assert download.status_code == 401
    assert error_of(download)["id"] == "AcsPermissionException"
    assert error_of(download)["detail"] == "grant expired"


def test_expiring_soon_works_until_it_expires(anon: Api, clock) -> None:
    gallery = S["expiring_soon"]
    media_id = _first_media(anon, gallery)
    assert (
        anon.get(f"/media/{media_id}/download", password=EMBARGO_PASSWORD, image_size=64).status_code == 200
    )
    clock.advance(days=7)
    refused = anon.get(f"/media/{media_id}/download", password=EMBARGO_PASSWORD, image_size=64)
    assert refused.status_code == 401 and error_of(refused)["detail"] == "grant expired"


def test_max_downloads_counts_then_refuses(anon: Api, staff: Api) -> None:
    gallery = S["token"]
    media_id = _first_media(anon, gallery)
    before = _grant(staff, gallery)
    assert before.downloads_left == 3
    for used in range(1, 4):
        response = anon.get(f"/media/{media_id}/download", token=LOOKBOOK_TOKEN, image_size=32)
        assert response.status_code == 200
        assert _grant(staff, gallery).downloads == before.downloads + used
    refused = anon.get(f"/media/{media_id}/download", token=LOOKBOOK_TOKEN, image_size=32)
    assert refused.status_code == 401
    assert error_of(refused)["detail"] == "download limit reached"
    assert _grant(staff, gallery).downloads_left == 0
    # viewing still works, and staff downloads are never counted
    assert anon.get(f"/galleries/{gallery}/children", token=LOOKBOOK_TOKEN).status_code == 200
    assert staff.get(f"/media/{media_id}/download", image_size=32).status_code == 200
    assert _grant(staff, gallery).downloads == before.max_downloads


def test_exhausted_gallery_refuses_downloads(anon: Api) -> None:
    gallery = S["downloads_exhausted"]
    assert anon.get(f"/galleries/{gallery}/children", password=DEALER_PASSWORD).status_code == 200
    refused = anon.get(f"/media/{_first_media(anon, gallery)}/download", password=DEALER_PASSWORD)
    assert refused.status_code == 401 and error_of(refused)["detail"] == "download limit reached"


def test_password_download_works_and_is_counted(anon: Api, staff: Api) -> None:
    gallery = S["password"]
    media_id = _first_media(anon, gallery)
    assert anon.get(f"/media/{media_id}/download").status_code == 401
    response = anon.get(
        f"/media/{media_id}/download", password=PRESS_PASSWORD, gallery_id=gallery, image_size=40
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/jpeg"
    assert _grant(staff, gallery).downloads == 1


def test_inherited_grants_come_from_the_parent_collection(anon: Api, staff: Api) -> None:
    gallery = S["inherited"]
    assert anon.get(f"/galleries/{gallery}").status_code == 401
    assert anon.get(f"/galleries/{gallery}", password=CATALOG_PASSWORD).status_code == 200
    perms = Permissions.from_resource(staff.data(f"/galleries/{gallery}/permissions"))
    assert perms.native == [] and perms.inherited[0].grants[0].password == CATALOG_PASSWORD
    collection = staff.data(f"/collections/{perms.inherited[0].collection_id}")
    assert collection["attributes"]["mode"] == "permission"
    # the collection grant caps downloads at 3000 px
    media_id = _first_media(anon, gallery)
    response = anon.get(f"/media/{media_id}/download", password=CATALOG_PASSWORD, image_size=3500)
    assert response.status_code == 200
    assert max(Image.open(BytesIO(response.data)).size) == 3000


def test_contact_and_group_grants_follow_the_logged_in_user(anon: Api) -> None:
    guest = anon.anonymous().login(DEMO_GUEST_EMAIL, DEMO_GUEST_PASSWORD, org=False)
    assert anon.get(f"/galleries/{S['contact']}").status_code == 401
    assert guest.get(f"/galleries/{S['contact']}").status_code == 200
    # group grant on the unlisted Retail collection, inherited by its "Store Window Displays" gallery
    store_window = next(g for g in anon.library.galleries() if g.name == "Store Window Displays")
    assert anon.get(f"/galleries/{store_window.id}").status_code == 401
    assert guest.get(f"/galleries/{store_window.id}").status_code == 200
    assert guest.get(f"/galleries/{S['private']}").status_code == 401


def test_anonymous_media_visibility(anon: Api, staff: Api) -> None:
    public_media = anon.get("/media", per_page=1).get_json()["meta"]["paging"]["total"]
    all_media = staff.get("/media", per_page=1).get_json()["meta"]["paging"]["total"]
    assert 0 < public_media < all_media
    private_ids = set(anon.library.containers[S["private"]].children)
    assert not private_ids & {m["id"] for m in anon.data("/media", per_page=500)}
    unlisted_media = _first_media(anon, S["public_unlisted"])
    assert anon.get(f"/media/{unlisted_media}").status_code == 200
