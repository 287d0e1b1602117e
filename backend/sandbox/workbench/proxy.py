"""Zendesk's request proxy as the workbench plays it: pure functions, no Flask.

The sidebar's `client.request(options)` arrives here (via host.js → `POST /workbench/proxy`). Like
Zendesk's proxy (reference/zendesk-zaf.md §3.3-§3.4), this:

- substitutes `{{setting.<name>}}` only when `secure: true`; a secure setting is substituted only
  where its manifest `scopes` allow (`url`, `header`, `body`, `jwt_secret_key`, `jwt_claim`; no
  scopes = anywhere), and `jwt.secret_key` accepts secure settings only;
- mints `{{jwt.token}}` from the `jwt` option: HS256 (or HS384/HS512) over the given `claims` plus
  `iat = now` and `exp = now + expiry`, signed with the substituted `secret_key`;
- rejects header names containing `_`, and targets outside the manifest's `domainWhitelist`
  (localhost and 127.0.0.1 are always allowed; stricter than Zendesk, which proxies non-secure
  requests anywhere — the workbench is not an open proxy);
- forwards with `requests` and returns an envelope `{status, statusText, headers, body}`.

Relative `/api/v2/...` URLs (Zendesk's own API) go to the account's REST API (`ZendeskApi`: the
Zendesk simulator in demo mode) as the logged-in agent: the proxy adds the agent's credentials
(any `Authorization` the app sent is dropped), substitutes nothing, and answers the same envelope;
without a configured API they answer 501. Other relative URLs are refused (400).
Errors produced here never contain secure setting values (see `Installation.redact`) nor the
agent's credentials.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import urlencode, urlsplit

import jwt
import requests

SCOPES = frozenset({"header", "body", "url", "jwt_secret_key", "jwt_claim"})
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})
JWT_ALGORITHMS = frozenset({"HS256", "HS384", "HS512"})
FORWARDED_HEADERS = ("content-type", "retry-after", "location", "x-request-id")
MAX_TIMEOUT_SECONDS = 30.0
DEFAULT_FORM_TYPE = "application/x-www-form-urlencoded; charset=UTF-8"
USER_AGENT = "Zendesk-Apps-Proxy (photoshelter-for-zendesk workbench)"

_SETTING = re.compile(r"\{\{\s*setting\.([A-Za-z0-9_.-]+)\s*\}\}")
_JWT_TOKEN = re.compile(r"\{\{\s*jwt\.token\s*\}\}")


class ProxyError(Exception):
    """The proxy refuses or cannot complete a request; becomes an error envelope."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Installation:
    """One app installation as the proxy sees it: setting values, which are secure, and the manifest rules."""

    settings: Mapping[str, Any]
    secure: frozenset[str] = frozenset()
    scopes: Mapping[str, frozenset[str]] = field(default_factory=dict)
    domain_whitelist: tuple[str, ...] = ()

    @classmethod
    def from_manifest(
        cls, settings: Mapping[str, Any], manifest: Mapping[str, Any] | None, secure_default: frozenset[str]
    ) -> Installation:
        """Secure names and scopes from the manifest's `parameters` (+ `secure_default`); its whitelist."""
        manifest = manifest or {}
        secure = set(secure_default)
        scopes: dict[str, frozenset[str]] = {}
        for param in manifest.get("parameters") or []:
            if not isinstance(param, Mapping) or not isinstance(param.get("name"), str):
                continue
            if param.get("secure") is True:
                secure.add(param["name"])
                if isinstance(param.get("scopes"), list) and param["scopes"]:
                    scopes[param["name"]] = frozenset(str(s) for s in param["scopes"])
        whitelist = tuple(str(d) for d in manifest.get("domainWhitelist") or [] if isinstance(d, str))
        return cls(dict(settings), frozenset(secure), scopes, whitelist)

    def public_settings(self) -> dict[str, Any]:
        """The settings `client.metadata()` may show: everything but secure ones."""
        return {k: v for k, v in self.settings.items() if k not in self.secure}

    def secret_values(self) -> list[str]:
        """The text of every non-empty secure setting (longest first, for redaction)."""
        values = {
            setting_text(self.settings[k]) for k in self.secure if self.settings.get(k) not in (None, "")
        }
        return sorted(values, key=len, reverse=True)

    def redact(self, text: str) -> str:
        """`text` with every secure setting value replaced by `[secure setting]`."""
        for value in self.secret_values():
            text = text.replace(value, "[secure setting]")
        return text


@dataclass(frozen=True)
class ZendeskApi:
    """The account's REST API for relative `/api/v2/...` requests: root URL and agent credentials."""

    base_url: str
    authorization: str = field(repr=False)


@dataclass(frozen=True)
class OutgoingRequest:
    """The request the proxy will send, after substitution and checks."""

    method: str
    url: str
    headers: dict[str, str]
    body: str | None
    timeout: float


def setting_text(value: Any) -> str:
    """How a setting value reads inside a string (JSON spelling for booleans and null)."""
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    return str(value)


def substitute_settings(
    text: str, installation: Installation, scope: str, *, secure_only: bool = False
) -> str:
    """Replace `{{setting.x}}` in `text` for a secure request, honouring secure settings' scopes."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in installation.settings:
            raise ProxyError(400, "unknown_setting", f"No installation setting named '{name}'")
        if name in installation.secure:
            allowed = installation.scopes.get(name)
            if allowed is not None and scope not in allowed:
                scopes = ", ".join(sorted(allowed))
                message = f"Secure setting '{name}' may not be used in {scope} (scopes: {scopes})"
                raise ProxyError(403, "setting_out_of_scope", message)
        elif secure_only:
            raise ProxyError(
                400, "setting_not_secure", f"Setting '{name}' is not secure; {scope} needs a secure one"
            )
        return setting_text(installation.settings[name])

    return _SETTING.sub(replace, text)


def substitute_deep(value: Any, fn: Any) -> Any:
    """Apply `fn` to every string inside a JSON-like value."""
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, list):
        return [substitute_deep(v, fn) for v in value]
    if isinstance(value, Mapping):
        return {k: substitute_deep(v, fn) for k, v in value.items()}
    return value


def mint_token(jwt_option: Mapping[str, Any], installation: Installation, now: float | None = None) -> str:
    """Mint `{{jwt.token}}`: sign the given claims (+ iat/exp) with the secure `secret_key`."""
    algorithm = str(jwt_option.get("algorithm") or "HS256").upper()
    if algorithm not in JWT_ALGORITHMS:
        raise ProxyError(400, "jwt_algorithm", f"jwt.algorithm {algorithm} is not supported by the workbench")
    template = jwt_option.get("secret_key")
    if not isinstance(template, str) or not _SETTING.search(template):
        raise ProxyError(
            400, "jwt_secret_not_secure", "jwt.secret_key must be a {{setting.<secure setting>}}"
        )
    secret = substitute_settings(template, installation, "jwt_secret_key", secure_only=True)
    if not secret:
        raise ProxyError(400, "jwt_secret_empty", "jwt.secret_key resolves to an empty value")
    claims = jwt_option.get("claims") or {}
    if not isinstance(claims, Mapping):
        raise ProxyError(400, "jwt_claims", "jwt.claims must be an object")
    payload = substitute_deep(dict(claims), lambda s: substitute_settings(s, installation, "jwt_claim"))
    issued = int(time.time() if now is None else now)
    payload["iat"] = issued
    expiry = jwt_option.get("expiry")
    if expiry is not None:
        if isinstance(expiry, bool) or not isinstance(expiry, int | float | str):
            raise ProxyError(400, "jwt_expiry", "jwt.expiry must be a number of seconds")
        try:
            seconds = int(expiry)
        except ValueError:
            raise ProxyError(400, "jwt_expiry", "jwt.expiry must be a number of seconds") from None
        if seconds <= 0:
            raise ProxyError(400, "jwt_expiry", "jwt.expiry must be positive")
        payload["exp"] = issued + seconds
    return jwt.encode(payload, secret, algorithm=algorithm)


def host_allowed(host: str, installation: Installation) -> bool:
    """Localhost, or a host matching a `domainWhitelist` entry (`*.example.com` matches subdomains)."""
    host = host.lower().rstrip(".")
    if host in LOCAL_HOSTS:
        return True
    for entry in installation.domain_whitelist:
        pattern = _substitute_public(entry, installation).strip().lower()
        if "://" in pattern:
            pattern = urlsplit(pattern).hostname or ""
        pattern = pattern.split("/")[0].split(":")[0].rstrip(".")
        if not pattern:
            continue
        if pattern.startswith("*."):
            if host.endswith(pattern[1:]):
                return True
        elif host == pattern:
            return True
    return False


def _substitute_public(text: str, installation: Installation) -> str:
    """Non-secure `{{setting.x}}` in a whitelist entry (secure ones are never used there)."""
    return _SETTING.sub(
        lambda m: (
            setting_text(installation.settings[m.group(1)])
            if m.group(1) in installation.settings and m.group(1) not in installation.secure
            else ""
        ),
        text,
    )


def _method_and_headers(options: Mapping[str, Any]) -> tuple[str, Mapping[str, Any]]:
    method = str(options.get("type") or options.get("method") or "GET").upper()
    if method not in METHODS:
        raise ProxyError(400, "bad_method", f"Unsupported method {method}")
    raw_headers = options.get("headers") or {}
    if not isinstance(raw_headers, Mapping):
        raise ProxyError(400, "bad_headers", "headers must be an object")
    for name in raw_headers:
        if "_" in str(name):
            raise ProxyError(400, "invalid_header_name", f"Header names may not contain underscores: {name}")
    return method, raw_headers


def prepare_zendesk(url: str, options: Mapping[str, Any], zendesk: ZendeskApi | None) -> OutgoingRequest:
    """A relative `/api/v2/...` request, sent to the account's REST API as the logged-in agent."""
    if zendesk is None:
        raise ProxyError(
            501,
            "not_simulated",
            "Zendesk API requests (relative /api/v2/... URLs) are not simulated: no Zendesk API configured",
        )
    path = urlsplit(url).path
    if not path.startswith("/api/v2/") or "/../" in path or path.endswith("/.."):
        raise ProxyError(400, "bad_url", "Relative URLs must be Zendesk API paths (/api/v2/...)")
    method, raw_headers = _method_and_headers(options)
    headers = {str(k): setting_text(v) for k, v in raw_headers.items() if str(k).lower() != "authorization"}
    target, body, content_type = _encode_data(options, method, zendesk.base_url.rstrip("/") + url, str)
    if content_type and not any(k.lower() == "content-type" for k in headers):
        headers["Content-Type"] = content_type
    headers["Authorization"] = zendesk.authorization
    headers.setdefault("User-Agent", USER_AGENT)
    return OutgoingRequest(method, target, headers, body, _timeout(options.get("timeout")))


def prepare(
    options: Mapping[str, Any],
    installation: Installation,
    now: float | None = None,
    zendesk: ZendeskApi | None = None,
) -> OutgoingRequest:
    """Turn ZAF `request()` options into the request to send, or raise ProxyError."""
    url = options.get("url")
    if not isinstance(url, str) or not url.strip():
        raise ProxyError(400, "missing_url", "The request has no url")
    url = url.strip()
    if url.startswith("/") and not url.startswith("//"):
        return prepare_zendesk(url, options, zendesk)
    method, raw_headers = _method_and_headers(options)
    secure = options.get("secure") is True
    token: str | None = None
    if secure and isinstance(options.get("jwt"), Mapping):
        token = mint_token(options["jwt"], installation, now)

    def fill(text: str, scope: str) -> str:
        if not secure:
            return text
        text = substitute_settings(text, installation, scope)
        return _JWT_TOKEN.sub(token, text) if token is not None else text

    url = fill(url, "url")
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ProxyError(400, "bad_url", "The url must be an absolute http(s) URL")
    if not host_allowed(parts.hostname, installation):
        raise ProxyError(
            403, "domain_not_whitelisted", f"{parts.hostname} is not in the manifest's domainWhitelist"
        )
    headers = {str(k): fill(setting_text(v), "header") for k, v in raw_headers.items()}
    url, body, content_type = _encode_data(options, method, url, lambda s: fill(s, "body"))
    if content_type and not any(k.lower() == "content-type" for k in headers):
        headers["Content-Type"] = content_type
    headers.setdefault("User-Agent", USER_AGENT)
    return OutgoingRequest(method, url, headers, body, _timeout(options.get("timeout")))


def _encode_data(
    options: Mapping[str, Any], method: str, url: str, fill: Any
) -> tuple[str, str | None, str | None]:
    """jQuery-style `data`: a query string for GET/HEAD/DELETE, else the body (form-encoded or as given)."""
    data = options.get("data")
    if data is None or data == "":
        return url, None, None
    content_type = options.get("contentType")
    content_type = DEFAULT_FORM_TYPE if content_type is None or content_type is True else content_type
    content_type = content_type if isinstance(content_type, str) else None
    as_json = bool(content_type and "json" in content_type.lower()) and method not in {
        "GET",
        "HEAD",
        "DELETE",
    }
    if isinstance(data, str):
        encoded = fill(data)
    elif isinstance(data, Mapping | list) and as_json:
        encoded = json.dumps(substitute_deep(data, fill))
    elif isinstance(data, Mapping):
        filled = substitute_deep(data, fill)
        encoded = urlencode(
            [(k, v if isinstance(v, list) else setting_text(v)) for k, v in filled.items()], doseq=True
        )
    else:
        raise ProxyError(400, "bad_data", "data must be a string or an object")
    if method in {"GET", "HEAD", "DELETE"}:
        return url + ("&" if "?" in url else "?") + encoded, None, None
    return url, encoded, content_type


def _timeout(value: Any) -> float:
    """`timeout` is in milliseconds (jQuery); capped at 30 s."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        return min(value / 1000.0, MAX_TIMEOUT_SECONDS)
    return MAX_TIMEOUT_SECONDS


def forward(outgoing: OutgoingRequest, session: requests.Session | None = None) -> dict[str, Any]:
    """Send the request and wrap the answer as an envelope; network trouble becomes 502/504."""
    sender = session or requests
    try:
        response = sender.request(
            outgoing.method,
            outgoing.url,
            headers=outgoing.headers,
            data=outgoing.body.encode() if outgoing.body is not None else None,
            timeout=outgoing.timeout,
            allow_redirects=False,
        )
    except requests.Timeout:
        raise ProxyError(504, "upstream_timeout", "The target did not answer in time") from None
    except requests.RequestException:
        raise ProxyError(502, "upstream_unreachable", "The target could not be reached") from None
    headers = {name: response.headers[name] for name in FORWARDED_HEADERS if name in response.headers}
    return {
        "status": response.status_code,
        "statusText": response.reason or _phrase(response.status_code),
        "headers": headers,
        "body": response.text,
    }


def error_envelope(error: ProxyError, installation: Installation) -> dict[str, Any]:
    """The envelope of a request the proxy itself refused or could not complete."""
    message = installation.redact(error.message)
    return {
        "status": error.status,
        "statusText": _phrase(error.status),
        "headers": {"content-type": "application/json"},
        "body": json.dumps({"error": {"code": error.code, "message": message}}),
        "proxyError": error.code,
    }


def handle(
    options: Any,
    installation: Installation,
    session: requests.Session | None = None,
    now: float | None = None,
    zendesk: ZendeskApi | None = None,
) -> dict[str, Any]:
    """Proxy one `client.request()`: prepare, forward, always answer with an envelope."""
    if isinstance(options, str):
        options = {"url": options}
    if not isinstance(options, Mapping):
        return error_envelope(
            ProxyError(400, "bad_options", "Request options must be an object"), installation
        )
    try:
        return forward(prepare(options, installation, now, zendesk), session)
    except ProxyError as error:
        return error_envelope(error, installation)


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "error"
