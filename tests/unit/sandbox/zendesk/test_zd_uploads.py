"""Uploads: tokens shared by several files, comments consuming them, bytes at content_url, expiry."""

from __future__ import annotations

from urllib.parse import urlsplit

from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.test import Client
from werkzeug.wrappers import Response as WzResponse

from tests.unit.sandbox.conftest import Clock
from tests.unit.sandbox.zendesk.conftest import BASIC, ZdApi, zd_error

JPEG = b"\xff\xd8\xff\xe0" + b"fake-jpeg" * 10
PNG = b"\x89PNG\r\n\x1a\n" + b"fake-png" * 10


def _path(content_url: str) -> str:
    return urlsplit(content_url).path


def test_upload_shape_and_token_reuse(zd: ZdApi) -> None:
    first = zd.upload("hero.jpg", JPEG)
    assert first.status_code == 201
    upload = first.get_json()["upload"]
    assert set(upload) == {"token", "expires_at", "attachments", "attachment"}
    assert upload["expires_at"] == "2026-11-28T13:00:00Z"  # NOW + 60 min
    attachment = upload["attachment"]
    assert attachment["file_name"] == "hero.jpg"
    assert (attachment["content_type"], attachment["size"]) == ("image/jpeg", len(JPEG))
    assert attachment["content_url"] == f"http://localhost/attachments/{attachment['id']}/hero.jpg"
    assert upload["attachments"] == [attachment]

    second = zd.upload("logo.png", PNG, "image/png", token=upload["token"]).get_json()["upload"]
    assert second["token"] == upload["token"]
    assert [a["file_name"] for a in second["attachments"]] == ["hero.jpg", "logo.png"]
    assert second["attachment"]["file_name"] == "logo.png"


def test_comment_with_uploads_attaches_files_served_at_content_url(zd: ZdApi) -> None:
    token = zd.upload("hero.jpg", JPEG).get_json()["upload"]["token"]
    zd.upload("logo.png", PNG, "image/png", token=token)
    result = zd.comment(101, html_body="<p>Two images attached</p>", public=False, uploads=[token])
    assert result.status_code == 200
    body = result.get_json()
    event = body["audit"]["events"][0]
    assert event["type"] == "Comment" and len(event["attachments"]) == 2

    comments = zd.ok("GET", "/tickets/101/comments")["comments"]
    last = comments[-1]
    assert (last["public"], last["author_id"], last["body"]) == (False, 9000, "Two images attached")
    assert [a["file_name"] for a in last["attachments"]] == ["hero.jpg", "logo.png"]
    for attachment, data, kind in zip(
        last["attachments"], (JPEG, PNG), ("image/jpeg", "image/png"), strict=True
    ):
        served = zd.client.get(_path(attachment["content_url"]))
        assert served.status_code == 200
        assert served.data == data and served.mimetype == kind
        assert served.headers["X-Content-Type-Options"] == "nosniff"

    # The token was consumed: using it again is a validation error.
    again = zd.comment(101, html_body="<p>again</p>", uploads=[token])
    details = zd_error(again, 422, "RecordInvalid")["details"]
    assert "uploads" in details


def test_unknown_or_expired_token_is_record_invalid(zd: ZdApi, clock: Clock) -> None:
    response = zd.comment(102, body="hi", uploads=["no-such-token"])
    body = zd_error(response, 422, "RecordInvalid")
    assert body["description"] == "Record validation errors"
    assert body["details"]["uploads"][0]["description"].startswith("Upload token")

    upload = zd.upload("hero.jpg", JPEG).get_json()["upload"]
    clock.advance(seconds=3599)
    assert zd.client.get(_path(upload["attachment"]["content_url"])).status_code == 200
    clock.advance(seconds=1)
    expired = zd.comment(102, body="late", uploads=[upload["token"]])
    zd_error(expired, 422, "RecordInvalid")
    assert zd.client.get(_path(upload["attachment"]["content_url"])).status_code == 404
    zd_error(zd.upload("more.jpg", JPEG, token=upload["token"]), 422, "RecordInvalid")
    assert len(zd.ok("GET", "/tickets/102/comments")["comments"]) == 2  # nothing was added


def test_upload_ttl_is_configurable(make_zd, clock: Clock) -> None:
    zd = ZdApi(make_zd(upload_ttl_seconds=10))
    upload = zd.upload("a.jpg", JPEG).get_json()["upload"]
    assert upload["expires_at"] == "2026-11-28T12:00:10Z"
    clock.advance(seconds=11)
    zd_error(zd.comment(101, body="x", uploads=[upload["token"]]), 422, "RecordInvalid")


def test_delete_upload(zd: ZdApi) -> None:
    upload = zd.upload("a.jpg", JPEG).get_json()["upload"]
    response = zd.delete(f"/uploads/{upload['token']}")
    assert response.status_code == 204 and response.data == b""
    assert zd.client.get(_path(upload["attachment"]["content_url"])).status_code == 404
    zd_error(zd.delete(f"/uploads/{upload['token']}.json"), 404, "RecordNotFound")


def test_upload_validation_and_content_type_guess(make_zd) -> None:
    zd = ZdApi(make_zd(max_upload_bytes=100))
    zd_error(zd.upload("", JPEG), 422, "RecordInvalid")
    zd_error(zd.upload("empty.jpg", b""), 422, "RecordInvalid")
    assert zd.upload("big.jpg", b"x" * 101).status_code == 413
    guessed = zd.upload("photo.png", PNG, "application/octet-stream").get_json()["upload"]["attachment"]
    assert guessed["content_type"] == "image/png"
    named = zd.upload("../../etc/passwd.txt", b"hello", "text/plain").get_json()["upload"]["attachment"]
    assert named["file_name"] == "passwd.txt"
    assert zd.client.get(f"/attachments/{guessed['id']}/other-name.png").status_code == 404
    assert zd.client.get("/attachments/424242/x.png").status_code == 404


def test_attachment_metadata_endpoint(zd: ZdApi) -> None:
    attachment = zd.upload("a.jpg", JPEG).get_json()["upload"]["attachment"]
    shown = zd.ok("GET", f"/attachments/{attachment['id']}")["attachment"]
    assert shown == attachment


def test_urls_include_the_mount_point(make_zd) -> None:
    """Mounted at /sandbox/zendesk, content_url and next_page point back under the mount."""
    app = DispatcherMiddleware(WzResponse("outer", 404), {"/sandbox/zendesk": make_zd()})
    client = Client(app)
    headers = {"Authorization": BASIC}
    created = client.post(
        "/sandbox/zendesk/api/v2/uploads?filename=a.jpg",
        data=JPEG,
        headers={**headers, "Content-Type": "image/jpeg"},
    )
    content_url = created.get_json()["upload"]["attachment"]["content_url"]
    assert content_url.startswith("http://localhost/sandbox/zendesk/attachments/")
    assert client.get(_path(content_url)).data == JPEG
    page = client.get("/sandbox/zendesk/api/v2/tickets/101/comments?per_page=1", headers=headers)
    assert page.get_json()["next_page"].startswith("http://localhost/sandbox/zendesk/api/v2/tickets/101/")
