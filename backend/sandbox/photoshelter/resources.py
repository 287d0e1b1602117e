"""Serialisers from library records to v4 resources (`{id, type, attributes, links, includes}`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from . import access
from .access import Viewer
from .envelopes import api_url, base_url, iso
from .models import Container, Grant, Library, Media

CONTAINER_INCLUDES = ("permissions", "key-image", "link", "child-count", "parent")
KIND_LABEL = {"gallery": "Gallery", "collection": "Collection"}


@dataclass(frozen=True)
class Context:
    """What a serialiser needs: the library, who asks, and the current time."""

    library: Library
    viewer: Viewer
    now: datetime


def _path(container: Container) -> str:
    return f"/{'galleries' if container.kind == 'gallery' else 'collections'}/{container.id}"


def container_attributes(ctx: Context, container: Container) -> dict[str, Any]:
    """Gallery/collection attributes (the two share them)."""
    return {
        "name": container.name,
        "description": container.description,
        "display_order": container.display_order,
        "access_id": container.access_id,
        "is_listed": container.is_listed,
        "mode": container.mode,
        "effective_mode": access.effective_mode(ctx.library, container),
        "access_inherit": container.access_inherit,
        "created_at": iso(container.created_at),
        "modified_at": iso(container.modified_at),
    }


def container_resource(
    ctx: Context, container: Container, includes: set[str] | None = None
) -> dict[str, Any]:
    """A `gallery`/`collection` resource, with the requested includes."""
    resource: dict[str, Any] = {
        "id": container.id,
        "type": container.kind,
        "attributes": container_attributes(ctx, container),
        "links": {"self": api_url(_path(container))},
    }
    if includes:
        extra: dict[str, Any] = {}
        if "permissions" in includes:
            extra["permissions"] = {"data": permissions_resource(ctx, container)}
        if "key-image" in includes:
            extra["key-image"] = {"data": key_image_resource(ctx, container)}
        if "link" in includes:
            extra["link"] = {"data": container_link_resource(container)}
        if "child-count" in includes:
            extra["child-count"] = {"data": child_count_resource(ctx, container)}
        if "parent" in includes:
            parent = ctx.library.primary_parent(container)
            extra["parent"] = {"data": reference(ctx, parent) if parent else None}
        resource["includes"] = extra
    return resource


def reference(ctx: Context, container: Container) -> dict[str, Any]:
    """Full resource when readable, else a bare `{id, type}` (names of private containers stay hidden)."""
    if access.check_reference(ctx.library, ctx.viewer, container).allowed:
        return container_resource(ctx, container)
    return {"id": container.id, "type": container.kind}


def grant_resource(grant: Grant, reveal: bool) -> dict[str, Any]:
    """A Permission (access right); credentials only when `reveal`."""
    return {
        "id": grant.id,
        "type": grant.type,
        "attributes": {
            "expires": iso(grant.expires),
            "max_downloads": grant.max_downloads,
            "downloads": grant.downloads,
            "contact_id": grant.contact_id,
            "group_id": grant.group_id,
            "access_level": grant.access_level,
            "password": grant.password if reveal else None,
            "token": grant.token if reveal else None,
            "download_image_filetype": grant.download_image_filetype,
            "download_image_size": grant.download_image_size,
        },
    }


def permissions_resource(ctx: Context, container: Container) -> dict[str, Any]:
    """The `permissions` resource of a container (contract "Permissions")."""
    library = ctx.library
    reveal = ctx.viewer.is_staff
    src = access.source(library, container)
    inherited = []
    if container.access_inherit and src.id != container.id:
        inherited.append(
            {
                "mode": access.effective_mode(library, src),
                "native_mode": src.mode,
                "collection_id": src.id,
                "permissions": [grant_resource(g, reveal) for g in src.grants],
            }
        )
    return {
        "id": container.id,
        "type": "permissions",
        "attributes": {
            "mode": access.effective_mode(library, container),
            "native_mode": container.mode,
            "access_inherit": container.access_inherit,
            "native": [grant_resource(g, reveal) for g in container.grants],
            "inherited": inherited,
        },
        "links": {"self": api_url(_path(container) + "/permissions")},
    }


def site_url(container: Container) -> str:
    """Public site page of a container (`<site>/gallery/<slug>/<G…>`)."""
    segment = "gallery" if container.kind == "gallery" else "gallery-collection"
    return f"{base_url()}/site/{segment}/{container.slug}/{container.id}"


def container_link_resource(container: Container) -> dict[str, Any]:
    """`{id, type: "link", attributes: {link}}` for a container."""
    return {"id": container.id, "type": "link", "attributes": {"link": site_url(container)}}


def image_url(media: Media, width: int, height: int, mode: str = "fit", gallery_id: str | None = None) -> str:
    """CDN-style URL `<base>/img-get2/<I…>[/g=<G…>]/<fit|fill>=WxH/<file_name>`."""
    gallery = f"/g={gallery_id}" if gallery_id else ""
    return f"{base_url()}/img-get2/{media.id}{gallery}/{mode}={width}x{height}/{media.file_name}"


def key_image_resource(ctx: Context, container: Container) -> dict[str, Any] | None:
    """`keyImage` resource (None when the container has no images)."""
    media = ctx.library.media.get(container.key_image_id or "")
    if media is None:
        return None
    gallery_id = container.id if container.kind == "gallery" else None
    if gallery_id is None:
        gallery_id = next((g for g in media.gallery_ids if g in ctx.library.containers), None)
    return {
        "id": media.id,
        "type": "keyImage",
        "attributes": {
            "image_id": media.id,
            "gallery_id": gallery_id,
            "collection_id": container.id if container.kind == "collection" else None,
            "image_url": image_url(media, 600, 600),
            "public": access.effective_mode(ctx.library, container) == "everyone",
        },
        "links": {"self": api_url(_path(container) + "/key-image")},
    }


def child_counts(ctx: Context, container: Container) -> dict[str, int]:
    """Counts of children the viewer may see."""
    if container.kind == "gallery":
        images = len(container.children)
        return {"total": images, "images": images, "videos": 0, "audio": 0, "documents": 0}
    children = [ctx.library.containers[c] for c in container.children if c in ctx.library.containers]
    visible = [c for c in children if access.visible_in_listing(ctx.library, ctx.viewer, c, ctx.now)]
    galleries = sum(1 for c in visible if c.kind == "gallery")
    return {"total": len(visible), "galleries": galleries, "collections": len(visible) - galleries}


def child_count_resource(ctx: Context, container: Container) -> dict[str, Any]:
    """`{id, type: "childCount", attributes: counts}`."""
    return {"id": container.id, "type": "childCount", "attributes": child_counts(ctx, container)}


def media_attributes(media: Media) -> dict[str, Any]:
    """Image attributes."""
    return {
        "owner_id": media.owner_id,
        "organization_id": media.organization_id,
        "file_name": media.file_name,
        "file_size": media.file_size,
        "width": media.width,
        "height": media.height,
        "rating": media.rating,
        "views": media.views,
        "searchable": media.searchable,
        "model_released": media.model_released,
        "property_released": media.property_released,
        "created_at": iso(media.created_at),
        "modified_at": iso(media.modified_at),
    }


def visible_galleries(ctx: Context, media: Media) -> list[Container]:
    """Galleries of a media item that the viewer may read."""
    result = []
    for gallery_id in media.gallery_ids:
        gallery = ctx.library.containers.get(gallery_id)
        if gallery is not None and access.check_view(ctx.library, ctx.viewer, gallery, ctx.now).allowed:
            result.append(gallery)
    return result


def media_resource(ctx: Context, media: Media, includes: set[str] | None = None) -> dict[str, Any]:
    """An `image` resource; `include=gallery` adds `includes.gallery.data` (list of galleries)."""
    resource: dict[str, Any] = {
        "id": media.id,
        "type": "image",
        "attributes": media_attributes(media),
        "links": {"self": api_url(f"/media/{media.id}")},
    }
    if includes and "gallery" in includes:
        resource["includes"] = {
            "gallery": {"data": [container_resource(ctx, g) for g in visible_galleries(ctx, media)]}
        }
    return resource


def iptc_resource(media: Media) -> dict[str, Any]:
    """`{id, type: "iptc", attributes}` with keywords as a comma string."""
    iptc = media.iptc
    return {
        "id": media.id,
        "type": "iptc",
        "attributes": {
            "title": iptc.title,
            "headline": iptc.headline,
            "caption": iptc.caption,
            "keywords": ", ".join(iptc.keywords),
            "credit": iptc.credit,
            "copyright": iptc.copyright,
            "author": iptc.author,
            "city": iptc.city,
            "state": iptc.state,
            "country": iptc.country,
        },
        "links": {"self": api_url(f"/media/{media.id}/iptc")},
    }
