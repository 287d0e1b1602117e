"""In-memory records of the simulated PhotoShelter library (organisation, users, containers, media)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class Grant:
    """One access right (`AR000…`) on a gallery or collection; `downloads` is mutated by downloads."""

    id: str
    type: str  # password | token | contact | group | access_level
    expires: datetime | None = None
    max_downloads: int | None = None
    downloads: int = 0
    contact_id: str | None = None
    group_id: str | None = None
    access_level: str | None = None
    password: str | None = None
    token: str | None = None
    download_image_filetype: str = "original"
    download_image_size: int | None = None

    def is_expired(self, now: datetime) -> bool:
        """True once `expires` is reached."""
        return self.expires is not None and now >= self.expires

    def is_exhausted(self) -> bool:
        """True once `downloads` reached `max_downloads`."""
        return self.max_downloads is not None and self.downloads >= self.max_downloads


@dataclass
class Container:
    """A gallery (children are media ids) or a collection (children are container ids)."""

    id: str
    kind: str  # gallery | collection
    name: str
    slug: str
    description: str
    access_id: str
    mode: str  # everyone | permission | private
    is_listed: bool
    access_inherit: bool
    display_order: int
    created_at: datetime
    modified_at: datetime
    parents: list[str] = field(default_factory=list)
    children: list[str] = field(default_factory=list)
    grants: list[Grant] = field(default_factory=list)
    key_image_id: str | None = None


@dataclass(frozen=True)
class Iptc:
    """Descriptive IPTC fields of one image."""

    title: str
    headline: str
    caption: str
    keywords: tuple[str, ...]
    credit: str
    copyright: str
    author: str
    city: str
    state: str
    country: str


@dataclass
class Media:
    """One image with its file facts, IPTC and the galleries it sits in."""

    id: str
    file_name: str
    file_size: int
    width: int
    height: int
    rating: int
    views: int
    searchable: bool
    model_released: bool
    property_released: bool
    taken_at: datetime
    created_at: datetime
    modified_at: datetime
    owner_id: str
    organization_id: str
    iptc: Iptc
    palette: tuple[tuple[int, int, int], ...]
    gallery_ids: list[str] = field(default_factory=list)

    @property
    def orientation(self) -> str:
        """`square`, `panoramic` (at least 2:1), `horizontal` or `vertical`."""
        if self.width == self.height:
            return "square"
        if self.width >= 2 * self.height:
            return "panoramic"
        return "horizontal" if self.width > self.height else "vertical"


@dataclass(frozen=True)
class Organization:
    """The brand organisation owning the library."""

    id: str
    name: str


@dataclass(frozen=True)
class User:
    """A PhotoShelter login; `org_ids` are the organisations the user is a full member of."""

    id: str
    email: str
    password: str
    first_name: str
    last_name: str
    org_ids: tuple[str, ...] = ()
    contact_id: str | None = None
    group_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Contact:
    """An invited person (`CT000…`) that contact grants point at."""

    id: str
    name: str
    email: str


@dataclass(frozen=True)
class OAuthClient:
    """A registered OAuth client; `redirect_uri=None` accepts any http(s) redirect URI."""

    id: str
    client_id: str
    client_secret: str
    name: str
    redirect_uri: str | None


@dataclass
class Library:
    """The whole seeded library plus lookup helpers."""

    org: Organization
    users: list[User]
    contacts: list[Contact]
    containers: dict[str, Container]
    media: dict[str, Media]
    states: dict[str, str]

    def galleries(self) -> list[Container]:
        """All galleries."""
        return [c for c in self.containers.values() if c.kind == "gallery"]

    def collections(self) -> list[Container]:
        """All collections."""
        return [c for c in self.containers.values() if c.kind == "collection"]

    def roots(self) -> list[Container]:
        """Containers at the library root (no parent collection)."""
        return [c for c in self.containers.values() if not c.parents]

    def primary_parent(self, container: Container) -> Container | None:
        """The first parent collection (the one `access_inherit` and breadcrumbs follow)."""
        return self.containers.get(container.parents[0]) if container.parents else None

    def ancestors(self, container: Container) -> list[Container]:
        """Primary-parent chain, root first, without `container` itself."""
        chain: list[Container] = []
        seen = {container.id}
        parent = self.primary_parent(container)
        while parent is not None and parent.id not in seen:
            chain.append(parent)
            seen.add(parent.id)
            parent = self.primary_parent(parent)
        return list(reversed(chain))

    def galleries_under(self, collection_id: str) -> set[str]:
        """Ids of the galleries below a collection, at any depth."""
        found: set[str] = set()
        stack = [collection_id]
        seen: set[str] = set()
        while stack:
            current = self.containers.get(stack.pop())
            if current is None or current.id in seen:
                continue
            seen.add(current.id)
            for child_id in current.children:
                child = self.containers.get(child_id)
                if child is None:
                    continue
                if child.kind == "gallery":
                    found.add(child.id)
                else:
                    stack.append(child.id)
        return found

    def user_by_email(self, email: str) -> User | None:
        """Case-insensitive lookup of a login."""
        wanted = email.strip().lower()
        return next((u for u in self.users if u.email.lower() == wanted), None)

    def user(self, user_id: str) -> User | None:
        """Lookup by id."""
        return next((u for u in self.users if u.id == user_id), None)
