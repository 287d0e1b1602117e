"""What each ZendeskClient method sends (auth, path, params, body, headers) and how it parses."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import responses
from responses import matchers

from backend.zendesk import (
    Attachment,
    Comment,
    Organization,
    Ticket,
    Upload,
    User,
    ZendeskClient,
    ZendeskError,
)
from tests.unit.zendesk.helpers import (
    BASE,
    BASIC,
    OAUTH_TOKEN,
    STAMP,
    attachment_body,
    comment_body,
    ticket_body,
    url,
)


def _json(call: Any) -> Any:
    return json.loads(call.request.body)


# ------------------------------------------------------------------------------ construction


def test_constructor_validates_credentials_and_normalises_base_url() -> None:
    with pytest.raises(ValueError, match="api_token or oauth_token"):
        ZendeskClient(base_url=BASE)
    with pytest.raises(ValueError, match="not both"):
        ZendeskClient(base_url=BASE, email="a@b", api_token="x", oauth_token="y")
    with pytest.raises(ValueError, match="http"):
        ZendeskClient(base_url="acme.zendesk.com", oauth_token="y")
    client = ZendeskClient(base_url=BASE + "/api/v2/", oauth_token=OAUTH_TOKEN)
    assert client.base_url == BASE
    assert OAUTH_TOKEN not in repr(client)
    assert repr(client) == f"ZendeskClient(base_url='{BASE}', auth_mode='oauth')"


@responses.activate
def test_basic_auth_header(client: ZendeskClient) -> None:
    responses.get(
        url("/api/v2/tickets/101"),
        json={"ticket": ticket_body()},
        match=[matchers.header_matcher({"Authorization": BASIC, "Accept": "application/json"})],
    )
    client.get_ticket(101)


@responses.activate
def test_bearer_auth_header() -> None:
    client = ZendeskClient(base_url=BASE, oauth_token=OAUTH_TOKEN)
    responses.get(
        url("/api/v2/users/me"),
        json={"user": {"id": 9000, "name": "API", "email": "a@b", "role": "agent"}},
        match=[matchers.header_matcher({"Authorization": f"Bearer {OAUTH_TOKEN}"})],
    )
    assert client.current_user().role == "agent"


# ------------------------------------------------------------------------------------ uploads


@responses.activate
def test_upload_sends_raw_bytes_with_content_type(client: ZendeskClient) -> None:
    responses.post(
        url("/api/v2/uploads"),
        status=201,
        json={
            "upload": {
                "token": "tok-1",
                "expires_at": "2026-11-28T13:00:00Z",
                "attachments": [attachment_body()],
                "attachment": attachment_body(),
            }
        },
        match=[
            matchers.query_param_matcher({"filename": "hero.jpg"}),
            matchers.header_matcher({"Content-Type": "image/jpeg", "Authorization": BASIC}),
        ],
    )
    upload = client.upload("hero.jpg", b"\xff\xd8\xff\xe0", "image/jpeg")
    assert responses.calls[0].request.body == b"\xff\xd8\xff\xe0"
    assert upload == Upload(
        token="tok-1",
        attachment=Attachment(80001, "hero.jpg", url("/attachments/80001/hero.jpg"), "image/jpeg", 4),
        attachments=(Attachment(80001, "hero.jpg", url("/attachments/80001/hero.jpg"), "image/jpeg", 4),),
        expires_at=datetime(2026, 11, 28, 13, tzinfo=UTC),
    )


@responses.activate
def test_multiple_uploads_share_the_first_token(client: ZendeskClient) -> None:
    first, second = attachment_body(1, "a.jpg"), attachment_body(2, "b.jpg")
    responses.post(
        url("/api/v2/uploads"),
        status=201,
        json={"upload": {"token": "tok-1", "attachments": [first], "attachment": first}},
        match=[matchers.query_param_matcher({"filename": "a.jpg"})],
    )
    responses.post(
        url("/api/v2/uploads"),
        status=201,
        json={"upload": {"token": "tok-1", "attachments": [first, second], "attachment": second}},
        match=[matchers.query_param_matcher({"filename": "b.jpg", "token": "tok-1"})],
    )
    one = client.upload("a.jpg", b"aaaa", "image/jpeg")
    two = client.upload("dir/b.jpg", b"bbbb", "image/jpeg", token=one.token)
    assert two.token == one.token
    assert [a.id for a in two.attachments] == [1, 2]
    assert two.attachment.file_name == "b.jpg"


@responses.activate
def test_upload_streams_an_iterator(client: ZendeskClient) -> None:
    seen: list[bytes] = []

    def callback(request: Any) -> tuple[int, dict[str, str], str]:
        body = request.body
        seen.append(body if isinstance(body, bytes) else b"".join(body))
        payload = {"upload": {"token": "t", "attachment": attachment_body(size=6)}}
        return 201, {}, json.dumps(payload)

    responses.add_callback(responses.POST, url("/api/v2/uploads"), callback=callback)

    def chunks() -> Iterator[bytes]:
        yield b"abc"
        yield b"def"

    upload = client.upload("x.jpg", chunks(), "image/jpeg")
    assert seen == [b"abcdef"]
    assert upload.attachments == (upload.attachment,)


def test_upload_validates_arguments(client: ZendeskClient) -> None:
    with pytest.raises(ValueError, match="filename"):
        client.upload("", b"x", "image/jpeg")
    with pytest.raises(ValueError, match="content_type"):
        client.upload("a.jpg", b"x", "")


@responses.activate
def test_delete_upload_quotes_the_token(client: ZendeskClient) -> None:
    responses.delete(url("/api/v2/uploads/a%2Fb"), status=204)
    client.delete_upload("a/b")
    assert responses.calls[0].request.url == url("/api/v2/uploads/a%2Fb")


# ------------------------------------------------------------------------------------ tickets


@responses.activate
def test_get_ticket_parses(client: ZendeskClient) -> None:
    responses.get(url("/api/v2/tickets/101"), json={"ticket": ticket_body(external_id="ps:1")})
    ticket = client.get_ticket(101)
    assert ticket == Ticket(
        id=101,
        subject="Press request",
        status="open",
        priority="normal",
        tags=("press_request", "launch"),
        requester_id=7101,
        organization_id=501,
        external_id="ps:1",
        updated_at=datetime(2026, 11, 28, 12, tzinfo=UTC),
        custom_fields={360001: "press"},
        type="question",
        assignee_id=9001,
        created_at=datetime(2026, 11, 27, 10, tzinfo=UTC),
        updated_stamp=STAMP,
    )


@pytest.mark.parametrize(
    ("fields", "cc_ids"),
    [
        ({"email_cc_ids": [7106, 7107, 7106], "collaborator_ids": [7106, 7107, 9001]}, (7106, 7107)),
        ({"email_cc_ids": [], "collaborator_ids": [9001]}, ()),  # followers are not CCs
        ({"collaborator_ids": [7106, None]}, (7106,)),  # no CCs/followers feature: collaborators
        ({"email_cc_ids": None, "collaborator_ids": None}, ()),
        ({}, ()),
    ],
)
def test_ticket_ccs_come_from_email_cc_ids_else_collaborator_ids(
    fields: dict[str, Any], cc_ids: tuple[int, ...]
) -> None:
    assert Ticket.from_json(ticket_body(**fields)).cc_ids == cc_ids


def test_ids_are_validated_before_any_call(client: ZendeskClient) -> None:
    for bad in (0, -1, True, "101"):
        with pytest.raises(ValueError, match="malformed"):
            client.get_ticket(bad)  # type: ignore[arg-type]


@responses.activate
def test_ticket_comments_follow_next_page(client: ZendeskClient) -> None:
    page2 = url("/api/v2/tickets/101/comments.json?page=2&per_page=100")
    responses.get(
        url("/api/v2/tickets/101/comments"),
        json={"comments": [comment_body(1), comment_body(2)], "next_page": page2, "count": 3},
        match=[matchers.query_param_matcher({"per_page": "100", "sort_order": "asc"})],
    )
    attachment = attachment_body()
    responses.get(
        url("/api/v2/tickets/101/comments.json"),
        json={
            "comments": [comment_body(3, public=False, attachments=[attachment], author_id=9000)],
            "next_page": None,
            "count": 3,
        },
        match=[matchers.query_param_matcher({"page": "2", "per_page": "100"})],
    )
    comments = client.ticket_comments(101)
    assert [c.id for c in comments] == [1, 2, 3]
    assert comments[2] == Comment(
        id=3,
        author_id=9000,
        body="comment 3",
        html_body="<p>comment 3</p>",
        public=False,
        created_at=datetime(2026, 11, 27, 10, tzinfo=UTC),
        attachments=(Attachment.from_json(attachment),),
    )
    assert all(c.request.headers["Authorization"] == BASIC for c in responses.calls)


@responses.activate
def test_pagination_is_bounded_and_stays_on_our_host(sleeps: list[float]) -> None:
    client = ZendeskClient(base_url=BASE, oauth_token=OAUTH_TOKEN, max_pages=2, sleep=sleeps.append)
    loop = url("/api/v2/tickets/1/comments.json?page=2")
    responses.get(url("/api/v2/tickets/1/comments"), json={"comments": [], "next_page": loop})
    responses.get(url("/api/v2/tickets/1/comments.json"), json={"comments": [], "next_page": loop})
    with pytest.raises(ZendeskError, match="more than 2 pages"):
        client.ticket_comments(1)
    responses.get(
        url("/api/v2/tickets/2/comments"),
        json={"comments": [], "next_page": "https://evil.test/steal?page=2"},
    )
    with pytest.raises(ZendeskError, match="outside"):
        client.ticket_comments(2)
    assert not any("evil.test" in c.request.url for c in responses.calls)


@responses.activate
def test_find_tickets_by_external_id(client: ZendeskClient) -> None:
    responses.get(
        url("/api/v2/tickets"),
        json={"tickets": [ticket_body(7, external_id="ps-grant:G1")], "count": 1, "next_page": None},
        match=[matchers.query_param_matcher({"external_id": "ps-grant:G1", "per_page": "100"})],
    )
    tickets = client.find_tickets_by_external_id("ps-grant:G1")
    assert [(t.id, t.external_id) for t in tickets] == [(7, "ps-grant:G1")]


@responses.activate
def test_add_comment_body_and_safe_update(client: ZendeskClient) -> None:
    upload = Upload(token="tok-1", attachment=Attachment.from_json(attachment_body()))
    responses.put(
        url("/api/v2/tickets/101"),
        json={"ticket": ticket_body(updated_at="2026-11-28T12:00:05Z"), "audit": {"id": 1, "events": []}},
    )
    ticket = client.add_comment(
        101,
        html_body="<p>Here are the images</p>",
        uploads=[upload, "tok-1", "tok-2"],
        author_id=9000,
        safe_update_stamp=STAMP,
    )
    assert _json(responses.calls[0]) == {
        "ticket": {
            "comment": {
                "html_body": "<p>Here are the images</p>",
                "public": False,
                "uploads": ["tok-1", "tok-2"],
                "author_id": 9000,
            },
            "safe_update": True,
            "updated_stamp": STAMP,
        }
    }
    assert ticket.updated_stamp == "2026-11-28T12:00:05Z"


@responses.activate
def test_add_comment_minimal_is_an_internal_note_without_safe_update(client: ZendeskClient) -> None:
    responses.put(url("/api/v2/tickets/5"), json={"ticket": ticket_body(5)})
    client.add_comment(5, html_body="<p>note</p>")
    assert _json(responses.calls[0]) == {"ticket": {"comment": {"html_body": "<p>note</p>", "public": False}}}
    with pytest.raises(ValueError, match="html_body"):
        client.add_comment(5, html_body="  ")


@responses.activate
def test_create_ticket_sends_idempotency_key(client: ZendeskClient) -> None:
    responses.post(
        url("/api/v2/tickets"),
        status=201,
        json={"ticket": ticket_body(106, external_id="ps-grant:G1"), "audit": {"id": 2}},
        headers={"Location": url("/api/v2/tickets/106.json"), "x-idempotency-lookup": "miss"},
        match=[matchers.header_matcher({"Idempotency-Key": "expiry:G1:2026-12-01", "Authorization": BASIC})],
    )
    ticket = client.create_ticket(
        subject="Gallery access expires soon",
        html_body="<p>The share expires on 1 December.</p>",
        requester_email="jordan@trailpress.example",
        priority="high",
        tags=["ps_expiry"],
        external_id="ps-grant:G1",
        idempotency_key="expiry:G1:2026-12-01",
    )
    assert ticket.id == 106
    assert _json(responses.calls[0]) == {
        "ticket": {
            "subject": "Gallery access expires soon",
            "comment": {"html_body": "<p>The share expires on 1 December.</p>", "public": False},
            "requester": {"email": "jordan@trailpress.example"},
            "priority": "high",
            "tags": ["ps_expiry"],
            "external_id": "ps-grant:G1",
        }
    }


def test_create_ticket_validates(client: ZendeskClient) -> None:
    base: dict[str, Any] = {"subject": "s", "html_body": "<p>b</p>", "idempotency_key": "k"}
    with pytest.raises(ValueError, match="idempotency_key"):
        client.create_ticket(**{**base, "idempotency_key": ""})
    with pytest.raises(ValueError, match="idempotency_key"):
        client.create_ticket(**{**base, "idempotency_key": "k" * 256})
    with pytest.raises(ValueError, match="not both"):
        client.create_ticket(**base, requester_id=1, requester_email="a@b")
    with pytest.raises(ValueError, match="priority"):
        client.create_ticket(**base, priority="critical")


@responses.activate
def test_update_ticket_is_a_safe_update(client: ZendeskClient) -> None:
    responses.put(url("/api/v2/tickets/101"), json={"ticket": ticket_body(priority="urgent")})
    ticket = client.update_ticket(101, fields={"priority": "urgent"}, updated_stamp=STAMP)
    assert ticket.priority == "urgent"
    assert _json(responses.calls[0]) == {
        "ticket": {"priority": "urgent", "safe_update": True, "updated_stamp": STAMP}
    }
    responses.put(url("/api/v2/tickets/102"), json={"ticket": ticket_body(102)})
    client.update_ticket(102, fields={"additional_tags": ["x"]}, updated_stamp=None)
    assert _json(responses.calls[1]) == {"ticket": {"additional_tags": ["x"]}}


def test_update_ticket_refuses_comment_and_tag_replacement(client: ZendeskClient) -> None:
    for field in ("comment", "tags", "safe_update"):
        with pytest.raises(ValueError, match=field):
            client.update_ticket(1, fields={field: "x"}, updated_stamp=None)
    with pytest.raises(ValueError, match="empty"):
        client.update_ticket(1, fields={}, updated_stamp=None)


# --------------------------------------------------------------------------------------- tags


@responses.activate
def test_add_tags_uses_put(client: ZendeskClient) -> None:
    responses.put(
        url("/api/v2/tickets/101/tags"),
        json={"tags": ["press_request", "launch", "ps_delivered"]},
        match=[matchers.json_params_matcher({"tags": ["ps_delivered"]})],
    )
    assert client.add_tags(101, ["ps_delivered"]) == ["press_request", "launch", "ps_delivered"]
    assert [c.request.method for c in responses.calls] == ["PUT"]


@responses.activate
def test_remove_tags_uses_delete_with_json_body(client: ZendeskClient) -> None:
    responses.delete(
        url("/api/v2/tickets/101/tags"),
        json={"tags": ["launch"]},
        match=[matchers.json_params_matcher({"tags": ["press_request"]})],
    )
    assert client.remove_tags(101, ["press_request"]) == ["launch"]


@responses.activate
def test_remove_tags_reads_back_after_204(client: ZendeskClient) -> None:
    responses.delete(url("/api/v2/tickets/101/tags"), status=204)
    responses.get(url("/api/v2/tickets/101/tags"), json={"tags": ["launch"]})
    assert client.remove_tags(101, ["press_request"]) == ["launch"]
    assert [c.request.method for c in responses.calls] == ["DELETE", "GET"]


def test_tags_are_validated(client: ZendeskClient) -> None:
    for bad in ([], ["two words"], [""], "single"):
        with pytest.raises(ValueError, match="tags"):
            client.add_tags(1, bad)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------- users and orgs


@responses.activate
def test_get_user_and_organization(client: ZendeskClient) -> None:
    responses.get(
        url("/api/v2/users/7101"),
        json={
            "user": {
                "id": 7101,
                "name": "Jordan Ellis",
                "email": "jordan.ellis@trailpress.example",
                "role": "end-user",
                "organization_id": 501,
                "tags": ["press"],
                "user_fields": {"press_pass": True},
            }
        },
    )
    responses.get(
        url("/api/v2/organizations/501"),
        json={
            "organization": {
                "id": 501,
                "name": "Trail Press Media",
                "tags": ["media", "press"],
                "organization_fields": {"tier": "media"},
            }
        },
    )
    assert client.get_user(7101) == User(
        id=7101,
        name="Jordan Ellis",
        email="jordan.ellis@trailpress.example",
        organization_id=501,
        tags=("press",),
        user_fields={"press_pass": True},
        role="end-user",
    )
    assert client.get_organization(501) == Organization(
        id=501, name="Trail Press Media", tags=("media", "press"), organization_fields={"tier": "media"}
    )


@responses.activate
def test_unexpected_shapes_raise_zendesk_error(client: ZendeskClient) -> None:
    responses.get(url("/api/v2/users/1"), json={"users": []})
    responses.get(url("/api/v2/users/2"), json={"user": {"name": "no id"}})
    responses.get(url("/api/v2/users/3"), body="<html>ok</html>")
    for user_id, message in ((1, "no user object"), (2, "unexpected response shape"), (3, "not a JSON")):
        with pytest.raises(ZendeskError, match=message):
            client.get_user(user_id)
