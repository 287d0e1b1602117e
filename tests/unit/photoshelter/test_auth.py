"""Session-token and OAuth authentication, re-authentication, thread safety, secret hygiene."""

from __future__ import annotations

import json
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests
import responses
from responses import matchers

from backend.photoshelter import (
    PhotoShelterAuthError,
    PhotoShelterClient,
    PhotoShelterPermissionError,
)
from backend.vendor_http import UpstreamAuthError, UpstreamPermissionError
from tests.unit.photoshelter.helpers import (
    ACCESS_TOKEN,
    API_KEY,
    BASE,
    BEARER_HEADERS,
    EMAIL,
    G1,
    ORG,
    PASSWORD,
    REFRESH_TOKEN,
    SESSION_HEADERS,
    SESSION_TOKEN,
    container,
    error_body,
    meta,
    url,
)

SESSION_TOKEN_2 = "session-token-SECRET-second"
NEW_ACCESS = "access-token-SECRET-new"
NEW_REFRESH = "refresh-token-SECRET-new"
CLIENT_ID = "oauth-client-id"
CLIENT_SECRET = "oauth-client-SECRET"
REDIRECT_URI = "https://app.example.test/oauth/callback"

EXPIRED = error_body("OAuthServerException", 401, "Unauthorized", "The access token is expired")


def session_client(sleeps: list[float], **kwargs: Any) -> PhotoShelterClient:
    return PhotoShelterClient(
        base_url=BASE,
        api_key=API_KEY,
        email=EMAIL,
        password=PASSWORD,
        org_id=ORG,
        sleep=sleeps.append,
        **kwargs,
    )


def oauth_client(sleeps: list[float], **kwargs: Any) -> PhotoShelterClient:
    return PhotoShelterClient(
        base_url=BASE,
        api_key=API_KEY,
        access_token=ACCESS_TOKEN,
        refresh_token=REFRESH_TOKEN,
        oauth_client_id=CLIENT_ID,
        oauth_client_secret=CLIENT_SECRET,
        oauth_redirect_uri=REDIRECT_URI,
        sleep=sleeps.append,
        **kwargs,
    )


def expect_login(token: str = SESSION_TOKEN, *, org: bool = True) -> tuple[Any, Any]:
    form = {"email": EMAIL, "password": PASSWORD, "mode": "token"}
    if org:
        form["org_id"] = ORG
    login = responses.post(
        url("/authenticate"),
        json={
            "token": token,
            "org": [{"id": ORG, "name": "Acme Brands", "member": True}],
            "two_factor": False,
            "meta": {"status": "OK"},
        },
        match=[matchers.urlencoded_params_matcher(form), matchers.header_matcher({"X-PS-Api-Key": API_KEY})],
    )
    org_auth = responses.post(
        url("/organization/authenticate"),
        json={"meta": {"status": "OK"}},
        match=[
            matchers.urlencoded_params_matcher({"org_id": ORG}),
            matchers.header_matcher({"X-PS-Api-Key": API_KEY, "X-PS-Auth-Token": token}),
        ],
    )
    return login, org_auth


def gallery_ok(headers: dict[str, str]) -> Any:
    return responses.get(
        url(f"/galleries/{G1}"),
        json={"data": container(G1, "Spring"), "meta": meta()},
        match=[matchers.header_matcher(headers)],
    )


def gallery_status(headers: dict[str, str], status: int, body: dict[str, Any]) -> Any:
    return responses.get(
        url(f"/galleries/{G1}"),
        status=status,
        json=body,
        headers={"WWW-Authenticate": "Bearer"},
        match=[matchers.header_matcher(headers)],
    )


# --- session token ------------------------------------------------------------------------------


@responses.activate
def test_session_login_and_org_auth_happen_once_and_token_is_reused(sleeps: list[float]) -> None:
    login, org_auth = expect_login()
    gallery = gallery_ok(SESSION_HEADERS)
    client = session_client(sleeps)
    assert len(responses.calls) == 0  # lazy
    client.gallery(G1)
    client.gallery(G1)
    assert login.call_count == 1
    assert org_auth.call_count == 1
    assert gallery.call_count == 2
    assert [c.request.path_url.split("?")[0] for c in responses.calls] == [
        "/psapi/v4.0/authenticate",
        "/psapi/v4.0/organization/authenticate",
        f"/psapi/v4.0/galleries/{G1}",
        f"/psapi/v4.0/galleries/{G1}",
    ]
    assert "Authorization" not in responses.calls[2].request.headers


@responses.activate
def test_session_login_without_org_skips_org_auth(sleeps: list[float]) -> None:
    login, org_auth = expect_login(org=False)
    gallery_ok(SESSION_HEADERS)
    client = PhotoShelterClient(base_url=BASE, api_key=API_KEY, email=EMAIL, password=PASSWORD)
    client.gallery(G1)
    assert login.call_count == 1
    assert org_auth.call_count == 0


@responses.activate
def test_login_accepts_data_token(sleeps: list[float]) -> None:
    responses.post(url("/authenticate"), json={"data": {"token": SESSION_TOKEN}, "meta": {"status": "OK"}})
    responses.post(url("/organization/authenticate"), json={"meta": {"status": "OK"}})
    gallery_ok(SESSION_HEADERS)
    assert session_client(sleeps).gallery(G1).id == G1


@responses.activate
def test_public_authenticate_for_readiness(sleeps: list[float]) -> None:
    login, org_auth = expect_login()
    client = session_client(sleeps)
    client.authenticate()
    client.authenticate()  # already holding a token
    assert login.call_count == 1
    client.authenticate(force=True)
    assert login.call_count == 2 and org_auth.call_count == 2


@responses.activate
def test_wrong_password_raises_auth_error_without_loop(sleeps: list[float]) -> None:
    login = responses.post(
        url("/authenticate"),
        status=401,
        json=error_body("AuthenticationException", 401, "Unauthorized", "Invalid email or password"),
    )
    with pytest.raises(PhotoShelterAuthError) as info:
        session_client(sleeps).gallery(G1)
    assert info.value.code == "AuthenticationException"
    assert info.value.message == "Invalid email or password"
    assert login.call_count == 1
    assert len(responses.calls) == 1


@responses.activate
def test_login_without_token_is_an_auth_error(sleeps: list[float]) -> None:
    responses.post(url("/authenticate"), json={"two_factor": True, "meta": {"status": "OK"}})
    with pytest.raises(PhotoShelterAuthError, match="without a session token"):
        session_client(sleeps).authenticate()


@responses.activate
def test_session_reauthenticates_once_on_expired_token(sleeps: list[float]) -> None:
    login1, org1 = expect_login(SESSION_TOKEN)
    login2, org2 = expect_login(SESSION_TOKEN_2)
    old = gallery_status(SESSION_HEADERS, 401, EXPIRED)
    new = gallery_ok({"X-PS-Api-Key": API_KEY, "X-PS-Auth-Token": SESSION_TOKEN_2})
    assert session_client(sleeps).gallery(G1).id == G1
    assert (login1.call_count, org1.call_count, login2.call_count, org2.call_count) == (1, 1, 1, 1)
    assert (old.call_count, new.call_count) == (1, 1)
    assert sleeps == []


@responses.activate
def test_session_second_expired_answer_raises(sleeps: list[float]) -> None:
    expect_login(SESSION_TOKEN)
    expect_login(SESSION_TOKEN_2)
    gallery_status(SESSION_HEADERS, 401, EXPIRED)
    second = gallery_status({"X-PS-Api-Key": API_KEY, "X-PS-Auth-Token": SESSION_TOKEN_2}, 401, EXPIRED)
    with pytest.raises(PhotoShelterAuthError) as info:
        session_client(sleeps).gallery(G1)
    assert isinstance(info.value, UpstreamAuthError)
    assert info.value.code == "OAuthServerException"
    assert second.call_count == 1
    logins = [c for c in responses.calls if c.request.path_url == "/psapi/v4.0/authenticate"]
    assert len(logins) == 2  # first login + exactly one re-login
    assert len(responses.calls) == 6


@responses.activate
def test_acs_permission_is_not_retried(sleeps: list[float]) -> None:
    login, _ = expect_login()
    denied = gallery_status(
        SESSION_HEADERS,
        401,
        error_body("AcsPermissionException", 401, "Invalid access to resource: Gallery", "Password required"),
    )
    with pytest.raises(PhotoShelterPermissionError) as info:
        session_client(sleeps).gallery(G1)
    assert isinstance(info.value, UpstreamPermissionError)
    assert info.value.message == "Password required"
    assert denied.call_count == 1
    assert login.call_count == 1


# --- OAuth bearer -------------------------------------------------------------------------------


@responses.activate
def test_oauth_bearer_header(client: PhotoShelterClient) -> None:
    gallery = gallery_ok(BEARER_HEADERS)
    client.gallery(G1)
    assert gallery.call_count == 1
    assert "X-PS-Auth-Token" not in responses.calls[0].request.headers


@responses.activate
def test_oauth_refreshes_once_and_repeats_the_call(sleeps: list[float]) -> None:
    seen: list[tuple[str, str | None]] = []
    token = responses.post(
        url("/oauth/token"),
        json={
            "access_token": NEW_ACCESS,
            "refresh_token": NEW_REFRESH,
            "expires_in": 3600,
            "token_type": "Bearer",
        },
        match=[
            matchers.urlencoded_params_matcher(
                {
                    "grant_type": "refresh_token",
                    "refresh_token": REFRESH_TOKEN,
                    "client_id": CLIENT_ID,
                    "client_secret": CLIENT_SECRET,
                    "redirect_uri": REDIRECT_URI,
                }
            ),
            matchers.header_matcher({"X-PS-Api-Key": API_KEY}),
        ],
    )
    old = gallery_status(BEARER_HEADERS, 401, EXPIRED)
    new = gallery_ok({"X-PS-Api-Key": API_KEY, "Authorization": f"Bearer {NEW_ACCESS}"})
    client = oauth_client(sleeps, on_tokens=lambda a, r: seen.append((a, r)))
    assert client.gallery(G1).id == G1
    assert (token.call_count, old.call_count, new.call_count) == (1, 1, 1)
    assert seen == [(NEW_ACCESS, NEW_REFRESH)]


@responses.activate
def test_oauth_second_failure_raises(sleeps: list[float]) -> None:
    responses.post(url("/oauth/token"), json={"access_token": NEW_ACCESS, "token_type": "Bearer"})
    gallery_status(BEARER_HEADERS, 401, EXPIRED)
    gallery_status({"X-PS-Api-Key": API_KEY, "Authorization": f"Bearer {NEW_ACCESS}"}, 401, EXPIRED)
    with pytest.raises(PhotoShelterAuthError):
        oauth_client(sleeps).gallery(G1)
    assert len(responses.calls) == 3


@responses.activate
def test_oauth_without_refresh_token_raises_immediately(client: PhotoShelterClient) -> None:
    gallery_status(BEARER_HEADERS, 401, EXPIRED)
    with pytest.raises(PhotoShelterAuthError) as info:
        client.gallery(G1)
    assert info.value.code == "OAuthServerException"
    assert len(responses.calls) == 1


@responses.activate
def test_oauth_refresh_refused_is_an_auth_error(sleeps: list[float]) -> None:
    responses.post(
        url("/oauth/token"),
        status=400,
        json=error_body("BadRequestException", 400, "Bad Request", "invalid_grant"),
    )
    gallery_status(BEARER_HEADERS, 401, EXPIRED)
    with pytest.raises(PhotoShelterAuthError, match="invalid_grant"):
        oauth_client(sleeps).gallery(G1)
    assert len(responses.calls) == 2  # the refresh POST is never retried


@responses.activate
def test_oauth_with_only_refresh_token_refreshes_lazily(sleeps: list[float]) -> None:
    responses.post(url("/oauth/token"), json={"access_token": NEW_ACCESS, "refresh_token": NEW_REFRESH})
    gallery_ok({"X-PS-Api-Key": API_KEY, "Authorization": f"Bearer {NEW_ACCESS}"})
    client = PhotoShelterClient(
        base_url=BASE, api_key=API_KEY, refresh_token=REFRESH_TOKEN, sleep=sleeps.append
    )
    assert client.gallery(G1).id == G1


@responses.activate
def test_api_key_only_client_sends_no_auth_header(sleeps: list[float]) -> None:
    gallery_ok({"X-PS-Api-Key": API_KEY})
    client = PhotoShelterClient(base_url=BASE, api_key=API_KEY, sleep=sleeps.append)
    client.gallery(G1)
    headers = responses.calls[0].request.headers
    assert "Authorization" not in headers and "X-PS-Auth-Token" not in headers


# --- threads ------------------------------------------------------------------------------------


@responses.activate
def test_threads_share_one_login(sleeps: list[float]) -> None:
    def slow_login(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        time.sleep(0.05)  # widen the race window
        return 200, {"Content-Type": "application/json"}, json.dumps({"token": SESSION_TOKEN})

    responses.add_callback(responses.POST, url("/authenticate"), callback=slow_login)
    responses.post(url("/organization/authenticate"), json={"meta": {"status": "OK"}})
    gallery_ok(SESSION_HEADERS)
    client = session_client(sleeps)
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: client.gallery(G1).id, range(8)))
    assert results == [G1] * 8
    logins = [c for c in responses.calls if c.request.path_url == "/psapi/v4.0/authenticate"]
    assert len(logins) == 1


@responses.activate
def test_concurrent_expiry_triggers_a_single_relogin(sleeps: list[float]) -> None:
    workers = 4
    barrier = threading.Barrier(workers, timeout=5)
    tokens = iter([SESSION_TOKEN, SESSION_TOKEN_2, "unexpected-third"])

    def login(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        return 200, {"Content-Type": "application/json"}, json.dumps({"token": next(tokens)})

    def expired(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        barrier.wait()  # every thread holds the old token when it learns it expired
        return 401, {"Content-Type": "application/json"}, '{"errors": [{"id": "OAuthServerException"}]}'

    responses.add_callback(responses.POST, url("/authenticate"), callback=login)
    responses.post(url("/organization/authenticate"), json={"meta": {"status": "OK"}})
    responses.add_callback(
        responses.GET,
        url(f"/galleries/{G1}"),
        callback=expired,
        match=[matchers.header_matcher(SESSION_HEADERS)],
    )
    gallery_ok({"X-PS-Api-Key": API_KEY, "X-PS-Auth-Token": SESSION_TOKEN_2})
    client = session_client(sleeps)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(lambda _: client.gallery(G1).id, range(workers)))
    assert results == [G1] * workers
    logins = [c for c in responses.calls if c.request.path_url == "/psapi/v4.0/authenticate"]
    assert len(logins) == 2  # initial + one shared re-login


# --- secrets ------------------------------------------------------------------------------------


@responses.activate
def test_secrets_never_reach_logs_or_errors(sleeps: list[float], caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    expect_login(SESSION_TOKEN)
    expect_login(SESSION_TOKEN_2)
    gallery_status(SESSION_HEADERS, 401, EXPIRED)
    gallery_ok({"X-PS-Api-Key": API_KEY, "X-PS-Auth-Token": SESSION_TOKEN_2})
    responses.get(
        url(f"/galleries/{G1}/children"),
        status=401,
        json=error_body(
            "AcsPermissionException", 401, "Invalid access to resource: Gallery", "Password required"
        ),
    )
    client = session_client(sleeps)
    client.gallery(G1)
    with pytest.raises(PhotoShelterPermissionError) as info:
        client.gallery_children(G1, password="GALLERY-PASS-SECRET", token="GALLERY-TOKEN-SECRET")

    oauth = oauth_client(sleeps)
    responses.post(url("/oauth/token"), json={"access_token": NEW_ACCESS, "refresh_token": NEW_REFRESH})
    responses.get(url("/library"), status=401, json=EXPIRED, match=[matchers.header_matcher(BEARER_HEADERS)])
    responses.get(url("/library"), json={"data": [], "meta": meta(total=0)})
    oauth.library()

    text = caplog.text + str(info.value) + repr(info.value) + repr(client)
    assert "photoshelter.request" in caplog.text
    assert "photoshelter.reauthenticate" in caplog.text
    for secret in (
        API_KEY,
        PASSWORD,
        SESSION_TOKEN,
        SESSION_TOKEN_2,
        ACCESS_TOKEN,
        REFRESH_TOKEN,
        NEW_ACCESS,
        NEW_REFRESH,
        CLIENT_SECRET,
        "GALLERY-PASS-SECRET",
        "GALLERY-TOKEN-SECRET",
        "SECRET",
    ):
        assert secret not in text


@responses.activate
def test_ping_is_an_uncached_authenticated_call():
    responses.add(responses.POST, f"{BASE}/authenticate", json={"token": "tok"})
    responses.add(responses.GET, f"{BASE}/user/session", json={"data": {"id": "U0000aaaaaaaaaaa"}})
    client = PhotoShelterClient(base_url=BASE, api_key="k" * 32, email="a@b.c", password="pw", cache=None)
    client.ping()
    client.ping()
    assert [c.request.url.split("?")[0] for c in responses.calls].count(f"{BASE}/user/session") == 2
