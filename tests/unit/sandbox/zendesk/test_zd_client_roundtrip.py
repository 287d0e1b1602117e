"""The production `ZendeskClient` against the simulator, in-process (a requests adapter calls WSGI)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from flask import Flask
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.test import Client
from werkzeug.wrappers import Response as WzResponse

from backend.sandbox.zendesk import DEMO_API_TOKEN, DEMO_EMAIL, DEMO_OAUTH_TOKEN
from backend.zendesk import (
    ZendeskAuthError,
    ZendeskBadRequestError,
    ZendeskClient,
    ZendeskConflictError,
    ZendeskNotFoundError,
    ZendeskRateLimitedError,
    ZendeskUnavailableError,
)
from tests.unit.sandbox.conftest import Clock

HOST = "http://zendesk.test"
MOUNT = "/sandbox/zendesk"


class WsgiAdapter(BaseAdapter):
    """A `requests` transport adapter that hands each request to a WSGI app."""

    def __init__(self, app: Any) -> None:
        super().__init__()
        self.client = Client(app)

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        body = request.body
        if body is not None and not isinstance(body, bytes | str):
            body = b"".join(body)  # a streamed upload
        if isinstance(body, str):
            body = body.encode()
        parts = urlsplit(request.url)
        headers = {
            k: v
            for k, v in request.headers.items()
            if k.lower() not in ("content-length", "transfer-encoding")
        }
        answer = self.client.open(
            parts.path,
            method=request.method,
            query_string=parts.query,
            headers=headers,
            data=body,
            base_url=f"{parts.scheme}://{parts.netloc}",
        )
        response = requests.Response()
        response.status_code = answer.status_code
        response.reason = answer.status.split(" ", 1)[1] if " " in answer.status else ""
        response.headers = CaseInsensitiveDict(dict(answer.headers))
        response._content = answer.get_data()
        response.url = request.url
        response.request = request
        return response

    def close(self) -> None:
        pass


@pytest.fixture
def sim(make_zd: Callable[..., Flask]) -> Flask:
    return make_zd()


@pytest.fixture
def session(sim: Flask) -> requests.Session:
    app = DispatcherMiddleware(WzResponse("not here", 404), {MOUNT: sim})
    s = requests.Session()
    s.mount(HOST, WsgiAdapter(app))
    return s


@pytest.fixture
def client_sleeps() -> list[float]:
    return []


@pytest.fixture
def zc(session: requests.Session, client_sleeps: list[float]) -> ZendeskClient:
    return ZendeskClient(
        base_url=HOST + MOUNT,
        email=DEMO_EMAIL,
        api_token=DEMO_API_TOKEN,
        session=session,
        sleep=client_sleeps.append,
    )


def test_reads(zc: ZendeskClient) -> None:
    ticket = zc.get_ticket(104)
    assert (ticket.priority, ticket.status, ticket.organization_id) == ("high", "pending", 504)
    assert ticket.custom_fields == {360001: "retail"} and ticket.updated_stamp
    requester = zc.get_user(ticket.requester_id or 0)
    assert requester.organization_id == 504 and requester.role == "end-user"
    org = zc.get_organization(504)
    assert org.organization_fields == {"tier": "enterprise"} and "vip" in org.tags
    assert zc.current_user().email == DEMO_EMAIL
    comments = zc.ticket_comments(104)
    assert [c.public for c in comments] == [True, False, True]
    assert "http://zendesk.test/sandbox/photoshelter/site/gallery/" in comments[0].body
    assert ticket.cc_ids == ()
    press = zc.get_ticket(101)
    (cc_id,) = press.cc_ids
    cc = zc.get_user(cc_id)
    assert cc.organization_id == press.organization_id and cc.email and cc_id != press.requester_id


def test_attach_files_to_a_comment(zc: ZendeskClient, session: requests.Session) -> None:
    first = zc.upload("hero.jpg", b"\xff\xd8jpeg-bytes", "image/jpeg")

    def chunks() -> Iterator[bytes]:
        yield b"\x89PNG"
        yield b"-png-bytes"

    second = zc.upload("logo.png", chunks(), "image/png", token=first.token)
    assert second.token == first.token and len(second.attachments) == 2
    before = zc.get_ticket(101)
    after = zc.add_comment(
        101,
        html_body="<p>Approved images attached.</p>",
        uploads=[first, second],
        safe_update_stamp=before.updated_stamp,
    )
    assert after.updated_stamp != before.updated_stamp
    note = zc.ticket_comments(101)[-1]
    assert (note.public, note.body) == (False, "Approved images attached.")
    assert [a.file_name for a in note.attachments] == ["hero.jpg", "logo.png"]
    assert session.get(note.attachments[1].content_url).content == b"\x89PNG-png-bytes"
    assert note.attachments[0].content_url.startswith(HOST + MOUNT + "/attachments/")

    with pytest.raises(ZendeskConflictError):
        zc.add_comment(101, html_body="<p>stale</p>", safe_update_stamp=before.updated_stamp)
    with pytest.raises(ZendeskBadRequestError) as info:
        zc.add_comment(101, html_body="<p>reuse</p>", uploads=[first.token])
    assert info.value.code == "RecordInvalid" and "uploads" in info.value.details


def test_expired_upload_token(zc: ZendeskClient, clock: Clock) -> None:
    upload = zc.upload("a.jpg", b"abc", "image/jpeg")
    clock.advance(hours=1)
    with pytest.raises(ZendeskBadRequestError, match="invalid or has expired"):
        zc.add_comment(102, html_body="<p>late</p>", uploads=[upload])
    zc.delete_upload(zc.upload("b.jpg", b"abc", "image/jpeg").token)
    with pytest.raises(ZendeskNotFoundError):
        zc.delete_upload(upload.token)


def test_tags_and_safe_updates(zc: ZendeskClient) -> None:
    assert zc.add_tags(102, ["ps_troubleshot"]) == ["broken_link", "photoshelter", "ps_troubleshot"]
    assert zc.remove_tags(102, ["broken_link"]) == ["photoshelter", "ps_troubleshot"]
    stamp = zc.get_ticket(102).updated_stamp
    updated = zc.update_ticket(
        102, fields={"priority": "urgent", "additional_tags": ["press_deadline"]}, updated_stamp=stamp
    )
    assert updated.priority == "urgent" and "press_deadline" in updated.tags
    with pytest.raises(ZendeskConflictError):
        zc.update_ticket(102, fields={"priority": "low"}, updated_stamp=stamp)


def test_idempotent_notification_tickets(zc: ZendeskClient) -> None:
    args: dict[str, Any] = {
        "subject": "Gallery access expired",
        "html_body": "<p>The share has expired.</p>",
        "requester_email": "sam@peakoutfitters.example",
        "priority": "high",
        "tags": ["ps_expired"],
        "external_id": "ps-grant:G2",
    }
    assert zc.find_tickets_by_external_id("ps-grant:G2") == []
    first = zc.create_ticket(**args, idempotency_key="expired:G2")
    again = zc.create_ticket(**args, idempotency_key="expired:G2")
    assert first.id == again.id and first.requester_id == 7102 and first.organization_id == 503
    assert [t.id for t in zc.find_tickets_by_external_id("ps-grant:G2")] == [first.id]
    with pytest.raises(ZendeskBadRequestError) as info:
        zc.create_ticket(**{**args, "subject": "Changed"}, idempotency_key="expired:G2")
    assert info.value.code == "IdempotentRequestError"


def test_comment_pagination_is_followed(zc: ZendeskClient, sim: Flask) -> None:
    for i in range(120):
        zc.add_comment(105, html_body=f"<p>note {i}</p>")
    comments = zc.ticket_comments(105)
    assert len(comments) == 121 and comments[-1].body == "note 119"


def test_errors_from_the_simulator(
    session: requests.Session, zc: ZendeskClient, client_sleeps: list[float]
) -> None:
    bad = ZendeskClient(base_url=HOST + MOUNT, oauth_token="wrong", session=session)
    with pytest.raises(ZendeskAuthError, match="Couldn't authenticate you"):
        bad.get_ticket(101)
    assert ZendeskClient(base_url=HOST + MOUNT, oauth_token=DEMO_OAUTH_TOKEN, session=session).get_ticket(101)
    with pytest.raises(ZendeskNotFoundError):
        zc.get_ticket(999)

    session.post(f"{HOST}{MOUNT}/_faults", json={"rate_limit_next": 1, "retry_after": 1})
    assert zc.get_ticket(101).id == 101  # 429 (plain text) then retried after Retry-After
    assert client_sleeps == [1.0]
    session.post(f"{HOST}{MOUNT}/_faults", json={"rate_limit_next": 1, "retry_after": 30})
    with pytest.raises(ZendeskRateLimitedError) as info:
        zc.get_ticket(101)
    assert info.value.retry_after == 30.0 and "Rate limit" in info.value.message
    session.post(f"{HOST}{MOUNT}/_faults", json={"fail_next": 1})
    with pytest.raises(ZendeskUnavailableError) as failed:
        zc.upload("a.jpg", b"abc", "image/jpeg")
    assert failed.value.status == 503
