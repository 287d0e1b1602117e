"""Zendesk REST API v2 simulator: an independent Flask app standing in for `<sub>.zendesk.com`.

Mount it with werkzeug's `DispatcherMiddleware` at `/sandbox/zendesk` (demo mode only); its own
routes are `/api/v2/…`, `/attachments/{id}/{file_name}` (the bytes behind `content_url`) and
`/_faults`. URLs it returns use `request.host_url` + `request.script_root`, so they point back at
wherever it is mounted. Nothing here imports the product (`backend.*` outside `backend/sandbox/`):
the product only talks to it over HTTP, with the same `ZendeskClient` it uses in production.

The account is seeded from the workbench's tickets 101-105 (`seed.py`). Every API request is made
as the demo agent (`DEMO_EMAIL`), authenticated by HTTP Basic `{DEMO_EMAIL}/token:{DEMO_API_TOKEN}`
or `Authorization: Bearer {DEMO_OAUTH_TOKEN}`; anything else gets 401
`{"error": "Couldn't authenticate you"}`. Each `/api/v2` response carries `X-Rate-Limit` and
`X-Rate-Limit-Remaining`; past the per-minute budget the answer is 429 with `Retry-After`.

The workbench (the local stand-in for Zendesk's agent interface) marks its own reads and writes
with `X-Workbench-Agent-UI: 1`: those still authenticate, but skip the fault switches and the
per-minute budget (the agent interface is not API traffic), so a page polling the ticket never
consumes a `fail_next` meant for the backend. Requests the sidebar app makes are never marked.

Config keys (all optional):
    now                      callable → aware datetime (seed times, upload/idempotency expiry, rate window)
    sleep                    callable(seconds) for injected latency/timeouts (default `time.sleep`)
    email, api_token         the accepted API-token credentials (default DEMO_EMAIL, DEMO_API_TOKEN)
    oauth_token              the accepted bearer token (default DEMO_OAUTH_TOKEN)
    rate_limit_per_minute    account budget per minute (700)
    upload_ttl_seconds       lifetime of unused upload tokens (3600)
    idempotency_ttl_seconds  how long an Idempotency-Key is remembered (7200)
    max_upload_bytes         largest accepted upload (50 MiB; larger → 413)
    gallery_links            {state: URL} for the seed's `{{gallery:<state>}}` placeholders
    links_base_url           base URL of fallback gallery links (default: the request's host)
    seed                     int seed of the fault RNG (1)
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, g, request
from werkzeug.exceptions import HTTPException

from . import faults, routes
from .errors import ZendeskApiError, unauthorized
from .seed import DEMO_AGENT_ID, DEMO_API_TOKEN, DEMO_EMAIL, DEMO_OAUTH_TOKEN
from .state import EXTENSION_KEY, ZendeskState, get_state

__all__ = [
    "AGENT_UI_HEADER",
    "DEMO_AGENT_ID",
    "DEMO_API_TOKEN",
    "DEMO_EMAIL",
    "DEMO_OAUTH_TOKEN",
    "ZendeskState",
    "create_zendesk_simulator",
    "simulator_state",
]

_API_PATH = "/api/v2/"
#: Header (value "1") of the workbench's agent-interface calls (see the module docstring).
AGENT_UI_HEADER = "X-Workbench-Agent-UI"


def create_zendesk_simulator(config: dict[str, Any] | None = None) -> Flask:
    """Build one simulator app with its own seeded account and state (see the module docstring)."""
    app = Flask(__name__)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions[EXTENSION_KEY] = ZendeskState(config)
    app.register_blueprint(routes.bp)
    app.register_blueprint(faults.bp)
    app.before_request(_guard)
    app.after_request(_rate_headers)
    app.register_error_handler(ZendeskApiError, _api_error)
    app.register_error_handler(HTTPException, _http_error)
    return app


def simulator_state(app: Flask) -> ZendeskState:
    """The state of a simulator app (for in-process inspection by tests and the workbench)."""
    return app.extensions[EXTENSION_KEY]


def _is_api() -> bool:
    return request.path.startswith(_API_PATH)


def _api_error(error: ZendeskApiError) -> Response:
    return error.to_response()


def _http_error(error: HTTPException) -> Response | HTTPException:
    """Routing errors in Zendesk's shape under `/api/v2` and `/_faults`."""
    if not (_is_api() or request.path.startswith(("/_faults", "/attachments/"))):
        return error
    code = error.code or 500
    if code == 404:
        return ZendeskApiError(404, "InvalidEndpoint", "Not found").to_response()
    response = ZendeskApiError(code, description=error.description).to_response()
    if code == 405:
        allow = error.get_response().headers.get("Allow")
        if allow:
            response.headers["Allow"] = allow
    return response


def _guard() -> Response | None:
    """Faults, the per-minute budget and authentication for every `/api/v2` request."""
    if not _is_api():
        return None
    st = get_state()
    if request.headers.get(AGENT_UI_HEADER) != "1":
        early = faults.apply_faults(st)
        if early is not None:
            return early
        decision = st.charge_request()
        if not decision.allowed:
            raise ZendeskApiError(429, headers={"Retry-After": str(decision.retry_after)})
    actor = st.authenticate(request.headers.get("Authorization"))
    if actor is None:
        raise unauthorized()
    g.actor = actor
    return None


def _rate_headers(response: Response) -> Response:
    if _is_api():
        limit, remaining = get_state().rate_snapshot()
        response.headers["X-Rate-Limit"] = str(limit)
        response.headers["X-Rate-Limit-Remaining"] = str(remaining)
    return response
