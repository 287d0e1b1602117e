"""Rate limiting (token bucket per API key) and every `/_faults` switch."""

from __future__ import annotations

import time

import pytest

from backend.sandbox.photoshelter.seed import DEMO_API_KEY, SEEDED_STATES
from tests.unit.sandbox.conftest import Api, Ticker, error_of

OTHER_KEY = "a-second-api-key-for-bucket-tests-000000"
DEFAULTS = {
    "latency_ms": 0,
    "error_rate": 0.0,
    "error_status": 503,
    "timeout_rate": 0.0,
    "timeout_seconds": 5.0,
    "fail_next": 0,
    "rate_limit_next": 0,
    "retry_after": 2,
    "rate_per_second": 50.0,
    "burst": 200,
    "seed": None,
}


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def api(make_sim, sleeps: list[float]) -> Api:
    return Api(make_sim(sleep=sleeps.append))


def _faults(api: Api, method: str = "GET", **settings) -> dict:
    response = api.client.open("/_faults", method=method, json=settings if method == "POST" else None)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_token_bucket_per_key_with_retry_after(make_sim, ticker: Ticker) -> None:
    sim = make_sim(rate_per_second=0.5, burst=3, api_keys=[DEMO_API_KEY, OTHER_KEY])
    api, other = Api(sim), Api(sim, key=OTHER_KEY)
    currents = [api.get("/library").get_json()["meta"]["rate_limit"] for _ in range(3)]
    assert [c["current"] for c in currents] == [1, 2, 3]
    assert currents[-1]["limit"] == 3 and currents[-1]["expires"] == 6
    limited = api.get("/library")
    assert limited.status_code == 429
    assert limited.headers["Retry-After"] == "2"
    assert error_of(limited)["id"] == "TooManyRequestsException"
    assert other.get("/library").status_code == 200  # separate bucket
    ticker.value += 2.0
    assert api.get("/library").status_code == 200
    assert api.get("/library").status_code == 429


def test_rate_limit_is_not_applied_to_bad_keys_or_cdn(make_sim) -> None:
    sim = make_sim(burst=1)
    api = Api(sim)
    assert api.get("/library").status_code == 200
    assert api.get("/library").status_code == 429
    assert Api(sim, key="wrong").get("/library").status_code == 403
    media_id = api.library.containers[SEEDED_STATES["public_listed"]].children[0]
    assert api.client.get(f"/img-get2/{media_id}/fill=8x8/a.jpg").status_code == 200


def test_faults_get_post_delete(api: Api) -> None:
    assert _faults(api) == DEFAULTS
    merged = _faults(api, "POST", latency_ms=5, error_rate=0.25)
    assert merged == {**DEFAULTS, "latency_ms": 5, "error_rate": 0.25}
    assert _faults(api, "POST", fail_next=1)["latency_ms"] == 5  # POST merges
    assert _faults(api) == {**DEFAULTS, "latency_ms": 5, "error_rate": 0.25, "fail_next": 1}
    assert _faults(api, "DELETE") == DEFAULTS


@pytest.mark.parametrize(
    "body",
    [{"bogus": 1}, {"error_rate": 2}, {"error_rate": "x"}, {"fail_next": -1}, {"fail_next": 1.5},
     {"error_status": 200}, {"burst": 0}, {"rate_per_second": 0}, {"latency_ms": True}],
)  # fmt: skip
def test_faults_validation(api: Api, body: dict) -> None:
    response = api.client.post("/_faults", json=body)
    assert response.status_code == 400
    assert error_of(response)["id"] == "BadRequestException"
    assert _faults(api) == DEFAULTS
    assert api.client.post("/_faults", data="not json").status_code == 400


def test_fail_next_with_status(api: Api) -> None:
    _faults(api, "POST", fail_next=2)
    first = api.get("/library")
    assert first.status_code == 503 and error_of(first)["id"] == "ServiceUnavailableException"
    assert api.get("/library").status_code == 503
    assert api.get("/library").status_code == 200
    _faults(api, "POST", fail_next=1, error_status=500)
    failed = api.get("/library")
    assert failed.status_code == 500 and error_of(failed)["id"] == "InternalServerException"


def test_faults_do_not_apply_to_the_fault_endpoint_but_do_to_downloads(api: Api) -> None:
    _faults(api, "POST", fail_next=1)
    assert _faults(api)["fail_next"] == 1
    media_id = api.library.containers[SEEDED_STATES["public_listed"]].children[0]
    assert api.client.get(f"/img-get2/{media_id}/fill=8x8/a.jpg").status_code == 200
    assert api.get(f"/media/{media_id}/download", image_size=16).status_code == 503
    assert _faults(api)["fail_next"] == 0


def test_rate_limit_next_and_retry_after(api: Api) -> None:
    _faults(api, "POST", rate_limit_next=2, retry_after=7)
    for _ in range(2):
        limited = api.get("/library")
        assert limited.status_code == 429
        assert limited.headers["Retry-After"] == "7"
        assert error_of(limited)["id"] == "TooManyRequestsException"
    assert api.get("/library").status_code == 200


def test_error_rate_is_seeded(make_sim) -> None:
    def run() -> list[int]:
        api = Api(make_sim())
        _faults(api, "POST", error_rate=0.5, error_status=502, seed=42)
        return [api.get("/library").status_code for _ in range(30)]

    first = run()
    assert first == run()
    assert set(first) == {200, 502}
    always = Api(make_sim())
    _faults(always, "POST", error_rate=1.0)
    assert all(always.get("/library").status_code == 503 for _ in range(5))


def test_latency_and_timeouts_sleep(api: Api, sleeps: list[float]) -> None:
    _faults(api, "POST", latency_ms=250)
    assert api.get("/library").status_code == 200
    assert sleeps == [0.25]
    sleeps.clear()
    _faults(api, "POST", latency_ms=0, timeout_rate=1.0, timeout_seconds=3)
    assert api.get("/library").status_code == 200  # answered, but only after the "timeout"
    assert sleeps == [3.0]
    sleeps.clear()
    _faults(api, "DELETE")
    api.get("/library")
    assert sleeps == []


def test_rate_and_burst_switches(api: Api, ticker: Ticker) -> None:
    _faults(api, "POST", burst=2, rate_per_second=1)
    assert api.get("/library").status_code == 200
    assert api.get("/library").status_code == 200
    limited = api.get("/library")
    assert limited.status_code == 429 and limited.headers["Retry-After"] == "1"
    ticker.value += 1
    assert api.get("/library").get_json()["meta"]["rate_limit"]["limit"] == 2
    _faults(api, "DELETE")
    assert api.get("/library").status_code == 200  # bucket refilled with the configured burst


def test_real_sleep_is_short(make_sim) -> None:
    """Sanity check with the real clock: a 20 ms latency is honoured."""
    api = Api(make_sim())
    _faults(api, "POST", latency_ms=20)
    start = time.perf_counter()
    api.get("/library")
    assert time.perf_counter() - start >= 0.02
