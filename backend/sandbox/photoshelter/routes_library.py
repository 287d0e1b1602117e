"""Library routes: `/library`, `/galleries…`, `/collections…` (contract "Endpoints")."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request

from . import access, ids
from .common import SORT_DIRECTIONS, context, load_container, sort_containers, state
from .envelopes import (
    API_PREFIX,
    api_url,
    bool_param,
    choice_param,
    include_param,
    listing,
    not_found,
    require_id,
    success,
)
from .models import Container
from .resources import (
    CONTAINER_INCLUDES,
    child_count_resource,
    child_counts,
    container_link_resource,
    container_resource,
    key_image_resource,
    permissions_resource,
    reference,
)

bp = Blueprint("ps_library", __name__, url_prefix=API_PREFIX)

_KINDS = {"galleries": "gallery", "collections": "collection"}
_PLURAL = {kind: plural for plural, kind in _KINDS.items()}


def _visible(containers: list[Container]) -> list[Container]:
    ctx = context()
    return [c for c in containers if access.visible_in_listing(ctx.library, ctx.viewer, c, ctx.now)]


def _container_listing(items: list[Container], default_sort: str = "name") -> Response:
    includes = include_param(CONTAINER_INCLUDES)
    ctx = context()
    ordered = sort_containers(items, default_sort)
    return listing(ordered, state().max_per_page, lambda c: container_resource(ctx, c, includes))


@bp.route("/library", methods=["GET"])
def library() -> Response:
    """Root collections and galleries."""
    roots = _visible(context().library.roots())
    is_listed = bool_param("is_listed", None)
    if is_listed is not None:
        roots = [c for c in roots if c.is_listed == is_listed]
    return _container_listing(roots)


def _filtered(kind: str) -> list[Container]:
    ctx = context()
    items = [c for c in ctx.library.containers.values() if c.kind == kind]
    parent_id = request.args.get("parent")
    if parent_id:
        require_id(parent_id, ids.COLLECTION, "collection")
        parent = ctx.library.containers.get(parent_id)
        if parent is None or parent.kind != "collection":
            raise not_found("Collection")
        items = [c for c in items if parent_id in c.parents]
    name = (request.args.get("name") or "").strip().lower()
    if name:
        items = [c for c in items if name in c.name.lower()]
    return _visible(items)


@bp.route("/galleries", methods=["GET"])
def galleries() -> Response:
    """Galleries the caller may list (`name`, `parent`, sort, paging, `include`)."""
    return _container_listing(_filtered("gallery"))


@bp.route("/collections", methods=["GET"])
def collections() -> Response:
    """Collections the caller may list (`name`, `parent`, sort, paging, `include`)."""
    return _container_listing(_filtered("collection"))


@bp.route("/<any(galleries, collections):kinds>/<container_id>", methods=["GET"])
def container(kinds: str, container_id: str) -> Response:
    """One gallery or collection, with `include`."""
    includes = include_param(CONTAINER_INCLUDES)
    found = load_container(_KINDS[kinds], container_id)
    return success(container_resource(context(), found, includes))


_MEDIA_SORT = {
    "display_order": None,
    "file_name": lambda m: (m.file_name.lower(), m.id),
    "creation_time": lambda m: (m.created_at, m.id),
    "modification_time": lambda m: (m.modified_at, m.id),
}


def _media_child(media_id: str, position: int) -> dict[str, Any]:
    return {
        "id": media_id,
        "type": "image",
        "attributes": {"display_order": position},
        "links": {"self": api_url(f"/media/{media_id}")},
    }


def _collection_child(child: Container) -> dict[str, Any]:
    ctx = context()
    return {
        "id": child.id,
        "type": child.kind,
        "attributes": {
            "name": child.name,
            "mode": child.mode,
            "effective_mode": access.effective_mode(ctx.library, child),
            "access_inherit": child.access_inherit,
            "is_listed": child.is_listed,
            "display_order": child.display_order,
        },
        "links": {"self": api_url(f"/{_PLURAL[child.kind]}/{child.id}")},
    }


@bp.route("/<any(galleries, collections):kinds>/<container_id>/children", methods=["GET"])
def children(kinds: str, container_id: str) -> Response:
    """Media of a gallery / galleries and collections of a collection."""
    found = load_container(_KINDS[kinds], container_id)
    ctx = context()
    if found.kind == "gallery":
        sort_by = choice_param("sort_by", tuple(_MEDIA_SORT), "display_order")
        direction = choice_param("sort_direction", SORT_DIRECTIONS, "ascending")
        positioned = list(enumerate(found.children, start=1))
        key = _MEDIA_SORT[sort_by]
        if key is not None:
            positioned.sort(key=lambda item: key(ctx.library.media[item[1]]))
        if direction == "descending":
            positioned.reverse()
        return listing(positioned, state().max_per_page, lambda item: _media_child(item[1], item[0]))
    kids = _visible([ctx.library.containers[c] for c in found.children if c in ctx.library.containers])
    return listing(sort_containers(kids, "display_order"), state().max_per_page, _collection_child)


@bp.route("/<any(galleries, collections):kinds>/<container_id>/child-count", methods=["GET"])
def child_count(kinds: str, container_id: str) -> Response:
    """`meta.children_count` (also as `data.attributes`)."""
    found = load_container(_KINDS[kinds], container_id)
    ctx = context()
    return success(child_count_resource(ctx, found), {"children_count": child_counts(ctx, found)})


@bp.route("/<any(galleries, collections):kinds>/<container_id>/path", methods=["GET"])
def path(kinds: str, container_id: str) -> Response:
    """Breadcrumb `[collection…, container]`, root first."""
    found = load_container(_KINDS[kinds], container_id)
    ctx = context()
    chain = [reference(ctx, c) for c in ctx.library.ancestors(found)]
    chain.append(container_resource(ctx, found))
    return success(chain)


@bp.route("/<any(galleries, collections):kinds>/<container_id>/permissions", methods=["GET"])
def permissions(kinds: str, container_id: str) -> Response:
    """Mode and grants; credentials only for org-authenticated sessions."""
    found = load_container(_KINDS[kinds], container_id, level="reference")
    return success(permissions_resource(context(), found))


@bp.route("/<any(galleries, collections):kinds>/<container_id>/link", methods=["GET"])
def link(kinds: str, container_id: str) -> Response:
    """Public site link of a container."""
    found = load_container(_KINDS[kinds], container_id, level="reference")
    return success(container_link_resource(found))


@bp.route("/<any(galleries, collections):kinds>/<container_id>/key-image", methods=["GET"])
def key_image(kinds: str, container_id: str) -> Response:
    """Key image of a container (`data: null` when it has none)."""
    found = load_container(_KINDS[kinds], container_id, level="reference")
    return success(key_image_resource(context(), found))
