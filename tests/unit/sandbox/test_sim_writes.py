"""Write routes used by sharing: delivery galleries, their media, and grants with expiry."""

from __future__ import annotations

from datetime import timedelta

from backend.sandbox.photoshelter.seed import SEEDED_STATES
from tests.unit.sandbox.conftest import NOW, Api, error_of


def _media_ids(api: Api, count: int) -> list[str]:
    return list(api.library.media)[:count]


def test_delivery_gallery_with_token_grant_opens_for_the_token_only(staff: Api, anon: Api) -> None:
    created = staff.post("/galleries", {"name": "Ticket 7 delivery", "mode": "permission"})
    assert created.status_code == 201
    gallery = created.get_json()["data"]
    assert gallery["id"].startswith("G0000") and len(gallery["id"]) == 16
    assert gallery["attributes"]["is_listed"] is False
    media = _media_ids(staff, 2)
    added = staff.post(f"/galleries/{gallery['id']}/children", {"media_ids": ",".join(media)})
    assert added.status_code == 201 and [c["id"] for c in added.get_json()["data"]] == media
    expires = (NOW + timedelta(days=14)).isoformat()
    grant = staff.post(
        f"/galleries/{gallery['id']}/permissions",
        {"type": "token", "token": "tok-abc-123", "expires": expires, "max_downloads": "2"},
    )
    assert grant.status_code == 201
    attributes = grant.get_json()["data"]["attributes"]
    assert attributes["token"] == "tok-abc-123" and attributes["max_downloads"] == 2
    assert anon.get(f"/galleries/{gallery['id']}/children").status_code == 401
    assert anon.get(f"/galleries/{gallery['id']}/children", token="tok-abc-123").status_code == 200


def test_deleting_a_grant_revokes_the_link(staff: Api, anon: Api) -> None:
    gallery_id = SEEDED_STATES["public_listed"]
    staff.post("/galleries", {"name": "x"})
    grant = staff.post(f"/galleries/{gallery_id}/permissions", {"type": "password", "password": "pw-1"})
    grant_id = grant.get_json()["data"]["id"]
    deleted = staff.client.delete(
        f"/psapi/v4.0/galleries/{gallery_id}/permissions/{grant_id}", headers=staff.headers()
    )
    assert deleted.status_code == 204
    again = staff.client.delete(
        f"/psapi/v4.0/galleries/{gallery_id}/permissions/{grant_id}", headers=staff.headers()
    )
    assert again.status_code == 404
    permissions = staff.data(f"/galleries/{gallery_id}/permissions")
    assert grant_id not in {p["id"] for p in permissions["attributes"]["native"]}


def test_writes_need_staff(anon: Api) -> None:
    response = anon.post("/galleries", {"name": "nope"})
    assert response.status_code == 401
    assert error_of(response)["id"] == "AcsPermissionException"


def test_write_validation(staff: Api) -> None:
    gallery_id = SEEDED_STATES["private"]
    assert error_of(staff.post("/galleries", {"name": ""}))["status"] == "400"
    assert staff.post("/galleries", {"name": "x", "mode": "secret"}).status_code == 400
    assert staff.post(f"/galleries/{gallery_id}/permissions", {"type": "contact"}).status_code == 400
    assert (
        staff.post(f"/galleries/{gallery_id}/permissions", {"type": "token", "token": "t" * 33}).status_code
        == 400
    )
    bad_date = {"type": "token", "token": "t", "expires": "next week"}
    assert staff.post(f"/galleries/{gallery_id}/permissions", bad_date).status_code == 400
    assert staff.post(
        f"/galleries/{gallery_id}/children", {"media_ids": "I0000nosuchmedia1"}
    ).status_code in {400, 404}
