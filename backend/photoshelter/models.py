"""Typed records returned by the PhotoShelter client (see docs/photoshelter-contract.md).

Every record is built from one v4 resource (`{id, type, attributes, includes}`) by its
`from_resource` constructor, so parsing lives in one place and callers never touch raw JSON.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

T = TypeVar("T")


def parse_time(value: str | None) -> datetime | None:
    """Parse an ISO 8601 timestamp (`Z` or offset) into an aware datetime; None stays None."""
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _attrs(resource: dict[str, Any]) -> dict[str, Any]:
    return resource.get("attributes") or {}


def _include(resource: dict[str, Any], name: str) -> Any:
    return ((resource.get("includes") or {}).get(name) or {}).get("data")


@dataclass(frozen=True)
class Paging:
    """Position of one page in a listing (`meta.paging`)."""

    total: int
    page: int
    per_page: int
    has_next: bool

    @classmethod
    def from_meta(cls, meta: dict[str, Any], page: int, per_page: int, count: int) -> Paging:
        """Build from a response's `meta`; tolerate a missing `paging` block."""
        paging = (meta or {}).get("paging") or {}
        total = int(paging.get("total", count))
        return cls(
            total=total,
            page=int(paging.get("page", page)),
            per_page=int(paging.get("per_page", per_page)),
            has_next=bool(paging.get("next")) if "next" in paging else page * per_page < total,
        )


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of typed items plus its paging."""

    items: list[T]
    paging: Paging

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)


@dataclass(frozen=True)
class Grant:
    """One access right on a gallery or collection (password, token, contact, group, level)."""

    id: str
    type: str
    expires: datetime | None = None
    max_downloads: int | None = None
    downloads: int = 0
    contact_id: str | None = None
    group_id: str | None = None
    access_level: str | None = None
    password: str | None = None
    token: str | None = None

    @classmethod
    def from_resource(cls, resource: dict[str, Any]) -> Grant:
        """Parse a Permission resource."""
        a = _attrs(resource)
        return cls(
            id=resource["id"],
            type=resource.get("type", ""),
            expires=parse_time(a.get("expires")),
            max_downloads=a.get("max_downloads"),
            downloads=int(a.get("downloads") or 0),
            contact_id=a.get("contact_id"),
            group_id=a.get("group_id"),
            access_level=a.get("access_level"),
            password=a.get("password"),
            token=a.get("token"),
        )

    @property
    def downloads_left(self) -> int | None:
        """Downloads remaining under `max_downloads`, or None when unlimited."""
        if self.max_downloads is None:
            return None
        return max(self.max_downloads - self.downloads, 0)


@dataclass(frozen=True)
class InheritedPermissions:
    """Grants a container takes from one ancestor collection."""

    collection_id: str
    mode: str
    native_mode: str
    grants: list[Grant]


@dataclass(frozen=True)
class Permissions:
    """Effective visibility mode and grants of a gallery or collection."""

    container_id: str
    mode: str
    native_mode: str
    access_inherit: bool
    native: list[Grant]
    inherited: list[InheritedPermissions]

    @classmethod
    def from_resource(cls, resource: dict[str, Any]) -> Permissions:
        """Parse a `permissions` resource."""
        a = _attrs(resource)
        return cls(
            container_id=resource.get("id", ""),
            mode=a.get("mode", "private"),
            native_mode=a.get("native_mode", a.get("mode", "private")),
            access_inherit=bool(a.get("access_inherit", False)),
            native=[Grant.from_resource(p) for p in a.get("native") or []],
            inherited=[
                InheritedPermissions(
                    collection_id=i.get("collection_id", ""),
                    mode=i.get("mode", ""),
                    native_mode=i.get("native_mode", i.get("mode", "")),
                    grants=[Grant.from_resource(p) for p in i.get("permissions") or []],
                )
                for i in a.get("inherited") or []
            ],
        )

    @property
    def grants(self) -> list[Grant]:
        """Grants that apply: inherited ones when the container inherits, else its own."""
        if self.access_inherit and self.inherited:
            return [g for i in self.inherited for g in i.grants]
        return list(self.native)


@dataclass(frozen=True)
class Container:
    """A gallery or a collection (they share their attributes in v4)."""

    id: str
    type: str
    name: str
    description: str = ""
    is_listed: bool = True
    mode: str = "private"
    effective_mode: str = "private"
    access_inherit: bool = False
    display_order: int = 0
    created_at: datetime | None = None
    modified_at: datetime | None = None
    permissions: Permissions | None = None
    key_image_id: str | None = None
    link: str | None = None

    @classmethod
    def from_resource(cls, resource: dict[str, Any]) -> Container:
        """Parse a gallery/collection resource, including `permissions`, `key-image`, `link`."""
        a = _attrs(resource)
        perms = _include(resource, "permissions")
        key_image = _include(resource, "key-image")
        link = _include(resource, "link")
        mode = a.get("mode") or "private"
        return cls(
            id=resource["id"],
            type=resource.get("type", "gallery"),
            name=a.get("name") or "",
            description=a.get("description") or "",
            is_listed=bool(a.get("is_listed", True)),
            mode=mode,
            effective_mode=a.get("effective_mode") or mode,
            access_inherit=bool(a.get("access_inherit", False)),
            display_order=int(a.get("display_order") or 0),
            created_at=parse_time(a.get("created_at")),
            modified_at=parse_time(a.get("modified_at")),
            permissions=Permissions.from_resource(perms) if perms else None,
            key_image_id=(key_image or {}).get("attributes", {}).get("image_id") if key_image else None,
            link=(link or {}).get("attributes", {}).get("link") if link else None,
        )


Gallery = Container
Collection = Container


@dataclass(frozen=True)
class ChildRef:
    """A child listed under a container: media in a gallery, galleries/collections in a collection."""

    id: str
    type: str
    display_order: int = 0
    name: str | None = None
    mode: str | None = None

    @classmethod
    def from_resource(cls, resource: dict[str, Any]) -> ChildRef:
        """Parse a child item."""
        a = _attrs(resource)
        return cls(
            id=resource["id"],
            type=resource.get("type", ""),
            display_order=int(a.get("display_order") or 0),
            name=a.get("name"),
            mode=a.get("mode"),
        )


@dataclass(frozen=True)
class ChildCount:
    """Counts of a container's children (`meta.children_count`)."""

    total: int
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Media:
    """One media item (image, video, audio or document)."""

    id: str
    type: str
    file_name: str
    file_size: int = 0
    width: int = 0
    height: int = 0
    rating: int = 0
    views: int = 0
    created_at: datetime | None = None
    modified_at: datetime | None = None
    gallery_ids: list[str] = field(default_factory=list)

    @classmethod
    def from_resource(cls, resource: dict[str, Any]) -> Media:
        """Parse a media resource (with `includes.gallery` when asked for)."""
        a = _attrs(resource)
        galleries = _include(resource, "gallery") or []
        if isinstance(galleries, dict):
            galleries = [galleries]
        return cls(
            id=resource["id"],
            type=resource.get("type", "image"),
            file_name=a.get("file_name") or "",
            file_size=int(a.get("file_size") or 0),
            width=int(a.get("width") or 0),
            height=int(a.get("height") or 0),
            rating=int(a.get("rating") or 0),
            views=int(a.get("views") or 0),
            created_at=parse_time(a.get("created_at")),
            modified_at=parse_time(a.get("modified_at")),
            gallery_ids=[g["id"] for g in galleries if isinstance(g, dict) and "id" in g],
        )


@dataclass(frozen=True)
class Iptc:
    """Descriptive IPTC metadata of a media item."""

    title: str = ""
    headline: str = ""
    caption: str = ""
    keywords: list[str] = field(default_factory=list)
    credit: str = ""
    copyright: str = ""
    author: str = ""
    city: str = ""
    state: str = ""
    country: str = ""

    @classmethod
    def from_resource(cls, resource: dict[str, Any]) -> Iptc:
        """Parse an `iptc` resource; `keywords` arrive as a comma-separated string."""
        a = _attrs(resource)
        raw = a.get("keywords") or ""
        keywords = raw if isinstance(raw, list) else [k.strip() for k in raw.split(",") if k.strip()]
        return cls(
            title=a.get("title") or "",
            headline=a.get("headline") or "",
            caption=a.get("caption") or "",
            keywords=keywords,
            credit=a.get("credit") or "",
            copyright=a.get("copyright") or "",
            author=a.get("author") or "",
            city=a.get("city") or "",
            state=a.get("state") or "",
            country=a.get("country") or "",
        )


@dataclass
class MediaDownload:
    """A streamed download: iterate `chunks()` once, then it closes itself."""

    filename: str
    content_type: str
    size: int | None
    _response: Any = field(repr=False, default=None)

    def chunks(self, chunk_size: int = 64 * 1024) -> Iterator[bytes]:
        """Yield the body in chunks and release the connection afterwards."""
        try:
            yield from self._response.iter_content(chunk_size=chunk_size)
        finally:
            self._response.close()

    def read(self) -> bytes:
        """Read the whole body (for small files and tests)."""
        return b"".join(self.chunks())

    def close(self) -> None:
        """Release the connection without reading the body."""
        self._response.close()
