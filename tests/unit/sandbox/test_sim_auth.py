"""Simulator authentication: API key, password sessions, org context, OAuth 2, token expiry."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from backend.sandbox.photoshelter.seed import (
    DEMO_API_KEY,
    DEMO_EMAIL,
    DEMO_GUEST_EMAIL,
    DEMO_GUEST_PASSWORD,
    DEMO_OAUTH_CLIENT_ID,
    DEMO_OAUTH_CLIENT_SECRET,
    DEMO_ORG_ID,
    DEMO_PASSWORD,
    SEEDED_STATES,
)
from tests.unit.sandbox.conftest import V4, Api, error_of

PRIVATE = SEEDED_STATES["private"]
REDIRECT = "https://app.example.test/oauth/callback"


def test_missing_api_key_is_403_with_exact_body(anon: Api) -> None:
    response = anon.client.get(V4 + "/library")
    assert response.status_code == 403
    assert response.get_json() == {
        "errors": [{"id": "ApiKeyInvalidException", "status": "403", "title": "Missing or invalid API key"}]
    }


def test_unknown_api_key_is_403(anon: Api) -> None:
    response = anon.client.get(V4 + "/library", headers={"X-PS-Api-Key": "nope"})
    assert response.status_code == 403
    assert error_of(response)["id"] == "ApiKeyInvalidException"


def test_api_key_as_query_parameter(anon: Api) -> None:
    response = anon.client.get(V4 + "/library", query_string={"api_key": DEMO_API_KEY})
    assert response.status_code == 200


def test_authenticate_returns_top_level_token_and_orgs(anon: Api) -> None:
    response = anon.post(
        "/authenticate", {"email": DEMO_EMAIL.upper(), "password": DEMO_PASSWORD, "mode": "token"}
    )
    assert response.status_code == 200
    body = response.get_json()
    assert isinstance(body["token"], str) and len(body["token"]) >= 32
    assert body["org"] == [{"id": DEMO_ORG_ID, "name": "Northwind Outdoor Co.", "member": True}]
    assert body["two_factor"] is False
    assert body["meta"]["status"] == "OK"
    assert "rate_limit" in body["meta"]


def test_authenticate_wrong_password_is_401(anon: Api) -> None:
    response = anon.post("/authenticate", {"email": DEMO_EMAIL, "password": "wrong", "mode": "token"})
    assert response.status_code == 401
    error = error_of(response)
    assert error["id"] == "AuthenticationException"
    assert error["title"] == "Invalid email or password"


def test_authenticate_missing_fields_is_400(anon: Api) -> None:
    response = anon.post("/authenticate", {"email": DEMO_EMAIL})
    assert response.status_code == 400
    assert error_of(response)["id"] == "BadRequestException"


def test_authenticate_with_org_id_sets_org_context(anon: Api) -> None:
    body = anon.post(
        "/authenticate",
        {"email": DEMO_EMAIL, "password": DEMO_PASSWORD, "mode": "token", "org_id": DEMO_ORG_ID},
    ).get_json()
    anon.token = body["token"]
    assert anon.get(f"/galleries/{PRIVATE}").status_code == 200


def test_token_accepted_as_header_query_and_bearer(anon: Api) -> None:
    staff = anon.anonymous().login()
    token = staff.token
    assert anon.get(f"/galleries/{PRIVATE}", headers={"X-PS-Auth-Token": token}).status_code == 200
    assert anon.get(f"/galleries/{PRIVATE}", auth_token=token).status_code == 200
    assert anon.get(f"/galleries/{PRIVATE}", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_session_idle_expiry_gives_oauth_server_exception(make_sim, clock) -> None:
    api = Api(make_sim(token_idle_seconds=600)).login()
    clock.advance(seconds=590)
    assert api.get("/library").status_code == 200  # activity resets the idle timer
    clock.advance(seconds=590)
    assert api.get("/library").status_code == 200
    clock.advance(seconds=601)
    response = api.get("/library")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert error_of(response)["id"] == "OAuthServerException"
    # the token is gone for good, even after the clock stops
    assert api.get("/library").status_code == 401


def test_unknown_token_is_401_oauth(anon: Api) -> None:
    response = anon.get("/library", headers={"X-PS-Auth-Token": "not-a-token"})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert error_of(response)["id"] == "OAuthServerException"


def test_stale_token_does_not_block_login_or_logout(anon: Api) -> None:
    stale = {"X-PS-Auth-Token": "stale"}
    login = anon.post("/authenticate", {"email": DEMO_EMAIL, "password": DEMO_PASSWORD}, headers=stale)
    assert login.status_code == 200
    assert anon.post("/authenticate/logout", headers=stale).status_code == 200


def test_org_content_needs_org_authentication(anon: Api) -> None:
    session = anon.anonymous().login(org=False)
    refused = session.get(f"/galleries/{PRIVATE}")
    assert refused.status_code == 401
    assert error_of(refused)["id"] == "AcsPermissionException"
    public_total = anon.get("/galleries").get_json()["meta"]["paging"]["total"]
    assert session.get("/galleries").get_json()["meta"]["paging"]["total"] == public_total
    ok = session.post("/organization/authenticate", {"org_id": DEMO_ORG_ID})
    assert ok.status_code == 200
    assert ok.get_json()["meta"]["status"] == "OK"
    assert session.get(f"/galleries/{PRIVATE}").status_code == 200
    assert session.get("/galleries").get_json()["meta"]["paging"]["total"] > public_total


def test_org_authenticate_validation(anon: Api) -> None:
    assert anon.post("/organization/authenticate", {"org_id": DEMO_ORG_ID}).status_code == 401  # no session
    session = anon.anonymous().login(org=False)
    assert session.post("/organization/authenticate", {"org_id": "O0000bad"}).status_code == 400
    unknown = session.post("/organization/authenticate", {"org_id": "O0000zzzzzzzzzzz"})
    assert unknown.status_code == 404
    assert error_of(unknown)["id"] == "ResourceNotFoundException"
    guest = anon.anonymous().login(DEMO_GUEST_EMAIL, DEMO_GUEST_PASSWORD, org=False)
    refused = guest.post("/organization/authenticate", {"org_id": DEMO_ORG_ID})
    assert refused.status_code == 401
    assert error_of(refused)["id"] == "AcsPermissionException"


def test_logout_and_organization_logout(staff: Api) -> None:
    assert staff.post("/organization/logout").status_code == 200
    assert staff.get(f"/galleries/{PRIVATE}").status_code == 401
    assert staff.post("/authenticate/logout").get_json()["meta"]["status"] == "OK"
    assert error_of(staff.get("/library"))["id"] == "OAuthServerException"


def test_user_session_and_invites(staff: Api, anon: Api) -> None:
    session = staff.data("/user/session", include="organizations")
    assert session["attributes"]["email"] == DEMO_EMAIL
    assert session["attributes"]["org_id"] == DEMO_ORG_ID
    assert session["includes"]["organizations"]["data"][0]["id"] == DEMO_ORG_ID
    assert anon.get("/user/session").status_code == 401
    invites = staff.get("/user/invites").get_json()
    assert invites["data"] == []
    assert invites["meta"]["paging"]["total"] == 0


# --------------------------------------------------------------------------- OAuth


def _authorize(api: Api, client_id: str = DEMO_OAUTH_CLIENT_ID, redirect: str = REDIRECT) -> str:
    response = api.get(
        "/oauth/authorize", response_type="code", client_id=client_id, redirect_uri=redirect, state="xyz"
    )
    assert response.status_code == 302, response.get_json()
    location = urlsplit(response.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == redirect
    query = parse_qs(location.query)
    assert query["state"] == ["xyz"]
    return query["code"][0]


def _token(api: Api, **form: str) -> object:
    base = {
        "client_id": DEMO_OAUTH_CLIENT_ID,
        "client_secret": DEMO_OAUTH_CLIENT_SECRET,
        "redirect_uri": REDIRECT,
    }
    return api.post("/oauth/token", {**base, **form})


def test_oauth_code_flow_refresh_and_expiry(make_sim, clock) -> None:
    api = Api(make_sim(access_token_seconds=900))
    code = _authorize(api)
    first = _token(api, grant_type="authorization_code", code=code)
    assert first.status_code == 200
    tokens = first.get_json()
    assert tokens["token_type"] == "Bearer"
    assert tokens["expires_in"] == 900
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert api.get(f"/galleries/{PRIVATE}", headers=bearer).status_code == 200  # org staff via OAuth

    reused = _token(api, grant_type="authorization_code", code=code)
    assert reused.status_code == 400
    assert error_of(reused)["detail"] == "invalid_grant"

    clock.advance(seconds=901)
    expired = api.get("/library", headers=bearer)
    assert expired.status_code == 401
    assert expired.headers["WWW-Authenticate"] == "Bearer"
    assert error_of(expired)["id"] == "OAuthServerException"

    refreshed = _token(api, grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert refreshed.status_code == 200
    new = refreshed.get_json()
    assert new["access_token"] != tokens["access_token"]
    assert api.get("/library", headers={"Authorization": f"Bearer {new['access_token']}"}).status_code == 200
    rotated = _token(api, grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert rotated.status_code == 400


def test_oauth_token_rejects_bad_client_secret_and_grant_type(anon: Api) -> None:
    code = _authorize(anon)
    bad = _token(anon, grant_type="authorization_code", code=code, client_secret="wrong")
    assert bad.status_code == 400
    assert error_of(bad)["detail"] == "invalid_client"
    # the code was not consumed by the failed attempt
    assert _token(anon, grant_type="authorization_code", code=code).status_code == 200
    assert error_of(_token(anon, grant_type="password"))["detail"] == "unsupported_grant_type"


def test_oauth_register_then_authorize_checks_redirect(anon: Api) -> None:
    response = anon.post(
        "/oauth/register", {"name": "Helpdesk", "email": "ops@example.test", "callback_url": REDIRECT}
    )
    assert response.status_code == 200
    client = response.get_json()["data"]
    assert client["type"] == "oAuthClient"
    assert client["id"].startswith("OAC00") and len(client["id"]) == 16
    client_id = client["attributes"]["client_id"]
    assert (
        anon.get("/oauth/authorize", client_id=client_id, redirect_uri="https://evil.test/cb").status_code
        == 400
    )
    code = _authorize(anon, client_id=client_id)
    secret = client["attributes"]["client_secret"]
    ok = anon.post(
        "/oauth/token",
        {"grant_type": "authorization_code", "code": code, "client_id": client_id, "client_secret": secret},
    )
    assert ok.status_code == 200
    assert anon.get("/oauth/authorize", client_id="unknown", redirect_uri=REDIRECT).status_code == 400
    assert anon.post("/oauth/register", {"name": "x"}).status_code == 400
