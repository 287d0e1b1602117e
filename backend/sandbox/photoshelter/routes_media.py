"""Media routes (`/media…`, downloads) and the CDN-style `/img-get2/…` image server."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Response, request

from . import access, ids, search
from .common import context, load_media, state
from .envelopes import (
    API_PREFIX,
    access_denied,
    bad_request,
    bool_param,
    choice_param,
    include_param,
    int_param,
    list_param,
    listing,
    not_found,
    require_id,
    success,
)
from .images import MAX_EDGE, clamp, fit_size, long_edge_size, render_jpeg
from .models import Media
from .resources import container_resource, image_url, iptc_resource, media_resource, visible_galleries

bp = Blueprint("ps_media", __name__, url_prefix=API_PREFIX)
cdn = Blueprint("ps_cdn", __name__)

DEFAULT_DOWNLOAD_EDGE = 2400
DEFAULT_LINK_SIZE = (1000, 1000)


@bp.route("/media", methods=["GET"])
def media_search() -> Response:
    """Search media (`terms`, `match_all_terms`, `galleries`, `collections`, `media_type`, `orientation`)."""
    ctx = context()
    library = ctx.library
    includes = include_param(("gallery",))
    terms = search.split_terms(request.args.get("terms"))
    match_all = bool_param("match_all_terms", True)
    sort_by = choice_param("sort_by", search.SORT_FIELDS, "relevance")
    sort_dir = choice_param("sort_dir", ("asc", "desc"), search.default_direction(sort_by))

    scope: set[str] | None = None
    gallery_filter = list_param("galleries")
    collection_filter = list_param("collections")
    if gallery_filter or collection_filter:
        scope = set()
        for gallery_id in gallery_filter:
            scope.add(require_id(gallery_id, ids.GALLERY, "gallery"))
        for collection_id in collection_filter:
            scope |= library.galleries_under(require_id(collection_id, ids.COLLECTION, "collection"))
    media_types = list_param("media_type")
    for media_type in media_types:
        if media_type not in search.MEDIA_TYPES:
            raise _bad("media_type", search.MEDIA_TYPES)
    orientations = list_param("orientation")
    for orientation in orientations:
        if orientation not in search.ORIENTATIONS:
            raise _bad("orientation", search.ORIENTATIONS)

    scores: dict[str, int] = {}
    hits: list[Media] = []
    for media in library.media.values():
        if media_types and "image" not in media_types:
            continue
        if orientations and media.orientation not in orientations:
            continue
        if scope is not None and not search.in_galleries(media, scope):
            continue
        value = search.score(media, terms, bool(match_all))
        if value is None or not access.media_listed(library, ctx.viewer, media, ctx.now):
            continue
        scores[media.id] = value
        hits.append(media)
    hits.sort(key=search.sort_key(sort_by, scores), reverse=sort_dir == "desc")
    return listing(hits, state().max_per_page, lambda m: media_resource(ctx, m, includes))


def _bad(name: str, allowed: tuple[str, ...]) -> Exception:
    return bad_request(f"{name} must be a comma list of {', '.join(allowed)}")


@bp.route("/media/<media_id>", methods=["GET"])
def media_item(media_id: str) -> Response:
    """One media item (`include=gallery`)."""
    includes = include_param(("gallery",))
    return success(media_resource(context(), load_media(media_id), includes))


@bp.route("/media/<media_id>/iptc", methods=["GET"])
def media_iptc(media_id: str) -> Response:
    """IPTC of a media item."""
    return success(iptc_resource(load_media(media_id)))


@bp.route("/media/<media_id>/galleries", methods=["GET"])
def media_galleries(media_id: str) -> Response:
    """Galleries holding a media item that the caller may read (`include=gallery`)."""
    includes = include_param(("gallery",))
    ctx = context()
    media = load_media(media_id)

    def render(gallery: Any) -> dict[str, Any]:
        item: dict[str, Any] = {"id": gallery.id, "type": "gallery"}
        if "gallery" in includes:
            item["includes"] = {"gallery": {"data": container_resource(ctx, gallery)}}
        return item

    return listing(visible_galleries(ctx, media), state().max_per_page, render)


_SIZE_RE = re.compile(r"^(\d+)?(?:x(\d+))?$")


def _link_box(media: Media) -> tuple[int, int]:
    raw = request.args.get("image_size")
    if not raw:
        return DEFAULT_LINK_SIZE
    match = _SIZE_RE.match(raw)
    if not match or not (match.group(1) or match.group(2)):
        raise bad_request("image_size must be WxH, W or xH")
    width = int(match.group(1)) if match.group(1) else None
    height = int(match.group(2)) if match.group(2) else None
    if width is None and height is not None:
        width = max(1, round(height * media.width / media.height))
    if height is None and width is not None:
        height = width
    return clamp(width or 1), clamp(height or 1)


@bp.route("/media/<media_id>/link", methods=["GET"])
def media_link(media_id: str) -> Response:
    """CDN link `<base>/img-get2/<id>/fit=WxH/<file>` (`image_size`, `image_mode`, `gallery_id`)."""
    media = load_media(media_id)
    mode = choice_param("image_mode", ("fit", "fill"), "fit")
    width, height = _link_box(media)
    gallery_id = request.args.get("gallery_id")
    if gallery_id:
        require_id(gallery_id, ids.GALLERY, "gallery")
    url = image_url(media, width, height, mode, gallery_id)
    return success({"id": media.id, "type": "link", "attributes": {"link": url}})


@bp.route("/media/<media_id>/download", methods=["GET"])
def media_download(media_id: str) -> Response:
    """Binary JPEG download; grant downloads are counted and limits enforced."""
    st = state()
    ctx = context()
    media = load_media(media_id, check=False)
    filetype = choice_param("download_filetype", ("original", "jpeg"), "original")
    gallery_id = request.args.get("gallery_id")
    if gallery_id:
        require_id(gallery_id, ids.GALLERY, "gallery")
        if gallery_id not in media.gallery_ids:
            raise not_found("Gallery")
    decision, _gallery = access.download_decision(ctx.library, ctx.viewer, media, ctx.now, gallery_id)
    if not decision.allowed:
        raise access_denied("Gallery", decision.detail)
    long_edge = max(media.width, media.height)
    target = int_param("image_size", min(long_edge, DEFAULT_DOWNLOAD_EDGE), 1)
    target = min(target, long_edge, MAX_EDGE)
    grant = decision.grant
    if grant is not None and grant.download_image_size:
        target = min(target, grant.download_image_size)
    width, height = long_edge_size(media.width, media.height, target)
    body = render_jpeg(media.id, media.file_name, width, height, media.palette)
    if grant is not None:
        with st.lock:
            if grant.is_exhausted():
                raise access_denied("Gallery", access.DETAIL_EXHAUSTED)
            grant.downloads += 1
    filename = media.file_name
    if filetype == "jpeg" and not filename.lower().endswith((".jpg", ".jpeg")):
        filename = filename.rsplit(".", 1)[0] + ".jpg"
    return Response(
        body,
        mimetype="image/jpeg",
        headers={
            "Content-Length": str(len(body)),
            "Content-Disposition": f'attachment; filename="{filename}"',
            "X-PS-Original-Size": str(media.file_size),
        },
    )


# --------------------------------------------------------------------------- CDN

_BOX_RE = re.compile(r"^(fit|fill)=(\d{1,6})x(\d{1,6})$")


def _text(status: int, message: str) -> Response:
    return Response(message + "\n", status=status, mimetype="text/plain")


@cdn.route("/img-get2/<media_id>/<path:rest>", methods=["GET"])
def img_get2(media_id: str, rest: str) -> Response:
    """`/img-get2/<I…>[/g=<G…>]/<fit|fill>=WxH[/<file>]` → JPEG bytes at that size (1-4000 px)."""
    if not ids.is_id(media_id, ids.IMAGE):
        return _text(400, "malformed image id")
    media = state().library.media.get(media_id)
    if media is None:
        return _text(404, "image not found")
    segments = [s for s in rest.split("/") if s]
    if segments and segments[0].startswith("g="):
        if not ids.is_id(segments[0][2:], ids.GALLERY):
            return _text(400, "malformed gallery id")
        segments = segments[1:]
    match = _BOX_RE.match(segments[0]) if segments else None
    if match is None:
        return _text(400, "expected fit=WxH or fill=WxH")
    mode, box_width, box_height = match.group(1), int(match.group(2)), int(match.group(3))
    if mode == "fit":
        width, height = fit_size(media.width, media.height, box_width, box_height)
    else:
        width, height = clamp(box_width), clamp(box_height)
    body = render_jpeg(media.id, media.file_name, width, height, media.palette)
    return Response(body, mimetype="image/jpeg", headers={"Cache-Control": "public, max-age=86400"})
