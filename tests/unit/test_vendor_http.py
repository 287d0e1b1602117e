"""Unit tests for the shared vendor transport (`backend.vendor_http`)."""

from __future__ import annotations

import logging
import pickle
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, formatdate

import pytest
import requests
import responses
from responses import matchers

from backend.vendor_http import (
    Transport,
    UpstreamAuthError,
    UpstreamBadRequestError,
    UpstreamError,
    UpstreamNotFoundError,
    UpstreamPermissionError,
    UpstreamRateLimitedError,
    UpstreamTimeoutError,
    UpstreamUnavailableError,
    loggable_path,
    parse_retry_after,
)

BASE = "https://api.example.test/v1"
URL = f"{BASE}/things"


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def transport(sleeps: list[float]) -> Transport:
    return Transport(BASE, sleep=sleeps.append, backoff=0.2, max_retries=3, service="acme")


# --- success, URL building, bodies ------------------------------------------------------------


@responses.activate
def test_get_returns_response_and_joins_path(transport: Transport) -> None:
    responses.get(URL, json={"ok": True}, match=[matchers.query_param_matcher({"page": "2"})])
    resp = transport.request("GET", "/things", params={"page": 2})
    assert resp.json() == {"ok": True}


@responses.activate
def test_absolute_url_passes_through(transport: Transport) -> None:
    responses.get("https://cdn.example.test/x", body=b"bytes")
    assert transport.request("GET", "https://cdn.example.test/x").content == b"bytes"


@responses.activate
def test_raw_content_and_form_bodies(transport: Transport) -> None:
    responses.post(URL, body="ok", match=[matchers.urlencoded_params_matcher({"a": "1"})])
    responses.put(f"{BASE}/blob", body="ok")
    transport.request("POST", "things", data={"a": "1"})
    transport.request(
        "PUT", "blob", content=b"\x00\x01", headers={"Content-Type": "application/octet-stream"}
    )
    assert responses.calls[1].request.body == b"\x00\x01"
    with pytest.raises(ValueError):
        transport.request("POST", "things", data={"a": "1"}, json={"b": 2})


def test_pool_is_sized_for_thread_fan_out(transport: Transport) -> None:
    adapter = transport.session.get_adapter("https://api.example.test/")
    assert adapter._pool_maxsize == 32


# --- retries and backoff ----------------------------------------------------------------------


@responses.activate
def test_5xx_retries_are_bounded_with_exponential_backoff(transport: Transport, sleeps: list[float]) -> None:
    responses.get(URL, status=503, json={"error": "down"})
    with pytest.raises(UpstreamUnavailableError) as info:
        transport.request("GET", "things")
    assert len(responses.calls) == 4  # first try + max_retries
    assert info.value.status == 503
    assert len(sleeps) == 3
    for attempt, slept in enumerate(sleeps):
        base = 0.2 * 2**attempt
        assert base <= slept <= base * 1.1


@responses.activate
def test_5xx_then_success(transport: Transport, sleeps: list[float]) -> None:
    responses.get(URL, status=502)
    responses.get(URL, status=500)
    responses.get(URL, json={"ok": 1})
    assert transport.request("GET", "things").json() == {"ok": 1}
    assert len(responses.calls) == 3
    assert len(sleeps) == 2


@responses.activate
def test_post_is_not_retried_unless_marked_safe(transport: Transport) -> None:
    responses.post(URL, status=500)
    with pytest.raises(UpstreamUnavailableError):
        transport.request("POST", "things")
    assert len(responses.calls) == 1
    with pytest.raises(UpstreamUnavailableError):
        transport.request("POST", "things", retry_unsafe=True)
    assert len(responses.calls) == 1 + 4


@responses.activate
def test_max_retries_zero_means_one_call(sleeps: list[float]) -> None:
    t = Transport(BASE, sleep=sleeps.append, max_retries=0)
    responses.get(URL, status=503)
    with pytest.raises(UpstreamUnavailableError):
        t.request("GET", "things")
    assert len(responses.calls) == 1
    assert sleeps == []


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, UpstreamBadRequestError),
        (401, UpstreamAuthError),
        (403, UpstreamPermissionError),
        (404, UpstreamNotFoundError),
        (422, UpstreamBadRequestError),
    ],
)
@responses.activate
def test_client_errors_are_mapped_and_never_retried(
    transport: Transport, sleeps: list[float], status: int, cls: type[UpstreamError]
) -> None:
    responses.get(URL, status=status, json={"error": "Nope", "description": "nope at all"})
    with pytest.raises(cls) as info:
        transport.request("GET", "things")
    assert len(responses.calls) == 1
    assert sleeps == []
    err = info.value
    assert (err.service, err.status, err.code, err.message) == ("acme", status, "Nope", "nope at all")
    assert str(err).startswith(f"acme HTTP {status} (Nope): nope at all [GET /v1/things]")


@responses.activate
def test_errors_array_body_is_understood(transport: Transport) -> None:
    responses.get(URL, status=404, json={"errors": [{"id": "GoneException", "detail": "It left"}]})
    with pytest.raises(UpstreamNotFoundError) as info:
        transport.request("GET", "things")
    assert (info.value.code, info.value.message) == ("GoneException", "It left")


@responses.activate
def test_non_json_error_body_uses_reason(transport: Transport) -> None:
    responses.get(URL, status=404, body="<html>nope</html>")
    with pytest.raises(UpstreamNotFoundError) as info:
        transport.request("GET", "things")
    assert info.value.message == "Not Found"
    assert info.value.code is None


@responses.activate
def test_subclass_error_from_response_is_used(sleeps: list[float]) -> None:
    class Special(UpstreamError):
        pass

    class VendorTransport(Transport):
        def error_from_response(self, response: requests.Response) -> UpstreamError:
            return Special("special", status=response.status_code, service="vendor")

    responses.get(URL, status=418)
    with pytest.raises(Special):
        VendorTransport(BASE, sleep=sleeps.append).request("GET", "things")


# --- 429 / Retry-After --------------------------------------------------------------------------


@responses.activate
def test_429_with_short_retry_after_sleeps_then_retries(transport: Transport, sleeps: list[float]) -> None:
    responses.get(URL, status=429, headers={"Retry-After": "1"})
    responses.get(URL, json={"ok": True})
    assert transport.request("GET", "things").json() == {"ok": True}
    assert sleeps == [1.0]
    assert len(responses.calls) == 2


@responses.activate
def test_429_is_retried_even_for_post(transport: Transport, sleeps: list[float]) -> None:
    responses.post(URL, status=429, headers={"Retry-After": "0"})
    responses.post(URL, json={"ok": True})
    assert transport.request("POST", "things").json() == {"ok": True}
    assert sleeps == [0.0]


@responses.activate
def test_429_with_http_date(sleeps: list[float]) -> None:
    t = Transport(BASE, sleep=sleeps.append, max_retry_after=5.0)
    responses.get(URL, status=429, headers={"Retry-After": formatdate(time.time() + 3, usegmt=True)})
    responses.get(URL, json={})
    t.request("GET", "things")
    assert len(sleeps) == 1
    assert 1.0 < sleeps[0] <= 3.0


@responses.activate
def test_429_with_garbage_retry_after_falls_back_to_backoff(
    transport: Transport, sleeps: list[float]
) -> None:
    responses.get(URL, status=429, headers={"Retry-After": "soon-ish"})
    responses.get(URL, json={})
    transport.request("GET", "things")
    assert len(sleeps) == 1
    assert 0.2 <= sleeps[0] <= 0.22


@responses.activate
def test_429_over_the_cap_raises_with_retry_after(transport: Transport, sleeps: list[float]) -> None:
    responses.get(URL, status=429, headers={"Retry-After": "180"}, json={"error": "TooMany"})
    with pytest.raises(UpstreamRateLimitedError) as info:
        transport.request("GET", "things")
    assert info.value.retry_after == 180.0
    assert info.value.status == 429
    assert "retry after 180s" in str(info.value)
    assert sleeps == []
    assert len(responses.calls) == 1


@responses.activate
def test_429_retries_are_bounded(transport: Transport, sleeps: list[float]) -> None:
    responses.get(URL, status=429, headers={"Retry-After": "1"})
    with pytest.raises(UpstreamRateLimitedError) as info:
        transport.request("GET", "things")
    assert len(responses.calls) == 4
    assert sleeps == [1.0, 1.0, 1.0]
    assert info.value.retry_after == 1.0


def test_parse_retry_after_variants() -> None:
    now = datetime(2026, 11, 28, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after(" 2.5 ") == 2.5
    assert parse_retry_after("-3") == 0.0
    assert parse_retry_after(format_datetime(now + timedelta(seconds=30), usegmt=True), now=now) == 30.0
    assert parse_retry_after(format_datetime(now - timedelta(seconds=30), usegmt=True), now=now) == 0.0
    for garbage in (None, "", "   ", "soon", "nan", "inf", "Mon, 99 Foo 2026 99:99:99 GMT", "1e999"):
        assert parse_retry_after(garbage) is None


# --- timeouts and connection errors -------------------------------------------------------------


@pytest.mark.parametrize("exc", [requests.exceptions.ConnectTimeout, requests.exceptions.ReadTimeout])
@responses.activate
def test_timeouts_are_retried_then_raise_timeout_error(
    transport: Transport, sleeps: list[float], exc: type[Exception]
) -> None:
    responses.get(URL, body=exc("boom"))
    with pytest.raises(UpstreamTimeoutError) as info:
        transport.request("GET", "things")
    assert isinstance(info.value, UpstreamUnavailableError)
    assert info.value.status is None
    assert len(responses.calls) == 4
    assert len(sleeps) == 3


@responses.activate
def test_timeout_then_success(transport: Transport) -> None:
    responses.get(URL, body=requests.exceptions.ReadTimeout("slow"))
    responses.get(URL, json={"ok": True})
    assert transport.request("GET", "things").json() == {"ok": True}


@responses.activate
def test_connection_error_maps_to_unavailable_without_leaking_url(transport: Transport) -> None:
    responses.get(
        URL, body=requests.exceptions.ConnectionError(f"Max retries exceeded with url: {URL}?api_key=SEKRIT")
    )
    with pytest.raises(UpstreamUnavailableError) as info:
        transport.request("GET", "things", params={"api_key": "SEKRIT"})
    err = info.value
    assert not isinstance(err, UpstreamTimeoutError)
    assert "SEKRIT" not in str(err)
    assert "SEKRIT" not in repr(err)
    assert err.__cause__ is None and err.__suppress_context__
    assert "ConnectionError" in str(err)


def test_timeout_is_passed_as_connect_read_tuple() -> None:
    assert Transport(BASE, timeout=7).timeout == (7.0, 7.0)
    assert Transport(BASE, timeout=(1, 9)).timeout == (1.0, 9.0)


# --- logging ------------------------------------------------------------------------------------


@responses.activate
def test_log_lines_carry_no_secrets(transport: Transport, caplog: pytest.LogCaptureFixture) -> None:
    responses.get(URL, status=500)
    responses.get(URL, json={"secret_body": "BODY-SECRET"})
    caplog.set_level(logging.DEBUG)
    transport.request(
        "GET",
        "things?token=QUERY-SECRET&page=3",
        params={"api_key": "PARAM-SECRET", "oauth_code": "CODE-SECRET", "per_page": 10},
        headers={"Authorization": "Bearer HEADER-SECRET", "X-Api-Key": "HEADER2-SECRET"},
    )
    records = [r for r in caplog.records if r.name == "backend.vendor_http"]
    assert len(records) == 2  # one line per HTTP attempt
    text = caplog.text
    for secret in ("QUERY-SECRET", "PARAM-SECRET", "CODE-SECRET", "HEADER-SECRET", "HEADER2-SECRET", "BODY"):
        assert secret not in text
    assert "method=GET" in text
    assert "status=500" in text and "status=200" in text
    assert "page=3" in text and "per_page=10" in text and "api_key=***" in text
    assert "ms=" in text


def test_loggable_path_redacts_and_drops_host() -> None:
    path = loggable_path("https://h.test/a/b?password=pw&x=1", {"auth_token": "t", "n": None})
    assert path == "/a/b?password=***&x=1&auth_token=***"


# --- error objects -------------------------------------------------------------------------------


def test_error_pickles_with_attributes() -> None:
    err = UpstreamRateLimitedError("slow down", service="acme", status=429, code="X", retry_after=3.0)
    copy = pickle.loads(pickle.dumps(err))
    assert type(copy) is UpstreamRateLimitedError
    assert (copy.service, copy.status, copy.code, copy.retry_after, copy.message) == (
        "acme",
        429,
        "X",
        3.0,
        "slow down",
    )
    assert str(copy) == str(err)


def test_upload_tokens_in_paths_are_redacted_in_logs():
    from backend.vendor_http import loggable_path

    assert loggable_path("https://acme.zendesk.com/api/v2/uploads/6bk3gql82em5nmf") == "/api/v2/uploads/***"
    assert loggable_path("https://acme.zendesk.com/api/v2/uploads", {"filename": "a.jpg"}) == (
        "/api/v2/uploads?filename=a.jpg"
    )
