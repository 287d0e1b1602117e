"""Helpers shared by the route modules: request context, lookups with access checks, sorting."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import g

from . import access, ids
from .envelopes import access_denied, choice_param, not_found, require_id
from .models import Container, Media
from .resources import KIND_LABEL, Context
from .state import SimulatorState, get_state

F = TypeVar("F", bound=Callable[..., Any])

SORT_DIRECTIONS = ("ascending", "descending")


def token_optional(view: F) -> F:
    """Mark a view that must work even when the request carries a stale/unknown session token."""
    view.token_optional = True  # type: ignore[attr-defined]
    return view


def state() -> SimulatorState:
    """The simulator state of this request."""
    return get_state()


def context() -> Context:
    """Serialiser context for this request."""
    st = get_state()
    return Context(st.library, g.viewer, st.current_time())


def load_container(kind: str, container_id: str, level: str = "view") -> Container:
    """Fetch a gallery/collection by id: 400 malformed, 404 unknown, 401 when the viewer may not.

    `level="view"` needs read access (grant credentials for `permission` content);
    `level="reference"` only refuses private content (links, key images, permissions).
    """
    prefix = ids.GALLERY if kind == "gallery" else ids.COLLECTION
    require_id(container_id, prefix, kind)
    ctx = context()
    container = ctx.library.containers.get(container_id)
    if container is None or container.kind != kind:
        raise not_found(KIND_LABEL[kind])
    if level == "view":
        decision = access.check_view(ctx.library, ctx.viewer, container, ctx.now)
    else:
        decision = access.check_reference(ctx.library, ctx.viewer, container)
    if not decision.allowed:
        raise access_denied(KIND_LABEL[kind], decision.detail)
    return container


def load_media(media_id: str, check: bool = True) -> Media:
    """Fetch a media item: 400 malformed, 404 unknown, 401 when no readable gallery holds it."""
    require_id(media_id, ids.IMAGE, "media")
    ctx = context()
    media = ctx.library.media.get(media_id)
    if media is None:
        raise not_found("Media")
    if check:
        decision = access.media_decision(ctx.library, ctx.viewer, media, ctx.now)
        if not decision.allowed:
            raise access_denied("Media", decision.detail)
    return media


_CONTAINER_SORT: dict[str, Callable[[Container], Any]] = {
    "name": lambda c: (c.name.lower(), c.id),
    "display_order": lambda c: (c.display_order, c.name.lower(), c.id),
    "creation_time": lambda c: (c.created_at, c.id),
    "modification_time": lambda c: (c.modified_at, c.id),
}


def sort_containers(items: list[Container], default: str = "name") -> list[Container]:
    """Sort by `sort_by` (`creation_time|modification_time|name|display_order`) and `sort_direction`."""
    sort_by = choice_param("sort_by", tuple(_CONTAINER_SORT), default)
    direction = choice_param("sort_direction", SORT_DIRECTIONS, "ascending")
    return sorted(items, key=_CONTAINER_SORT[sort_by], reverse=direction == "descending")
