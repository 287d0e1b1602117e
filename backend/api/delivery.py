"""Agent endpoints that act on a ticket: attach, share, revoke, retry, list deliveries, context."""

from __future__ import annotations

import re

from flask import current_app, jsonify, make_response, request
from flask_smorest import Blueprint, abort
from marshmallow import RAISE

from backend.api.deps import caller, delivery_service, ticket_context
from backend.api.schemas import (
    AttachArgs,
    DeliveryListSchema,
    DeliverySchema,
    ShareArgs,
    ShareSchema,
    TicketContextSchema,
)
from backend.api.security import agent_required, current_agent
from backend.services.idempotency import run_once

bp = Blueprint("delivery", __name__, url_prefix="/api/v1", description="Deliveries onto tickets")

SECURITY = [{"bearerAuth": []}]
IDEMPOTENCY_HEADER = "Idempotency-Key"
PUBLIC_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
MAX_TICKET_ID = 2**53


def _check_ticket(ticket_id: int) -> None:
    if not 0 < ticket_id < MAX_TICKET_ID:
        abort(400, messages={"path": {"ticket_id": ["Not a ticket id."]}})
    claimed = current_agent().ticket_id
    if claimed is not None and claimed != ticket_id:
        abort(403, message="This token was issued for another ticket.")


def _check_public_id(name: str, value: str) -> None:
    if not PUBLIC_ID.match(value):
        abort(400, messages={"path": {name: ["Not a valid id."]}})


def _idempotency_key() -> str | None:
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is not None and not 1 <= len(key) <= 255:
        abort(400, messages={"headers": {IDEMPOTENCY_HEADER: ["Must be 1-255 characters."]}})
    return key


def _once(scope: str, payload: dict, work):
    """Run `work` at most once per Idempotency-Key; replays get the stored response."""
    status, body, replayed = run_once(
        current_app.extensions["psz"].sessions, caller().tenant_id, scope, _idempotency_key(), payload, work
    )
    # Already serialised (it may be a stored replay), so it bypasses the response schema.
    response = make_response(jsonify(body), status)
    if replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response


@bp.route("/tickets/<int:ticket_id>/attachments", methods=["POST"])
@agent_required
@bp.doc(
    security=SECURITY, parameters=[{"in": "header", "name": IDEMPOTENCY_HEADER, "schema": {"type": "string"}}]
)
@bp.arguments(AttachArgs, location="json", unknown=RAISE)
@bp.response(201, DeliverySchema)
def attach(args: dict, ticket_id: int):
    """Attach images to the ticket as real Zendesk attachments in one comment (internal by default)."""
    _check_ticket(ticket_id)

    def work():
        item = delivery_service().attach(
            caller(), ticket_id, args["media_ids"], public=args["public"], note=args["note"]
        )
        return 201, DeliverySchema().dump(item)

    return _once(f"POST /tickets/{ticket_id}/attachments", args, work)


@bp.route("/tickets/<int:ticket_id>/shares", methods=["POST"])
@agent_required
@bp.doc(
    security=SECURITY, parameters=[{"in": "header", "name": IDEMPOTENCY_HEADER, "schema": {"type": "string"}}]
)
@bp.arguments(ShareArgs, location="json", unknown=RAISE)
@bp.response(201, DeliverySchema)
def share(args: dict, ticket_id: int):
    """Share a gallery or a selection as an expiring tracked link."""
    _check_ticket(ticket_id)

    def work():
        item = delivery_service().share(
            caller(),
            ticket_id,
            gallery_id=args.get("gallery_id"),
            media_ids=args.get("media_ids") or [],
            recipients=args["recipients"],
            expires_in_days=args.get("expires_in_days"),
            allow_download=args["allow_download"],
            max_downloads=args.get("max_downloads"),
            note=args["note"],
            post_note=args["post_as"] == "note",
        )
        return 201, DeliverySchema().dump(item)

    return _once(f"POST /tickets/{ticket_id}/shares", args, work)


@bp.route("/shares/<share_id>", methods=["DELETE"])
@agent_required
@bp.doc(security=SECURITY)
@bp.response(200, ShareSchema)
def revoke(share_id: str):
    """Revoke a share: the PhotoShelter grant is removed and the link stops working."""
    _check_public_id("share_id", share_id)
    return delivery_service().revoke(caller(), share_id)


@bp.route("/deliveries/<delivery_id>/retry", methods=["POST"])
@agent_required
@bp.doc(security=SECURITY)
@bp.response(200, DeliverySchema)
def retry(delivery_id: str):
    """Run a failed delivery again."""
    _check_public_id("delivery_id", delivery_id)
    return delivery_service().retry(caller(), delivery_id)


@bp.route("/tickets/<int:ticket_id>/deliveries")
@agent_required
@bp.doc(security=SECURITY)
@bp.response(200, DeliveryListSchema)
def deliveries(ticket_id: int):
    """What was delivered on this ticket, newest first, with each link's live status."""
    _check_ticket(ticket_id)
    return {"items": delivery_service().list_for_ticket(caller(), ticket_id)}


@bp.route("/tickets/<int:ticket_id>/context")
@agent_required
@bp.doc(security=SECURITY)
@bp.response(200, TicketContextSchema)
def context(ticket_id: int):
    """Requester, organization, past deliveries and the live status of links in the conversation."""
    _check_ticket(ticket_id)
    return ticket_context().build(caller(), ticket_id)
