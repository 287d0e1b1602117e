"""Per-minute rate budget with X-Rate-Limit headers and 429, and every `/_faults` switch."""

from __future__ import annotations

import pytest

from tests.unit.sandbox.conftest import Clock
from tests.unit.sandbox.zendesk.conftest import ZdApi, zd_error

DEFAULTS = {
    "latency_ms": 0,
    "error_rate": 0.0,
    "error_status": 503,
    "timeout_rate": 0.0,
    "timeout_seconds": 5.0,
    "fail_next": 0,
    "rate_limit_next": 0,
    "retry_after": 2,
    "rate_limit_per_minute": 700,
    "seed": None,
}


def _faults(zd: ZdApi, method: str = "GET", **settings: object) -> dict:
    response = zd.client.open("/_faults", method=method, json=settings if method == "POST" else None)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_rate_limit_headers_and_429(make_zd, clock: Clock) -> None:
    zd = ZdApi(make_zd(rate_limit_per_minute=3))
    clock.advance(seconds=15)  # 12:00:15 → the window resets in 45 s
    remaining = []
    for _ in range(3):
        response = zd.get("/tickets/101")
        assert response.status_code == 200 and response.headers["X-Rate-Limit"] == "3"
        remaining.append(response.headers["X-Rate-Limit-Remaining"])
    assert remaining == ["2", "1", "0"]
    limited = zd.get("/tickets/101")
    body = zd_error(limited, 429, "APIRateLimitExceeded")
    assert "per minute" in body["description"]
    assert limited.headers["Retry-After"] == "45"
    assert limited.headers["X-Rate-Limit-Remaining"] == "0"
    clock.advance(seconds=45)
    fresh = zd.get("/tickets/101")
    assert fresh.status_code == 200 and fresh.headers["X-Rate-Limit-Remaining"] == "2"


def test_rate_headers_on_every_api_response_only(zd: ZdApi) -> None:
    for response in (zd.get("/tickets/101"), zd.get("/tickets/999"), ZdApi(zd.app, None).get("/tickets")):
        assert response.headers["X-Rate-Limit"] == "700"
    assert "X-Rate-Limit" not in zd.client.get("/_faults").headers


def test_faults_get_post_delete(zd: ZdApi) -> None:
    assert _faults(zd) == DEFAULTS
    assert _faults(zd, "POST", latency_ms=5, error_rate=0.25) == {
        **DEFAULTS,
        "latency_ms": 5,
        "error_rate": 0.25,
    }
    assert _faults(zd, "POST", fail_next=1)["latency_ms"] == 5  # POST merges
    assert _faults(zd, "DELETE") == DEFAULTS


@pytest.mark.parametrize(
    "body",
    [{"bogus": 1}, {"error_rate": 2}, {"fail_next": -1}, {"fail_next": 1.5}, {"error_status": 200},
     {"rate_limit_per_minute": 0}, {"latency_ms": True}, ["not", "an", "object"]],
)  # fmt: skip
def test_faults_validation(zd: ZdApi, body: object) -> None:
    response = zd.client.post("/_faults", json=body)
    zd_error(response, 400, "InvalidValue")
    assert _faults(zd) == DEFAULTS


def test_fail_next_and_error_status(zd: ZdApi) -> None:
    _faults(zd, "POST", fail_next=2)
    first = zd.get("/tickets/101")
    body = zd_error(first, 503, "ServiceUnavailable")
    assert "fail_next" in body["description"]
    assert first.headers["X-Rate-Limit"] == "700"
    assert zd.get("/tickets/101").status_code == 503
    assert zd.get("/tickets/101").status_code == 200
    _faults(zd, "POST", fail_next=1, error_status=500)
    zd_error(zd.get("/tickets/101"), 500, "InternalError")
    assert _faults(zd)["fail_next"] == 0  # the fault endpoint itself is never faulted


def test_rate_limit_next_is_plain_text_with_retry_after(zd: ZdApi) -> None:
    _faults(zd, "POST", rate_limit_next=2, retry_after=7)
    for _ in range(2):
        limited = zd.get("/tickets/101")
        assert limited.status_code == 429 and limited.headers["Retry-After"] == "7"
        assert limited.mimetype == "text/plain" and "Rate limit" in limited.get_data(as_text=True)
    assert zd.get("/tickets/101").status_code == 200


def test_faulted_upload_stores_nothing(zd: ZdApi) -> None:
    _faults(zd, "POST", fail_next=1)
    assert zd.upload("a.jpg", b"abc").status_code == 503
    assert zd.state.uploads == {} and zd.state.attachments == {}


def test_error_rate_is_seeded(make_zd) -> None:
    def run() -> list[int]:
        zd = ZdApi(make_zd())
        _faults(zd, "POST", error_rate=0.5, error_status=502, seed=42)
        return [zd.get("/tickets/101").status_code for _ in range(30)]

    first = run()
    assert first == run()
    assert set(first) == {200, 502}


def test_latency_and_timeout_sleep(zd: ZdApi, sleeps: list[float]) -> None:
    _faults(zd, "POST", latency_ms=250)
    assert zd.get("/tickets/101").status_code == 200
    assert sleeps == [0.25]
    sleeps.clear()
    _faults(zd, "POST", latency_ms=0, timeout_rate=1.0, timeout_seconds=3)
    assert zd.get("/tickets/101").status_code == 200
    assert sleeps == [3.0]


def test_rate_limit_per_minute_switch_and_reset(zd: ZdApi) -> None:
    _faults(zd, "POST", rate_limit_per_minute=1)
    assert zd.get("/tickets/101").status_code == 200
    assert zd.get("/tickets/101").status_code == 429
    _faults(zd, "DELETE")
    response = zd.get("/tickets/101")
    assert response.status_code == 200 and response.headers["X-Rate-Limit-Remaining"] == "699"
