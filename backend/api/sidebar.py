"""Agent read endpoints used by the ticket sidebar: search, gallery/collection/media detail, troubleshoot."""

from __future__ import annotations

import re

from flask_smorest import Blueprint, abort
from marshmallow import RAISE

from backend.api.deps import catalog
from backend.api.schemas import (
    ContainerDetailSchema,
    MediaDetailSchema,
    PageArgs,
    SearchArgs,
    SearchResultSchema,
    TroubleshootArgs,
    TroubleshootResultSchema,
)
from backend.api.security import agent_required
from backend.services.troubleshoot import Troubleshooter

bp = Blueprint("sidebar", __name__, url_prefix="/api/v1", description="Agent endpoints of the ticket sidebar")

ID_SUFFIX = r"[A-Za-z0-9._]{11}"
GALLERY_ID = re.compile(rf"^G0000{ID_SUFFIX}$")
COLLECTION_ID = re.compile(rf"^C0000{ID_SUFFIX}$")
MEDIA_ID = re.compile(rf"^I0000{ID_SUFFIX}$")
SECURITY = [{"bearerAuth": []}]


def _check_id(name: str, value: str, pattern: re.Pattern, example: str) -> None:
    if not pattern.match(value):
        abort(400, messages={"path": {name: [f"Not a valid id (expected e.g. {example})."]}})


@bp.route("/search")
@agent_required
@bp.doc(security=SECURITY)
@bp.arguments(SearchArgs, location="query", as_kwargs=True, unknown=RAISE)
@bp.response(200, SearchResultSchema)
def search(q: str, kind: str, page: int, per_page: int, ticket_id: int | None = None):
    """Search or browse galleries, collections and images, each with its access status."""
    return catalog().search(q, kind, page, per_page)


@bp.route("/galleries/<gallery_id>")
@agent_required
@bp.doc(security=SECURITY)
@bp.arguments(PageArgs, location="query", as_kwargs=True, unknown=RAISE)
@bp.response(200, ContainerDetailSchema)
def gallery(gallery_id: str, page: int, per_page: int, ticket_id: int | None = None):
    """A gallery: path, grants with expiry, link, and a page of its media."""
    _check_id("gallery_id", gallery_id, GALLERY_ID, "G0000AbCdEfGhIjK")
    return catalog().gallery(gallery_id, page, per_page)


@bp.route("/collections/<collection_id>")
@agent_required
@bp.doc(security=SECURITY)
@bp.arguments(PageArgs, location="query", as_kwargs=True, unknown=RAISE)
@bp.response(200, ContainerDetailSchema)
def collection(collection_id: str, page: int, per_page: int, ticket_id: int | None = None):
    """A collection: path, grants, link and a page of its galleries and sub-collections."""
    _check_id("collection_id", collection_id, COLLECTION_ID, "C0000AbCdEfGhIjK")
    return catalog().collection(collection_id, page, per_page)


@bp.route("/media/<media_id>")
@agent_required
@bp.doc(security=SECURITY)
@bp.arguments(PageArgs, location="query", as_kwargs=True, unknown=RAISE)
@bp.response(200, MediaDetailSchema)
def media(media_id: str, page: int, per_page: int, ticket_id: int | None = None):
    """One image: metadata, preview/thumbnail URLs and the galleries it is in."""
    _check_id("media_id", media_id, MEDIA_ID, "I0000AbCdEfGhIjK")
    return catalog().media(media_id)


@bp.route("/troubleshoot", methods=["POST"])
@agent_required
@bp.doc(security=SECURITY)
@bp.arguments(TroubleshootArgs, location="json", unknown=RAISE)
@bp.response(200, TroubleshootResultSchema)
def troubleshoot(args: dict):
    """Resolve a customer's link or id to its live status and explain why access fails."""
    return Troubleshooter(catalog()).diagnose(args.get("url") or args.get("id"))
