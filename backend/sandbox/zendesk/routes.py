"""The REST endpoints: uploads, attachments, tickets, comments, tags, users, organizations, fields.

Every API route also answers with a `.json` suffix (Zendesk accepts both; its `next_page` and
`url` links use it). `g.actor` is the authenticated user (set by the app's guard).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Blueprint, Response, g, jsonify, request

from . import render
from .errors import bad_request, not_found
from .seed import TICKET_FIELDS
from .state import MAX_PER_PAGE, get_state

F = TypeVar("F", bound=Callable[..., Any])

bp = Blueprint("zendesk_api", __name__)

DEFAULT_PER_PAGE = 100


def api_route(rule: str, **options: Any) -> Callable[[F], F]:
    """Register `rule` and `rule + ".json"` for one view."""

    def decorator(view: F) -> F:
        bp.add_url_rule(rule, view_func=view, **options)
        bp.add_url_rule(f"{rule}.json", endpoint=f"{view.__name__}_json", view_func=view, **options)
        return view

    return decorator


def _json_body() -> Any:
    body = request.get_json(silent=True)
    if body is None:
        raise bad_request("The request body must be JSON", "InvalidJSON")
    return body


def _paging() -> tuple[int, int]:
    try:
        page = int(request.args.get("page", 1))
        per_page = int(request.args.get("per_page", DEFAULT_PER_PAGE))
    except ValueError:
        raise bad_request("page and per_page must be integers", "InvalidPaginationParameter") from None
    return max(page, 1), min(max(per_page, 1), MAX_PER_PAGE)


def _paginated(key: str, items: list[dict[str, Any]], **extra: Any) -> Response:
    """Offset pagination: `{key: [...], next_page, previous_page, count}` with absolute URLs."""
    page, per_page = _paging()
    start = (page - 1) * per_page
    chunk = items[start : start + per_page]
    path = request.path.removesuffix(".json") + ".json"
    params = {k: v for k, v in request.args.items() if k not in ("page", "per_page")}
    next_page = (
        render.api_url(path, **params, page=page + 1, per_page=per_page)
        if start + per_page < len(items)
        else None
    )
    previous_page = render.api_url(path, **params, page=page - 1, per_page=per_page) if page > 1 else None
    return jsonify(
        {key: chunk, "next_page": next_page, "previous_page": previous_page, "count": len(items), **extra}
    )


# ------------------------------------------------------------------------------------ uploads


@api_route("/api/v2/uploads", methods=["POST"])
def create_upload() -> tuple[Response, int]:
    """`POST /api/v2/uploads?filename=&token=`: raw bytes → 201 `{"upload": {...}}`."""
    st = get_state()
    data = request.get_data(cache=False)
    filename = request.args.get("filename", "")
    token = request.args.get("token") or None
    with st.lock:
        upload, attachment = st.add_upload(filename, data, request.content_type, token)
        return jsonify({"upload": render.upload_json(st, upload, attachment)}), 201


@api_route("/api/v2/uploads/<token>", methods=["DELETE"])
def delete_upload(token: str) -> tuple[str, int]:
    """`DELETE /api/v2/uploads/{token}` → 204."""
    get_state().delete_upload(token)
    return "", 204


@api_route("/api/v2/attachments/<int:attachment_id>", methods=["GET"])
def show_attachment(attachment_id: int) -> Response:
    """`GET /api/v2/attachments/{id}` → `{"attachment": {...}}`."""
    st = get_state()
    with st.lock:
        return jsonify({"attachment": render.attachment_json(st.attachment(attachment_id))})


@bp.route("/attachments/<int:attachment_id>/<path:filename>", methods=["GET"])
def attachment_content(attachment_id: int, filename: str) -> Response:
    """The bytes behind `content_url` (unauthenticated, like a signed Zendesk attachment URL)."""
    record = get_state().attachment(attachment_id)
    if filename != record.file_name:
        raise not_found()
    response = Response(record.data, mimetype=record.content_type)
    response.headers["Content-Disposition"] = "inline"
    response.headers["Cache-Control"] = "private, max-age=300"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


# ------------------------------------------------------------------------------------ tickets


@api_route("/api/v2/tickets", methods=["GET"])
def list_tickets() -> Response:
    """`GET /api/v2/tickets[?external_id=]` → `{"tickets", "count", "next_page", "previous_page"}`."""
    st = get_state()
    external_id = request.args.get("external_id")
    with st.lock:
        items = [render.ticket_json(st, t) for t in st.list_tickets(external_id)]
        return _paginated("tickets", items)


@api_route("/api/v2/tickets", methods=["POST"])
def create_ticket() -> tuple[Response, int, dict[str, str]]:
    """`POST /api/v2/tickets` → 201 + Location; `Idempotency-Key` → `x-idempotency-lookup`."""
    st = get_state()
    body = _json_body()
    key = request.headers.get("Idempotency-Key")
    payload = body.get("ticket") if isinstance(body, dict) else None
    with st.lock:
        ticket, audit, replayed = st.create_ticket(payload, g.actor, key, body)
        rendered = {"ticket": render.ticket_json(st, ticket), "audit": render.audit_json(st, audit)}
    headers = {"Location": render.api_url(f"/api/v2/tickets/{ticket.id}.json")}
    if key is not None:
        headers["x-idempotency-lookup"] = "hit" if replayed else "miss"
    return jsonify(rendered), 201, headers


@api_route("/api/v2/tickets/<int:ticket_id>", methods=["GET"])
def show_ticket(ticket_id: int) -> Response:
    """`GET /api/v2/tickets/{id}` → `{"ticket": {...}}`."""
    st = get_state()
    with st.lock:
        return jsonify({"ticket": render.ticket_json(st, st.ticket(ticket_id))})


@api_route("/api/v2/tickets/<int:ticket_id>", methods=["PUT"])
def update_ticket(ticket_id: int) -> Response:
    """`PUT /api/v2/tickets/{id}` → `{"ticket", "audit"}` (409 on a stale safe update)."""
    st = get_state()
    body = _json_body()
    payload = body.get("ticket") if isinstance(body, dict) else None
    with st.lock:
        ticket, audit = st.update_ticket(ticket_id, payload, g.actor)
        return jsonify({"ticket": render.ticket_json(st, ticket), "audit": render.audit_json(st, audit)})


@api_route("/api/v2/tickets/<int:ticket_id>/comments", methods=["GET"])
def list_comments(ticket_id: int) -> Response:
    """`GET …/comments[?page=&per_page=&sort_order=asc|desc]`, oldest first by default."""
    st = get_state()
    order = request.args.get("sort_order", "asc")
    if order not in ("asc", "desc"):
        raise bad_request("sort_order must be asc or desc")
    with st.lock:
        ticket = st.ticket(ticket_id)
        comments = list(reversed(ticket.comments)) if order == "desc" else list(ticket.comments)
        return _paginated("comments", [render.comment_json(st, c) for c in comments])


# --------------------------------------------------------------------------------------- tags

_TAG_MODES = {"POST": "set", "PUT": "add", "DELETE": "remove"}


@api_route("/api/v2/tickets/<int:ticket_id>/tags", methods=["GET", "POST", "PUT", "DELETE"])
def ticket_tags(ticket_id: int) -> Response:
    """GET list, POST set (replace), PUT add, DELETE remove → 200 `{"tags": [...]}`."""
    st = get_state()
    if request.method == "GET":
        with st.lock:
            return jsonify({"tags": list(st.ticket(ticket_id).tags)})
    tags = st.change_tags(ticket_id, _TAG_MODES[request.method], _json_body(), g.actor)
    return jsonify({"tags": tags})


# ------------------------------------------------------------------------- users, orgs, fields


@api_route("/api/v2/users/me", methods=["GET"])
def current_user() -> Response:
    """`GET /api/v2/users/me`: the authenticated user."""
    return jsonify({"user": render.user_json(g.actor)})


@api_route("/api/v2/users/<int:user_id>", methods=["GET"])
def show_user(user_id: int) -> Response:
    """`GET /api/v2/users/{id}` → `{"user": {...}}`."""
    st = get_state()
    with st.lock:
        return jsonify({"user": render.user_json(st.user(user_id))})


@api_route("/api/v2/organizations/<int:organization_id>", methods=["GET"])
def show_organization(organization_id: int) -> Response:
    """`GET /api/v2/organizations/{id}` → `{"organization": {...}}`."""
    st = get_state()
    with st.lock:
        return jsonify({"organization": render.organization_json(st.organization(organization_id))})


@api_route("/api/v2/ticket_fields", methods=["GET"])
def ticket_fields() -> Response:
    """`GET /api/v2/ticket_fields` → `{"ticket_fields": [...], "count", ...}`."""
    items = [
        {"url": render.api_url(f"/api/v2/ticket_fields/{f['id']}.json"), **f, "position": i}
        for i, f in enumerate(TICKET_FIELDS)
    ]
    return jsonify({"ticket_fields": items, "next_page": None, "previous_page": None, "count": len(items)})
