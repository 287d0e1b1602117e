"""Authentication routes: password sessions, organisation context, user session, OAuth 2."""

from __future__ import annotations

import random
import secrets
from urllib.parse import urlencode, urlsplit

from flask import Blueprint, Response, g, redirect, request

from . import ids
from .common import state, token_optional
from .envelopes import (
    API_PREFIX,
    ApiError,
    auth_required,
    bad_request,
    iso,
    listing,
    not_found,
    plain,
    success,
)
from .models import OAuthClient, User
from .seed import DEMO_USER_ID

bp = Blueprint("ps_auth", __name__, url_prefix=API_PREFIX)


def _field(name: str) -> str | None:
    """A parameter from the form body, a JSON body, or the query string (in that order)."""
    if name in request.form:
        return request.form.get(name)
    body = request.get_json(silent=True) if request.is_json else None
    if isinstance(body, dict) and body.get(name) is not None:
        return str(body[name])
    return request.args.get(name)


def _org_list(user: User) -> list[dict[str, object]]:
    library = state().library
    return [
        {"id": library.org.id, "name": library.org.name, "member": True}
        for org_id in user.org_ids
        if org_id == library.org.id
    ]


def _org_for(user: User, org_id: str) -> str:
    """Validate an org id for a user: 400 malformed, 404 unknown, 401 not a member."""
    if not ids.is_id(org_id, ids.ORGANIZATION):
        raise bad_request(f"Malformed organization id: {org_id!r}")
    if org_id != state().library.org.id:
        raise not_found("Organization")
    if org_id not in user.org_ids:
        title = "Invalid access to resource: Organization"
        raise ApiError(401, "AcsPermissionException", title, "not a member")
    return org_id


@bp.route("/authenticate", methods=["GET", "POST"])
@token_optional
def authenticate() -> Response:
    """Password login (`mode=token`) → top-level `token`, `org`, `two_factor`."""
    email, password = _field("email"), _field("password")
    mode = _field("mode") or "token"
    if not email or not password:
        raise bad_request("email and password are required")
    if mode != "token":
        raise bad_request("only mode=token is supported")
    st = state()
    user = st.library.user_by_email(email)
    if user is None or not secrets.compare_digest(user.password, password):
        raise ApiError(401, "AuthenticationException", "Invalid email or password")
    org_id = _field("org_id")
    session = st.create_session(user.id, "session", _org_for(user, org_id) if org_id else None)
    body = {"token": session.token, "org": _org_list(user), "two_factor": False, "meta": {"status": "OK"}}
    return plain(body)


@bp.route("/authenticate/logout", methods=["GET", "POST"])
@token_optional
def logout() -> Response:
    """End the session (idempotent)."""
    if g.get("session_token"):
        state().end_session(g.session_token)
    return plain({"meta": {"status": "OK"}})


@bp.route("/organization/authenticate", methods=["POST"])
def organization_authenticate() -> Response:
    """Enter an organisation context (one per session)."""
    session = g.get("session")
    if session is None:
        raise auth_required()
    org_id = _field("org_id")
    if not org_id:
        raise bad_request("org_id is required")
    st = state()
    user = st.library.user(session.user_id)
    if user is None:
        raise auth_required()
    org_id = _org_for(user, org_id)
    with st.lock:
        session.org_id = org_id
    return plain({"meta": {"status": "OK"}})


@bp.route("/organization/logout", methods=["GET", "POST"])
@token_optional
def organization_logout() -> Response:
    """Leave the organisation context (idempotent)."""
    session = g.get("session")
    if session is not None:
        with state().lock:
            session.org_id = None
    return plain({"meta": {"status": "OK"}})


@bp.route("/user/session", methods=["GET"])
def user_session() -> Response:
    """The current session; `include=organizations` adds the user's organisations."""
    session = g.get("session")
    if session is None:
        raise auth_required()
    st = state()
    user = st.library.user(session.user_id)
    if user is None:
        raise auth_required()
    resource: dict[str, object] = {
        "id": user.id,
        "type": "session",
        "attributes": {
            "user_id": user.id,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "org_id": session.org_id,
            "auth_type": "oauth" if session.kind == "oauth" else "token",
            "tz": "UTC",
            "created_at": iso(session.created_at),
            "expires_at": iso(session.expires_at),
        },
    }
    if "organizations" in (request.args.get("include") or "").split(","):
        resource["includes"] = {
            "organizations": {
                "data": [
                    {"id": o["id"], "type": "organization", "attributes": {"name": o["name"], "member": True}}
                    for o in _org_list(user)
                ]
            }
        }
    return success(resource)


@bp.route("/user/invites", methods=["GET"])
def user_invites() -> Response:
    """Containers shared with the current user: always empty in the simulator."""
    return listing([], state().max_per_page, lambda item: item)


# --------------------------------------------------------------------------- OAuth 2


def _valid_redirect(uri: str | None) -> bool:
    if not uri:
        return False
    parts = urlsplit(uri)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


@bp.route("/oauth/register", methods=["POST"])
@token_optional
def oauth_register() -> Response:
    """Register a client → `{id: OAC00…, type: oAuthClient, attributes: {client_id, client_secret, …}}`."""
    name = _field("name") or _field("application_name")
    redirect_uri = _field("callback_url") or _field("redirect_uri")
    if not name:
        raise bad_request("name is required")
    if not _valid_redirect(redirect_uri):
        raise bad_request("callback_url (or redirect_uri) must be an absolute http(s) URL")
    st = state()
    with st.lock:
        taken = {c.id for c in st.oauth_clients.values()}
    client_pk = ids.new_id(random.Random(secrets.randbits(64)), ids.OAUTH_CLIENT, taken)
    client = st.register_client(name, redirect_uri, client_pk)
    attributes = {
        "client_id": client.client_id,
        "client_secret": client.client_secret,
        "name": name,
        "description": _field("description") or "",
        "email": _field("email") or "",
        "application_name": _field("application_name") or name,
        "callback_url": redirect_uri,
        "redirect_uri": redirect_uri,
        "scopes": _field("scopes") or "read:all",
    }
    return success({"id": client.id, "type": "oAuthClient", "attributes": attributes})


def _client(client_id: str | None) -> OAuthClient | None:
    return state().oauth_clients.get(client_id or "")


@bp.route("/oauth/authorize", methods=["GET"])
@token_optional
def oauth_authorize() -> Response:
    """Auto-approve as the session's user (or the demo staff user) → 302 `redirect_uri?code=&state=`."""
    if request.args.get("response_type", "code") != "code":
        raise bad_request("unsupported_response_type")
    client = _client(request.args.get("client_id"))
    if client is None:
        raise bad_request("invalid_client")
    redirect_uri = request.args.get("redirect_uri") or client.redirect_uri
    if not _valid_redirect(redirect_uri) or (client.redirect_uri and redirect_uri != client.redirect_uri):
        raise bad_request("invalid redirect_uri")
    session = g.get("session")
    user_id = session.user_id if session is not None else DEMO_USER_ID
    code = state().issue_code(client.client_id, user_id, request.args.get("redirect_uri"))
    query = {"code": code.code}
    if request.args.get("state") is not None:
        query["state"] = request.args["state"]
    separator = "&" if "?" in redirect_uri else "?"
    return redirect(f"{redirect_uri}{separator}{urlencode(query)}", code=302)


@bp.route("/oauth/token", methods=["POST"])
@token_optional
def oauth_token() -> Response:
    """`authorization_code` (single use) and `refresh_token` (rotating) grants → top-level tokens."""
    client_id, client_secret = _field("client_id"), _field("client_secret")
    if request.authorization is not None and request.authorization.type == "basic":
        client_id = client_id or request.authorization.username
        client_secret = client_secret or request.authorization.password
    client = _client(client_id)
    if client is None or not secrets.compare_digest(client.client_secret, client_secret or ""):
        raise ApiError(400, "BadRequestException", "Client authentication failed", "invalid_client")
    st = state()
    grant_type = _field("grant_type")
    if grant_type == "authorization_code":
        code = _field("code")
        record = st.redeem_code(code or "", client.client_id, _field("redirect_uri"))
        if record is None:
            raise ApiError(400, "BadRequestException", "Invalid authorization code", "invalid_grant")
        user_id = record.user_id
    elif grant_type == "refresh_token":
        refresh = st.redeem_refresh_token(_field("refresh_token") or "", client.client_id)
        if refresh is None:
            raise ApiError(400, "BadRequestException", "Invalid refresh token", "invalid_grant")
        user_id = refresh.user_id
    else:
        raise ApiError(400, "BadRequestException", "Unsupported grant type", "unsupported_grant_type")
    user = st.library.user(user_id)
    org_id = user.org_ids[0] if user is not None and user.org_ids else None
    session = st.create_session(user_id, "oauth", org_id, client.client_id)
    refresh_token = st.issue_refresh_token(client.client_id, user_id)
    return plain(
        {
            "access_token": session.token,
            "refresh_token": refresh_token.token,
            "expires_in": st.access_token_seconds,
            "token_type": "Bearer",
        }
    )
