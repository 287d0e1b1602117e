"""PhotoShelter API v4.0 simulator: an independent Flask app standing in for www.photoshelter.com.

Mount it with werkzeug's `DispatcherMiddleware` at `/sandbox/photoshelter`; its own routes are
`/psapi/v4.0/…` (see docs/photoshelter-contract.md), `/img-get2/…` (CDN images), `/site/…` (public
gallery pages) and `/_faults` (fault injection). Links it returns use `request.host_url` +
`request.script_root`, so they point back at wherever it is mounted. Nothing in this package
imports the product (`backend.*` outside this folder): the product only talks to it over HTTP.

Config keys (all optional):
    now                   callable → aware UTC datetime (seeding, token/grant expiry); default real clock
    rate_per_second       token-bucket refill per API key (50)
    burst                 token-bucket size (200)
    max_per_page          largest accepted `per_page` (500)
    token_idle_seconds    idle expiry of `/authenticate` session tokens (7200)
    access_token_seconds  OAuth `expires_in` (3600)
    seed                  int for `random.Random` (library details and fault rates)
    api_keys              accepted API keys (default: `seed.DEMO_API_KEY` only)
    monotonic             callable → seconds, clock of the rate bucket (default `time.monotonic`)
    sleep                 callable(seconds) used for injected latency/timeouts (default `time.sleep`)

`meta.rate_limit` = `{"limit": burst, "current": tokens used in the bucket, "expires": seconds until
the bucket is full again}`.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, g, request
from werkzeug.exceptions import HTTPException

from . import faults, routes_auth, routes_library, routes_media, routes_write, site
from .access import Viewer
from .envelopes import ApiError, oauth_error
from .state import EXTENSION_KEY, SimulatorState, get_state

__all__ = ["create_simulator"]

_API_PATH = "/psapi/"


def create_simulator(config: dict[str, Any] | None = None) -> Flask:
    """Build one simulator app with its own seeded library and state (see the module docstring)."""
    app = Flask(__name__)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions[EXTENSION_KEY] = SimulatorState(config)
    blueprints = (
        routes_auth.bp,
        routes_library.bp,
        routes_write.bp,
        routes_media.bp,
        routes_media.cdn,
        faults.bp,
        site.bp,
    )
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    app.before_request(_guard)
    app.register_error_handler(ApiError, _api_error)
    app.register_error_handler(HTTPException, _http_error)
    return app


def _api_error(error: ApiError) -> Response:
    return error.to_response()


def _http_error(error: HTTPException) -> Response | HTTPException:
    """Routing errors (404/405…) in the `errors[]` shape under `/psapi` and for `/_faults`."""
    if not (request.path.startswith(_API_PATH) or request.path.startswith("/_faults")):
        return error
    code = error.code or 500
    response = ApiError(code, detail=error.description).to_response()
    if code == 405:
        allow = error.get_response().headers.get("Allow")
        if allow:
            response.headers["Allow"] = allow
    return response


def _guard() -> Response | None:
    """Faults, API key, rate bucket and session resolution for every `/psapi` request."""
    if not request.path.startswith(_API_PATH):
        return None
    st = get_state()
    early = faults.apply_faults(st)
    if early is not None:
        return early
    key = request.headers.get("X-PS-Api-Key") or request.args.get("api_key")
    if not key or key not in st.api_keys:
        raise ApiError(403)
    with st.lock:
        allowed, retry_after, snapshot = st.bucket.take(key)
    if not allowed:
        raise ApiError(429, detail="rate limit exceeded", headers={"Retry-After": str(retry_after)})
    g.rate_limit = snapshot
    _resolve_viewer(st)
    return None


def _request_token() -> str | None:
    token = request.headers.get("X-PS-Auth-Token") or request.args.get("auth_token")
    if token:
        return token.strip()
    authorization = request.headers.get("Authorization", "")
    if authorization[:7].lower() == "bearer ":
        return authorization[7:].strip() or None
    return None


def _resolve_viewer(st: SimulatorState) -> None:
    token = _request_token()
    session = None
    if token:
        g.session_token = token
        session, problem = st.resolve_session(token)
        if session is None:
            view = current_app.view_functions.get(request.endpoint or "")
            if not getattr(view, "token_optional", False):
                expired = problem == "expired"
                raise oauth_error("Access token has expired" if expired else "Access token is invalid")
    g.session = session
    user = st.library.user(session.user_id) if session is not None else None
    org_id = session.org_id if session is not None else None
    is_staff = user is not None and org_id == st.library.org.id and org_id in user.org_ids
    g.viewer = Viewer(
        user=user,
        org_id=org_id,
        is_staff=is_staff,
        password=request.args.get("password"),
        token=request.args.get("token"),
    )
