"""Write routes the sharing flows need: delivery galleries, their media, and access grants.

The reference documents no write API for v4 grants (ref §5.2/§5.6 list these paths only from an
unverified client); the simulator follows those paths — `POST /galleries`, `POST
/galleries/{id}/children`, `POST /galleries/{id}/permissions`, `DELETE
/galleries/{id}/permissions/{AR…}` — and docs/photoshelter-contract.md marks them as a [choice].
Only staff sessions (org-authenticated members) may write.
"""

from __future__ import annotations

import random
import secrets
from datetime import datetime
from typing import Any

from flask import Blueprint, Response, g, request

from . import ids
from .common import context, load_container, state
from .envelopes import API_PREFIX, ApiError, bad_request, not_found, require_id, success
from .models import Container, Grant
from .resources import container_resource, grant_resource
from .seed import slugify

bp = Blueprint("ps_write", __name__, url_prefix=API_PREFIX)

MODES = ("everyone", "permission", "private")
GRANT_TYPES = ("password", "token")
MAX_NAME = 255


def _require_staff() -> None:
    if not g.viewer.is_staff:
        raise ApiError(401, "AcsPermissionException", "Invalid access to resource: Gallery", "staff only")


def _body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if isinstance(data, dict):
        return data
    return request.form.to_dict()


def _taken() -> set[str]:
    library = state().library
    return (
        set(library.containers)
        | set(library.media)
        | {gr.id for c in library.containers.values() for gr in c.grants}
    )


def _rng() -> random.Random:
    return random.Random(secrets.randbits(64))


@bp.route("/galleries", methods=["POST"])
def create_gallery() -> Response:
    """Create a gallery (`name`, `description`, `parent`, `mode`, `is_listed`)."""
    _require_staff()
    body = _body()
    name = str(body.get("name") or "").strip()
    if not name or len(name) > MAX_NAME:
        raise bad_request("name is required (1-255 characters)")
    mode = str(body.get("mode") or "private")
    if mode not in MODES:
        raise bad_request(f"mode must be one of {', '.join(MODES)}")
    parent = body.get("parent")
    st = state()
    with st.lock:
        if parent:
            require_id(parent, ids.COLLECTION, "collection")
            if parent not in st.library.containers:
                raise not_found("Collection")
        now = st.current_time()
        gallery = Container(
            id=ids.new_id(_rng(), ids.GALLERY, _taken()),
            kind="gallery",
            name=name,
            slug=slugify(name),
            description=str(body.get("description") or ""),
            access_id=ids.new_id(_rng(), ids.ACCESS, _taken()),
            mode=mode,
            is_listed=str(body.get("is_listed", "false")).lower() in {"1", "true", "t"},
            access_inherit=False,
            display_order=0,
            created_at=now,
            modified_at=now,
            parents=[parent] if parent else [],
        )
        st.library.containers[gallery.id] = gallery
        if parent:
            st.library.containers[parent].children.append(gallery.id)
    return success(container_resource(context(), gallery, set()), status=201)


@bp.route("/galleries/<gallery_id>/children", methods=["POST"])
def add_children(gallery_id: str) -> Response:
    """Add media to a gallery (`media_id`, or `media_ids` as a comma list)."""
    _require_staff()
    gallery = load_container("gallery", gallery_id)
    body = _body()
    raw = body.get("media_ids") or body.get("media_id") or ""
    media_ids = raw if isinstance(raw, list) else [m.strip() for m in str(raw).split(",") if m.strip()]
    if not media_ids or len(media_ids) > 500:
        raise bad_request("media_id or media_ids (1-500) is required")
    st = state()
    with st.lock:
        for media_id in media_ids:
            require_id(media_id, ids.IMAGE, "media")
            if media_id not in st.library.media:
                raise not_found("Media")
        for media_id in media_ids:
            if media_id not in gallery.children:
                gallery.children.append(media_id)
                st.library.media[media_id].gallery_ids.append(gallery.id)
        gallery.key_image_id = gallery.key_image_id or gallery.children[0]
        gallery.modified_at = st.current_time()
    data = [
        {"id": m, "type": "image", "attributes": {"display_order": i}} for i, m in enumerate(gallery.children)
    ]
    return success(data, status=201)


@bp.route("/galleries/<gallery_id>/permissions", methods=["POST"])
def create_grant(gallery_id: str) -> Response:
    """Add a password or token grant (`type`, `password`/`token`, `expires`, `max_downloads`)."""
    _require_staff()
    gallery = load_container("gallery", gallery_id)
    body = _body()
    kind = str(body.get("type") or "")
    if kind not in GRANT_TYPES:
        raise bad_request(f"type must be one of {', '.join(GRANT_TYPES)}")
    credential = str(body.get(kind) or "")
    limit = 20 if kind == "password" else 32
    if not credential or len(credential) > limit:
        raise bad_request(f"{kind} is required (1-{limit} characters)")
    expires = _parse_expires(body.get("expires"))
    max_downloads = body.get("max_downloads")
    if max_downloads not in (None, ""):
        try:
            max_downloads = int(max_downloads)
        except (TypeError, ValueError):
            raise bad_request("max_downloads must be a whole number") from None
        if max_downloads < 0:
            raise bad_request("max_downloads must not be negative")
    else:
        max_downloads = None
    st = state()
    with st.lock:
        grant = Grant(
            id=ids.new_id(_rng(), ids.ACCESS_RIGHT, _taken()),
            type=kind,
            expires=expires,
            max_downloads=max_downloads,
            password=credential if kind == "password" else None,
            token=credential if kind == "token" else None,
            download_image_filetype=str(body.get("download_image_filetype") or "original"),
        )
        gallery.grants.append(grant)
        if gallery.mode == "private":
            gallery.mode = "permission"
        gallery.modified_at = st.current_time()
    return success(grant_resource(grant, reveal=True), status=201)


@bp.route("/galleries/<gallery_id>/permissions/<grant_id>", methods=["DELETE"])
def delete_grant(gallery_id: str, grant_id: str) -> Response:
    """Remove a grant; links using its credential stop working."""
    _require_staff()
    gallery = load_container("gallery", gallery_id)
    require_id(grant_id, ids.ACCESS_RIGHT, "access right")
    st = state()
    with st.lock:
        before = len(gallery.grants)
        gallery.grants[:] = [gr for gr in gallery.grants if gr.id != grant_id]
        if len(gallery.grants) == before:
            raise not_found("Permission")
        gallery.modified_at = st.current_time()
    return Response(status=204)


def _parse_expires(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise bad_request("expires must be an ISO 8601 date-time") from None
    if parsed.tzinfo is None:
        raise bad_request("expires must carry a time zone")
    return parsed
