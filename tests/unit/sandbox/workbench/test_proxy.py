"""The workbench's stand-in for Zendesk's request proxy: substitution, JWT, whitelist, forwarding."""

from __future__ import annotations

import json
import time
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
import requests
import responses

from backend.auth import JwtPolicy, verify_agent_token
from backend.sandbox.workbench import proxy
from backend.sandbox.workbench.proxy import Installation, ProxyError
from backend.store.tenants import PhotoShelterCredentials, Tenant, TenantDirectory, ZendeskCredentials

from .conftest import BACKEND, INSTALLATION, MANIFEST, SECRET

NOW = 1_700_000_000
API_TOKEN = INSTALLATION["api_token"]
JWT_OPTION = {
    "algorithm": "HS256",
    "secret_key": "{{setting.shared_secret}}",
    "expiry": 3600,
    "claims": {"iss": "demo.zendesk.com", "aud": "photoshelter-for-zendesk", "sub": "9001", "ticket_id": 101},
}


@pytest.fixture
def inst() -> Installation:
    return Installation.from_manifest(INSTALLATION, MANIFEST, frozenset({"shared_secret"}))


def sidebar_options(**overrides):
    options = {
        "url": f"{BACKEND}/api/v1/search?q=trail",
        "type": "GET",
        "secure": True,
        "headers": {"Authorization": "Bearer {{jwt.token}}"},
        "jwt": JWT_OPTION,
    }
    options.update(overrides)
    return options


def token_of(outgoing: proxy.OutgoingRequest) -> str:
    scheme, _, token = outgoing.headers["Authorization"].partition(" ")
    assert scheme == "Bearer"
    return token


# ------------------------------------------------------------------ installation


def test_installation_reads_secure_names_scopes_and_whitelist(inst):
    assert inst.secure == {"shared_secret", "api_token"}
    assert inst.scopes == {"shared_secret": {"jwt_secret_key"}}
    assert inst.domain_whitelist == ("photoshelter-zendesk.example.com", "*.northwind.example")
    public = inst.public_settings()
    assert "shared_secret" not in public and "api_token" not in public
    assert public["backend_url"] == BACKEND


def test_secure_default_applies_without_a_manifest():
    inst = Installation.from_manifest(INSTALLATION, None, frozenset({"shared_secret"}))
    assert inst.secure == {"shared_secret"}
    assert "shared_secret" not in inst.public_settings()


# ------------------------------------------------------------------ substitution


def test_no_substitution_and_no_token_without_secure(inst):
    options = sidebar_options(
        secure=False, url=f"{BACKEND}/api/v1/search?days={{{{setting.expiring_soon_days}}}}"
    )
    outgoing = proxy.prepare(options, inst, now=NOW)
    assert "{{setting.expiring_soon_days}}" in outgoing.url
    assert outgoing.headers["Authorization"] == "Bearer {{jwt.token}}"


def test_non_secure_settings_are_substituted_everywhere_when_secure(inst):
    options = {
        "url": "{{setting.backend_url}}/api/v1/thing?days={{setting.expiring_soon_days}}",
        "type": "POST",
        "secure": True,
        "contentType": "application/json",
        "headers": {"X-Share-Days": "{{setting.default_share_days}}"},
        "data": json.dumps({"approved_only": "{{setting.approved_only}}"}),
    }
    outgoing = proxy.prepare(options, inst, now=NOW)
    assert outgoing.url == f"{BACKEND}/api/v1/thing?days=5"
    assert outgoing.headers["X-Share-Days"] == "14"
    assert json.loads(outgoing.body) == {"approved_only": "true"}
    assert outgoing.headers["Content-Type"] == "application/json"


def test_unscoped_secure_setting_is_substituted_in_a_header(inst):
    options = {"url": f"{BACKEND}/x", "secure": True, "headers": {"X-Api-Key": "{{setting.api_token}}"}}
    assert proxy.prepare(options, inst).headers["X-Api-Key"] == API_TOKEN


def test_secure_setting_outside_its_scopes_is_refused(inst):
    options = {"url": f"{BACKEND}/x", "secure": True, "headers": {"X-Key": "{{setting.shared_secret}}"}}
    with pytest.raises(ProxyError) as exc:
        proxy.prepare(options, inst)
    assert exc.value.status == 403 and exc.value.code == "setting_out_of_scope"
    assert SECRET not in exc.value.message


def test_unknown_setting_is_refused(inst):
    with pytest.raises(ProxyError) as exc:
        proxy.prepare({"url": f"{BACKEND}/x?{{{{setting.nope}}}}", "secure": True}, inst)
    assert exc.value.code == "unknown_setting"


# ------------------------------------------------------------------ JWT


def test_jwt_is_minted_with_the_secret_claims_iat_and_exp(inst):
    outgoing = proxy.prepare(sidebar_options(), inst, now=NOW)
    token = token_of(outgoing)
    assert jwt.get_unverified_header(token)["alg"] == "HS256"
    claims = jwt.decode(
        token,
        SECRET,
        algorithms=["HS256"],
        audience="photoshelter-for-zendesk",
        options={"verify_exp": False},
    )
    assert claims == {**JWT_OPTION["claims"], "iat": NOW, "exp": NOW + 3600}
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(
            token,
            "some-other-secret-0123456789abcdefghij",
            algorithms=["HS256"],
            options={"verify_aud": False},
        )


def test_minted_token_passes_the_backends_verifier(inst):
    token = token_of(proxy.prepare(sidebar_options(), inst))
    creds = PhotoShelterCredentials(base_url="https://ps.example/psapi/v4.0", api_key="k" * 32)
    zendesk = ZendeskCredentials(base_url="https://demo.zendesk.com", oauth_token="z" * 40)
    tenants = TenantDirectory([Tenant("demo", SECRET, creds, zendesk)])
    identity = verify_agent_token(token, tenants, JwtPolicy(audience="photoshelter-for-zendesk"))
    assert identity.asserted_agent_id == "9001" and identity.ticket_id == 101


def test_jwt_token_substituted_in_url_too(inst):
    outgoing = proxy.prepare(sidebar_options(url=f"{BACKEND}/x?token={{{{jwt.token}}}}"), inst, now=NOW)
    token = parse_qs(urlsplit(outgoing.url).query)["token"][0]
    assert jwt.decode(
        token,
        SECRET,
        algorithms=["HS256"],
        audience="photoshelter-for-zendesk",
        options={"verify_exp": False},
    )


def test_jwt_claims_take_non_secure_settings(inst):
    option = {**JWT_OPTION, "claims": {"iss": "demo.zendesk.com", "days": "{{setting.default_share_days}}"}}
    token = token_of(proxy.prepare(sidebar_options(jwt=option), inst, now=NOW))
    assert jwt.decode(token, SECRET, algorithms=["HS256"], options={"verify_exp": False})["days"] == "14"


def test_without_expiry_there_is_no_exp(inst):
    option = {k: v for k, v in JWT_OPTION.items() if k != "expiry"}
    token = token_of(proxy.prepare(sidebar_options(jwt=option), inst, now=NOW))
    claims = jwt.decode(token, SECRET, algorithms=["HS256"], audience="photoshelter-for-zendesk")
    assert claims["iat"] == NOW and "exp" not in claims


@pytest.mark.parametrize(
    ("secret_key", "code"),
    [
        ("{{setting.backend_url}}", "setting_not_secure"),
        ("a-literal-key-the-browser-would-see-0123456789", "jwt_secret_not_secure"),
        (None, "jwt_secret_not_secure"),
    ],
)
def test_jwt_secret_key_must_be_a_secure_setting(inst, secret_key, code):
    with pytest.raises(ProxyError) as exc:
        proxy.prepare(sidebar_options(jwt={**JWT_OPTION, "secret_key": secret_key}), inst)
    assert exc.value.code == code


def test_jwt_algorithm_and_expiry_are_checked(inst):
    with pytest.raises(ProxyError, match="not supported"):
        proxy.prepare(sidebar_options(jwt={**JWT_OPTION, "algorithm": "none"}), inst)
    with pytest.raises(ProxyError, match="positive"):
        proxy.prepare(sidebar_options(jwt={**JWT_OPTION, "expiry": 0}), inst)


# ------------------------------------------------------------------ checks


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("http://127.0.0.1:5000/api", True),
        ("http://localhost:8080/api", True),
        ("https://photoshelter-zendesk.example.com/api", True),
        ("https://eu.northwind.example/api", True),
        ("https://northwind.example.evil.test/api", False),
        ("https://evil.example.org/api", False),
    ],
)
def test_domain_whitelist(inst, url, allowed):
    options = {"url": url, "secure": True}
    if allowed:
        assert proxy.prepare(options, inst).url == url
    else:
        with pytest.raises(ProxyError) as exc:
            proxy.prepare(options, inst)
        assert exc.value.status == 403 and exc.value.code == "domain_not_whitelisted"


def test_whitelist_entries_may_be_urls_or_use_settings():
    manifest = {"domainWhitelist": ["https://api.partner.example:8443/", "{{setting.region}}.ps.example"]}
    inst = Installation.from_manifest({"region": "eu"}, manifest, frozenset())
    assert proxy.prepare({"url": "https://api.partner.example/x"}, inst)
    assert proxy.prepare({"url": "https://eu.ps.example/x"}, inst)


def test_header_names_with_underscores_are_refused(inst):
    with pytest.raises(ProxyError) as exc:
        proxy.prepare({"url": f"{BACKEND}/x", "headers": {"client_id": "abc"}}, inst)
    assert exc.value.status == 400 and exc.value.code == "invalid_header_name"


def test_relative_zendesk_urls_need_a_zendesk_api(inst):
    envelope = proxy.handle({"url": "/api/v2/users/me.json"}, inst)
    assert envelope["status"] == 501 and envelope["proxyError"] == "not_simulated"


def test_string_options_mean_a_url(inst):
    assert proxy.handle("/api/v2/tickets.json", inst)["status"] == 501


ZD = proxy.ZendeskApi("http://127.0.0.1:5000/sandbox/zendesk", "Basic YWdlbnQ6c2VjcmV0")


def test_relative_zendesk_urls_go_to_the_zendesk_api_as_the_agent(inst):
    outgoing = proxy.prepare(
        {"url": "/api/v2/tickets/101.json", "headers": {"Authorization": "Bearer app-token", "X-Ok": "1"}},
        inst,
        zendesk=ZD,
    )
    assert outgoing.method == "GET"
    assert outgoing.url == "http://127.0.0.1:5000/sandbox/zendesk/api/v2/tickets/101.json"
    assert outgoing.headers["Authorization"] == ZD.authorization  # the app's own one is dropped
    assert outgoing.headers["X-Ok"] == "1" and outgoing.body is None


def test_relative_zendesk_requests_encode_data_without_substitution(inst):
    outgoing = proxy.prepare(
        {
            "url": "/api/v2/tickets/101/tags.json",
            "type": "PUT",
            "contentType": "application/json",
            "secure": True,
            "data": {"tags": ["{{setting.approved_only}}"]},
        },
        inst,
        zendesk=ZD,
    )
    assert outgoing.method == "PUT" and json.loads(outgoing.body) == {"tags": ["{{setting.approved_only}}"]}
    assert outgoing.headers["Content-Type"] == "application/json"
    query = proxy.prepare({"url": "/api/v2/tickets.json", "data": {"page": 2}}, inst, zendesk=ZD)
    assert query.url.endswith("/api/v2/tickets.json?page=2")


@pytest.mark.parametrize("url", ["/sandbox/photoshelter/_faults", "/api/v1/search", "/api/v2/../../_faults"])
def test_only_zendesk_api_paths_may_be_relative(inst, url):
    with pytest.raises(ProxyError) as exc:
        proxy.prepare({"url": url}, inst, zendesk=ZD)
    assert exc.value.status == 400 and exc.value.code == "bad_url"


def test_relative_zendesk_requests_still_refuse_underscore_headers(inst):
    with pytest.raises(ProxyError) as exc:
        proxy.prepare({"url": "/api/v2/users/me.json", "headers": {"x_y": "1"}}, inst, zendesk=ZD)
    assert exc.value.code == "invalid_header_name"


def test_zendesk_credentials_never_show_in_the_repr():
    assert ZD.authorization not in repr(ZD)


def test_error_messages_never_carry_secure_values(inst):
    # An unscoped secure setting pasted into the host makes the whitelist error mention the host.
    envelope = proxy.handle({"url": "https://{{setting.api_token}}.evil.test/x", "secure": True}, inst)
    assert envelope["status"] == 403
    assert API_TOKEN not in json.dumps(envelope)
    assert "[secure setting]" in envelope["body"]


# ------------------------------------------------------------------ data encoding


def test_get_data_becomes_the_query_string(inst):
    outgoing = proxy.prepare({"url": f"{BACKEND}/x?a=1", "data": {"q": "trail run", "page": 2}}, inst)
    assert parse_qs(urlsplit(outgoing.url).query) == {"a": ["1"], "q": ["trail run"], "page": ["2"]}
    assert outgoing.body is None


def test_post_object_data_is_form_encoded_by_default(inst):
    outgoing = proxy.prepare({"url": f"{BACKEND}/x", "type": "POST", "data": {"a": "b c"}}, inst)
    assert outgoing.body == "a=b+c"
    assert outgoing.headers["Content-Type"].startswith("application/x-www-form-urlencoded")


def test_post_object_data_with_json_content_type_is_json(inst):
    options = {
        "url": f"{BACKEND}/x",
        "type": "POST",
        "contentType": "application/json",
        "data": {"a": [1, 2]},
    }
    assert json.loads(proxy.prepare(options, inst).body) == {"a": [1, 2]}


def test_timeout_is_milliseconds_capped_at_30s(inst):
    assert proxy.prepare({"url": f"{BACKEND}/x", "timeout": 1500}, inst).timeout == 1.5
    assert proxy.prepare({"url": f"{BACKEND}/x", "timeout": 120000}, inst).timeout == 30.0
    assert proxy.prepare({"url": f"{BACKEND}/x"}, inst).timeout == 30.0


# ------------------------------------------------------------------ forwarding


@responses.activate
def test_forwarding_returns_status_body_and_selected_headers(inst):
    responses.get(
        f"{BACKEND}/api/v1/search",
        json={"error": {"code": "rate_limited"}},
        status=429,
        headers={"Retry-After": "7", "X-Request-Id": "req-1", "Set-Cookie": "s=1"},
    )
    envelope = proxy.handle(sidebar_options(), inst)
    assert envelope["status"] == 429
    assert envelope["statusText"] == "Too Many Requests"
    assert envelope["headers"]["retry-after"] == "7"
    assert envelope["headers"]["content-type"] == "application/json"
    assert envelope["headers"]["x-request-id"] == "req-1"
    assert "set-cookie" not in {k.lower() for k in envelope["headers"]}
    assert json.loads(envelope["body"]) == {"error": {"code": "rate_limited"}}
    sent = responses.calls[0].request
    assert (
        jwt.decode(
            sent.headers["Authorization"].split()[1],
            SECRET,
            algorithms=["HS256"],
            audience="photoshelter-for-zendesk",
        )["sub"]
        == "9001"
    )


@responses.activate
def test_forwarding_sends_method_and_body(inst):
    responses.post(f"{BACKEND}/api/v1/troubleshoot", json={"ok": True}, status=200)
    options = sidebar_options(
        url=f"{BACKEND}/api/v1/troubleshoot",
        type="POST",
        contentType="application/json",
        data=json.dumps({"url": "https://x"}),
    )
    envelope = proxy.handle(options, inst)
    assert envelope["status"] == 200 and json.loads(envelope["body"]) == {"ok": True}
    sent = responses.calls[0].request
    assert sent.method == "POST" and json.loads(sent.body) == {"url": "https://x"}
    assert sent.headers["Content-Type"] == "application/json"


@responses.activate
def test_unreachable_and_slow_targets(inst):
    responses.get(f"{BACKEND}/down", body=requests.ConnectionError("refused"))
    responses.get(f"{BACKEND}/slow", body=requests.ReadTimeout("slow"))
    assert proxy.handle({"url": f"{BACKEND}/down"}, inst)["status"] == 502
    assert proxy.handle({"url": f"{BACKEND}/slow"}, inst)["status"] == 504


@responses.activate
def test_redirects_are_not_followed(inst):
    responses.get(f"{BACKEND}/moved", status=302, headers={"Location": "https://elsewhere.test/"})
    envelope = proxy.handle({"url": f"{BACKEND}/moved"}, inst)
    assert envelope["status"] == 302 and envelope["headers"]["location"] == "https://elsewhere.test/"
    assert len(responses.calls) == 1


def test_now_defaults_to_the_clock(inst):
    token = token_of(proxy.prepare(sidebar_options(), inst))
    claims = jwt.decode(token, SECRET, algorithms=["HS256"], audience="photoshelter-for-zendesk")
    assert abs(claims["iat"] - time.time()) < 5 and claims["exp"] - claims["iat"] == 3600
