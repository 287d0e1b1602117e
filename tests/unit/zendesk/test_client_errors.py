"""Error mapping, retry policy (reads, idempotent writes, send-once writes) and log hygiene."""

from __future__ import annotations

import json
import logging
import pickle
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import responses

from backend.vendor_http import (
    UpstreamAuthError,
    UpstreamBadRequestError,
    UpstreamConflictError,
    UpstreamError,
    UpstreamNotFoundError,
    UpstreamPermissionError,
    UpstreamRateLimitedError,
    UpstreamTimeoutError,
    UpstreamUnavailableError,
)
from backend.zendesk import (
    ZendeskAuthError,
    ZendeskBadRequestError,
    ZendeskClient,
    ZendeskConflictError,
    ZendeskError,
    ZendeskNotFoundError,
    ZendeskPermissionError,
    ZendeskRateLimitedError,
    ZendeskTimeoutError,
    ZendeskUnavailableError,
)
from tests.unit.zendesk.helpers import API_TOKEN, BASIC, EMAIL, OAUTH_TOKEN, STAMP, ticket_body, url

TICKET = url("/api/v2/tickets/101")
RECORD_INVALID = {
    "error": "RecordInvalid",
    "description": "Record validation errors",
    "details": {"base": [{"description": "Upload token 'x' is invalid or has expired", "error": "Invalid"}]},
}


@pytest.mark.parametrize(
    ("status", "kwargs", "zd_cls", "up_cls", "code", "message"),
    [
        (401, {"json": {"error": "Couldn't authenticate you"}}, ZendeskAuthError, UpstreamAuthError, None,
         "Couldn't authenticate you"),
        (403, {"json": {"error": {"title": "Forbidden", "message": "You do not have access"}}},
         ZendeskPermissionError, UpstreamPermissionError, "Forbidden", "You do not have access"),
        (404, {"json": {"error": "RecordNotFound", "description": "Not found"}}, ZendeskNotFoundError,
         UpstreamNotFoundError, "RecordNotFound", "Not found"),
        (409, {"json": {"error": "UpdateConflict", "description": "Safe Update prevented the update"}},
         ZendeskConflictError, UpstreamConflictError, "UpdateConflict", "Safe Update prevented the update"),
        (422, {"json": RECORD_INVALID}, ZendeskBadRequestError, UpstreamBadRequestError, "RecordInvalid",
         "Record validation errors: base: Upload token 'x' is invalid or has expired"),
        (400, {"json": {"error": "IdempotentRequestError", "description": "Key reused"}},
         ZendeskBadRequestError, UpstreamBadRequestError, "IdempotentRequestError", "Key reused"),
        (429, {"body": "Rate limit for ticket updates exceeded", "headers": {"Retry-After": "60"}},
         ZendeskRateLimitedError, UpstreamRateLimitedError, None, "Rate limit for ticket updates exceeded"),
        (429, {"json": {"error": "APIRateLimitExceeded", "description": "Number of allowed API requests"},
               "headers": {"Retry-After": "30"}},
         ZendeskRateLimitedError, UpstreamRateLimitedError, "APIRateLimitExceeded",
         "Number of allowed API requests"),
        (503, {"body": "<html><body><h1>503 Service Unavailable</h1></body></html>"},
         ZendeskUnavailableError, UpstreamUnavailableError, None, "503 Service Unavailable"),
    ],
)  # fmt: skip
@responses.activate
def test_error_mapping(
    sleeps: list[float],
    status: int,
    kwargs: dict[str, Any],
    zd_cls: type[ZendeskError],
    up_cls: type[UpstreamError],
    code: str | None,
    message: str,
) -> None:
    client = ZendeskClient(
        base_url=url(""), email=EMAIL, api_token=API_TOKEN, max_retries=0, sleep=sleeps.append
    )
    responses.get(TICKET, status=status, **kwargs)
    with pytest.raises(zd_cls) as info:
        client.get_ticket(101)
    err = info.value
    assert isinstance(err, up_cls) and isinstance(err, ZendeskError)
    assert (err.status, err.code, err.message, err.service) == (status, code, message, "zendesk")
    assert err.path == "/api/v2/tickets/101" and err.method == "GET"
    if status == 422:
        assert err.details == RECORD_INVALID["details"]
    if status == 429:
        assert err.retry_after == float(kwargs["headers"]["Retry-After"])


def test_errors_pickle_with_details() -> None:
    err = ZendeskBadRequestError("bad", status=422, code="RecordInvalid", details={"a": [1]})
    clone = pickle.loads(pickle.dumps(err))
    assert (type(clone), clone.details, clone.status, clone.service) == (
        type(err),
        {"a": [1]},
        422,
        "zendesk",
    )


@responses.activate
def test_reads_retry_5xx_then_succeed(client: ZendeskClient, sleeps: list[float]) -> None:
    responses.get(TICKET, status=502)
    responses.get(TICKET, status=503)
    responses.get(TICKET, json={"ticket": ticket_body()})
    assert client.get_ticket(101).id == 101
    assert len(responses.calls) == 3 and len(sleeps) == 2


@responses.activate
def test_retries_are_bounded(client: ZendeskClient, sleeps: list[float]) -> None:
    responses.get(TICKET, status=500)
    with pytest.raises(ZendeskUnavailableError):
        client.get_ticket(101)
    assert len(responses.calls) == 4 and len(sleeps) == 3  # max_retries=3


@responses.activate
def test_short_429_is_honoured_then_retried(client: ZendeskClient, sleeps: list[float]) -> None:
    responses.get(TICKET, status=429, body="Too Many Requests", headers={"Retry-After": "1"})
    responses.get(TICKET, json={"ticket": ticket_body()})
    client.get_ticket(101)
    assert sleeps == [1.0]


@responses.activate
def test_long_429_is_raised_for_the_job_queue(client: ZendeskClient, sleeps: list[float]) -> None:
    responses.get(TICKET, status=429, body="Too Many Requests", headers={"Retry-After": "45"})
    with pytest.raises(ZendeskRateLimitedError) as info:
        client.get_ticket(101)
    assert info.value.retry_after == 45.0 and sleeps == [] and len(responses.calls) == 1


@responses.activate
def test_timeout_maps_to_timeout_error(client: ZendeskClient, sleeps: list[float]) -> None:
    responses.get(TICKET, body=requests.ReadTimeout("read timed out"))
    with pytest.raises(ZendeskTimeoutError) as info:
        client.get_ticket(101)
    assert isinstance(info.value, UpstreamTimeoutError) and isinstance(info.value, ZendeskUnavailableError)
    assert len(responses.calls) == 4


@responses.activate
def test_upload_is_never_retried_after_5xx_or_timeout(client: ZendeskClient, sleeps: list[float]) -> None:
    uploads = url("/api/v2/uploads")
    responses.post(uploads, status=503)
    with pytest.raises(ZendeskUnavailableError):
        client.upload("a.jpg", b"abc", "image/jpeg")
    assert len(responses.calls) == 1
    responses.replace(responses.POST, uploads, body=requests.ConnectTimeout("slow"))
    with pytest.raises(ZendeskTimeoutError):
        client.upload("a.jpg", b"abc", "image/jpeg")
    assert len(responses.calls) == 2 and sleeps == []


@responses.activate
def test_upload_429_retried_only_for_replayable_bytes(client: ZendeskClient, sleeps: list[float]) -> None:
    uploads = url("/api/v2/uploads")
    ok = {"upload": {"token": "t", "attachment": {"id": 1, "file_name": "a.jpg", "size": 3}}}
    responses.post(uploads, status=429, body="slow down", headers={"Retry-After": "1"})
    responses.post(uploads, status=201, json=ok)
    assert client.upload("a.jpg", b"abc", "image/jpeg").token == "t"
    assert sleeps == [1.0] and len(responses.calls) == 2

    responses.reset()
    sleeps.clear()
    responses.post(uploads, status=429, body="slow down", headers={"Retry-After": "1"})

    def chunks() -> Iterator[bytes]:
        yield b"abc"

    with pytest.raises(ZendeskRateLimitedError):
        client.upload("a.jpg", chunks(), "image/jpeg")
    assert sleeps == [] and len(responses.calls) == 1


@responses.activate
def test_add_comment_is_sent_once_on_5xx(client: ZendeskClient, sleeps: list[float]) -> None:
    responses.put(TICKET, status=500)
    with pytest.raises(ZendeskUnavailableError):
        client.add_comment(101, html_body="<p>x</p>")
    assert len(responses.calls) == 1 and sleeps == []


@responses.activate
def test_add_comment_stale_stamp_is_a_conflict(client: ZendeskClient) -> None:
    responses.put(
        TICKET, status=409, json={"error": "UpdateConflict", "description": "Safe Update prevented"}
    )
    with pytest.raises(ZendeskConflictError):
        client.add_comment(101, html_body="<p>x</p>", safe_update_stamp=STAMP)
    assert len(responses.calls) == 1


@responses.activate
def test_create_ticket_retries_5xx_with_the_same_key(client: ZendeskClient, sleeps: list[float]) -> None:
    tickets = url("/api/v2/tickets")
    responses.post(tickets, status=503)
    responses.post(
        tickets, status=201, json={"ticket": ticket_body(106)}, headers={"x-idempotency-lookup": "hit"}
    )
    ticket = client.create_ticket(subject="s", html_body="<p>b</p>", idempotency_key="key-1")
    assert ticket.id == 106 and len(sleeps) == 1
    keys = [c.request.headers["Idempotency-Key"] for c in responses.calls]
    bodies = [json.loads(c.request.body) for c in responses.calls]
    assert keys == ["key-1", "key-1"] and bodies[0] == bodies[1]


@responses.activate
def test_idempotent_writes_retry(client: ZendeskClient, sleeps: list[float]) -> None:
    tags = url("/api/v2/tickets/101/tags")
    responses.put(tags, status=502)
    responses.put(tags, json={"tags": ["a"]})
    assert client.add_tags(101, ["a"]) == ["a"]
    responses.put(TICKET, status=503)
    responses.put(TICKET, json={"ticket": ticket_body()})
    client.update_ticket(101, fields={"status": "pending"}, updated_stamp=None)
    assert len(sleeps) == 2


@responses.activate
def test_no_credentials_in_logs_or_errors(caplog: pytest.LogCaptureFixture, sleeps: list[float]) -> None:
    caplog.set_level(logging.DEBUG)
    secrets = (API_TOKEN, OAUTH_TOKEN, BASIC, BASIC.split()[1])
    responses.get(TICKET, status=401, json={"error": "Couldn't authenticate you"})
    responses.post(url("/api/v2/uploads"), status=503)
    responses.post(url("/api/v2/tickets"), status=201, json={"ticket": ticket_body(106)})
    errors: list[Exception] = []
    for client in (
        ZendeskClient(base_url=url(""), email=EMAIL, api_token=API_TOKEN, sleep=sleeps.append),
        ZendeskClient(base_url=url(""), oauth_token=OAUTH_TOKEN, sleep=sleeps.append),
    ):
        for call in (
            lambda c=client: c.get_ticket(101),
            lambda c=client: c.upload("a.jpg", b"x", "image/jpeg", token="upload-token-SECRET"),
        ):
            with pytest.raises(ZendeskError) as info:
                call()
            errors.append(info.value)
        client.create_ticket(subject="s", html_body="<p>b</p>", idempotency_key="k")
    assert caplog.records, "the transport should log each attempt"
    text = caplog.text + " ".join(f"{e!s} {e!r}" for e in errors)
    for secret in (*secrets, "upload-token-SECRET"):
        assert secret not in text
    assert "token=%2A%2A%2A" in text or "token=***" in text
