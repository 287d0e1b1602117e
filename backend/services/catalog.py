"""Flow 1 (read side): search and browse the PhotoShelter library with access status on every item.

Where a page of results needs several PhotoShelter calls (permissions of each gallery, galleries of
each image), they run concurrently on a small thread pool; the client's cache makes repeats cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from backend.photoshelter.client import PhotoShelterClient
from backend.photoshelter.models import ChildRef, Container, Grant, Media, Page
from backend.services.access import AccessStatus, container_access, media_access
from backend.vendor_http import UpstreamNotFoundError

K = TypeVar("K")
V = TypeVar("V")

KINDS = ("all", "gallery", "collection", "media")
THUMB_SIZE = 300
PREVIEW_SIZE = 1200
ALL_KIND_CONTAINER_LIMIT = 12


@dataclass(frozen=True)
class CatalogOptions:
    """Knobs of the read flows."""

    expiring_soon_days: int = 7
    workers: int = 8


def fan_out(fn: Callable[[K], V], keys: Iterable[K], workers: int) -> dict[K, V]:
    """Call `fn` for each distinct key concurrently; keys whose item vanished (404) are left out."""
    unique = list(dict.fromkeys(keys))
    if not unique:
        return {}

    def call(key: K) -> tuple[K, V | None]:
        try:
            return key, fn(key)
        except UpstreamNotFoundError:
            return key, None

    with ThreadPoolExecutor(max_workers=min(workers, len(unique))) as pool:
        results = list(pool.map(call, unique))
    return {key: value for key, value in results if value is not None}


def run_parallel(calls: dict[str, Callable[[], Any]], workers: int) -> dict[str, Any]:
    """Run independent zero-argument calls concurrently and return their results by name."""
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(calls)))) as pool:
        futures = {name: pool.submit(call) for name, call in calls.items()}
        return {name: future.result() for name, future in futures.items()}


class Catalog:
    """Search and browse one tenant's library."""

    def __init__(self, ps: PhotoShelterClient, now: datetime, options: CatalogOptions):
        self.ps = ps
        self.now = now
        self.options = options

    # -- search -------------------------------------------------------------------------------

    def search(self, q: str, kind: str, page: int, per_page: int) -> dict[str, Any]:
        """Search galleries, collections and/or media by text; an empty query browses."""
        if kind == "gallery":
            items, paging = self._containers("gallery", q, page, per_page)
        elif kind == "collection":
            items, paging = self._containers("collection", q, page, per_page)
        elif kind == "media":
            items, paging = self._media_search(q, page, per_page)
        else:
            return self._search_all(q, page, per_page)
        return {"query": q, "kind": kind, "items": items, "paging": paging}

    def _search_all(self, q: str, page: int, per_page: int) -> dict[str, Any]:
        calls: dict[str, Callable[[], Any]] = {"media": lambda: self._media_search(q, page, per_page)}
        if page == 1:
            limit = min(per_page, ALL_KIND_CONTAINER_LIMIT)
            calls["gallery"] = lambda: self._containers("gallery", q, 1, limit)
            calls["collection"] = lambda: self._containers("collection", q, 1, limit)
        results = run_parallel(calls, 3)
        media_items, paging = results["media"]
        items = []
        totals = {"media": paging["total"]}
        for kind in ("collection", "gallery"):
            if kind in results:
                found, kind_paging = results[kind]
                items.extend(found)
                totals[kind] = kind_paging["total"]
        return {"query": q, "kind": "all", "items": items + media_items, "paging": paging, "totals": totals}

    def _containers(self, kind: str, q: str, page: int, per_page: int) -> tuple[list[dict], dict]:
        listing = self.ps.galleries if kind == "gallery" else self.ps.collections
        found = listing(name=q or None, include=("key-image",), page=page, per_page=per_page)
        permissions_of = self._accessors(kind)[1]
        permissions = fan_out(permissions_of, [c.id for c in found.items], self.options.workers)
        items = [
            self.container_item(c, container_access(c, permissions.get(c.id), self.now, self._days))
            for c in found.items
        ]
        return items, _paging(found)

    def _media_search(self, q: str, page: int, per_page: int) -> tuple[list[dict], dict]:
        sort_by = "relevance" if q.strip() else "upload_time"
        found = self.ps.search_media(
            q.strip(), sort_by=sort_by, sort_dir="desc", page=page, per_page=per_page
        )
        statuses = self._media_statuses([m.id for m in found.items])
        return [self.media_item(m, statuses[m.id]) for m in found.items], _paging(found)

    def _media_statuses(self, media_ids: list[str]) -> dict[str, AccessStatus]:
        galleries_of = fan_out(self.ps.media_galleries, media_ids, self.options.workers)
        galleries = {g.id: g for gs in galleries_of.values() for g in gs}
        gallery_status = self._gallery_statuses(list(galleries.values()))
        return {
            media_id: media_access(
                {g.id: gallery_status[g.id] for g in galleries_of.get(media_id, []) if g.id in gallery_status}
            )
            for media_id in media_ids
        }

    def _gallery_statuses(self, galleries: list[Container]) -> dict[str, AccessStatus]:
        permissions = fan_out(self.ps.gallery_permissions, [g.id for g in galleries], self.options.workers)
        return {
            g.id: container_access(g, permissions.get(g.id), self.now, self._days)
            for g in galleries
            if g.id in permissions
        }

    # -- detail views ---------------------------------------------------------------------------

    def gallery(self, gallery_id: str, page: int, per_page: int) -> dict[str, Any]:
        """A gallery with its path, grants, link and one page of its media."""
        detail, access, children = self._container_detail("gallery", gallery_id, page, per_page)
        media = fan_out(self.ps.media, [c.id for c in children.items], self.options.workers)
        items = [self.media_item(media[c.id], access) for c in children.items if c.id in media]
        return {**detail, "media": {"items": items, "paging": _paging(children)}}

    def collection(self, collection_id: str, page: int, per_page: int) -> dict[str, Any]:
        """A collection with its path, grants and one page of its child galleries and collections."""
        detail, _, children = self._container_detail("collection", collection_id, page, per_page)
        details: dict[str, Container] = {}
        permissions: dict[str, Any] = {}
        for kind in ("gallery", "collection"):
            ids = [c.id for c in children.items if c.type == kind]
            fetch, permissions_of = self._accessors(kind)[:2]
            details.update(fan_out(fetch, ids, self.options.workers))
            permissions.update(fan_out(permissions_of, ids, self.options.workers))
        items = [
            self.container_item(
                details[c.id], container_access(details[c.id], permissions.get(c.id), self.now, self._days)
            )
            for c in children.items
            if c.id in details
        ]
        return {**detail, "children": {"items": items, "paging": _paging(children)}}

    def _accessors(self, kind: str) -> tuple[Callable[..., Any], ...]:
        """The client calls for one container kind: fetch, permissions, path, children, link."""
        ps = self.ps
        if kind == "gallery":
            return ps.gallery, ps.gallery_permissions, ps.gallery_path, ps.gallery_children, ps.gallery_link
        return (
            ps.collection,
            ps.collection_permissions,
            ps.collection_path,
            ps.collection_children,
            ps.collection_link,
        )

    def _container_detail(
        self, kind: str, container_id: str, page: int, per_page: int
    ) -> tuple[dict[str, Any], AccessStatus, Page[ChildRef]]:
        """Fetch a container's parts concurrently; return its detail block, status and children."""
        fetch, permissions_of, path_of, children_of, link_of = self._accessors(kind)
        parts = run_parallel(
            {
                "container": lambda: fetch(container_id),
                "permissions": lambda: permissions_of(container_id),
                "path": lambda: path_of(container_id),
                "children": lambda: children_of(container_id, page=page, per_page=per_page),
                "link": lambda: link_of(container_id),
            },
            self.options.workers,
        )
        container: Container = parts["container"]
        access = container_access(container, parts["permissions"], self.now, self._days)
        detail = {
            **self.container_item(container, access),
            "link": parts["link"],
            "path": [{"id": p.id, "kind": p.type, "name": p.name} for p in parts["path"]],
            "grants": [self.grant_item(g) for g in parts["permissions"].grants],
        }
        return detail, access, parts["children"]

    def media(self, media_id: str) -> dict[str, Any]:
        """One media item with metadata, preview and the galleries it is in (each with its status)."""
        parts = run_parallel(
            {
                "media": lambda: self.ps.media(media_id),
                "iptc": lambda: self.ps.media_iptc(media_id),
                "galleries": lambda: self.ps.media_galleries(media_id),
            },
            self.options.workers,
        )
        statuses = self._gallery_statuses(parts["galleries"])
        access = media_access(statuses)
        iptc = parts["iptc"]
        return {
            **self.media_item(parts["media"], access),
            "iptc": {
                "title": iptc.title,
                "headline": iptc.headline,
                "caption": iptc.caption,
                "keywords": iptc.keywords,
                "credit": iptc.credit,
                "copyright": iptc.copyright,
                "author": iptc.author,
                "city": iptc.city,
                "country": iptc.country,
            },
            "galleries": [
                self.container_item(g, statuses[g.id]) for g in parts["galleries"] if g.id in statuses
            ],
        }

    # -- serialisation helpers -------------------------------------------------------------------

    def container_item(self, container: Container, access: AccessStatus) -> dict[str, Any]:
        """The list/detail shape of a gallery or collection."""
        thumb = None
        if container.key_image_id:
            thumb = self.ps.thumbnail_url(
                container.key_image_id,
                f"{container.key_image_id}.jpg",
                width=THUMB_SIZE,
                height=THUMB_SIZE,
                mode="fill",
            )
        return {
            "kind": "collection" if container.type == "collection" else "gallery",
            "id": container.id,
            "name": container.name,
            "description": container.description,
            "is_listed": container.is_listed,
            "modified_at": container.modified_at,
            "thumbnail_url": thumb,
            "access": access.to_dict(),
        }

    def media_item(self, media: Media, access: AccessStatus) -> dict[str, Any]:
        """The list/detail shape of a media item."""
        return {
            "kind": "media",
            "id": media.id,
            "media_type": media.type,
            "file_name": media.file_name,
            "file_size": media.file_size,
            "width": media.width,
            "height": media.height,
            "created_at": media.created_at,
            "thumbnail_url": self.ps.thumbnail_url(
                media.id, media.file_name, width=THUMB_SIZE, height=THUMB_SIZE
            ),
            "preview_url": self.ps.thumbnail_url(
                media.id, media.file_name, width=PREVIEW_SIZE, height=PREVIEW_SIZE
            ),
            "access": access.to_dict(),
        }

    def grant_item(self, grant: Grant) -> dict[str, Any]:
        """A grant as agents see it: never the password or token itself."""
        return {
            "id": grant.id,
            "type": grant.type,
            "expires_at": grant.expires,
            "expired": grant.expires is not None and grant.expires <= self.now,
            "max_downloads": grant.max_downloads,
            "downloads_left": grant.downloads_left,
            "has_credential": bool(grant.password or grant.token) or grant.type in {"password", "token"},
        }

    @property
    def _days(self) -> int:
        return self.options.expiring_soon_days


def _paging(page: Page[Any]) -> dict[str, Any]:
    p = page.paging
    return {"page": p.page, "per_page": p.per_page, "total": p.total, "has_next": p.has_next}
