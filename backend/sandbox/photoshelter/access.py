"""Permission evaluation (contract "Permissions"): modes, listing, inheritance, grants, downloads.

Rules:
- staff (a session authenticated into the library's organisation) sees and downloads everything;
- `everyone` content is open; `is_listed=false` only hides it from listings;
- `permission` content needs a matching grant: `password`/`token` query params, or a contact/group
  grant naming the logged-in user; a grant past `expires` refuses ("grant expired"), one whose
  `downloads` reached `max_downloads` refuses downloads ("download limit reached");
- `private` content is staff only;
- `access_inherit=true` takes mode and grants from the primary parent collection (recursively).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .models import Container, Grant, Library, Media, User

DETAIL_PASSWORD = "password required"  # noqa: S105 - a message, not a secret
DETAIL_EXPIRED = "grant expired"
DETAIL_EXHAUSTED = "download limit reached"
DETAIL_PRIVATE = "private"


@dataclass(frozen=True)
class Viewer:
    """Who is asking: the session's user and org context plus any grant credentials in the request."""

    user: User | None = None
    org_id: str | None = None
    is_staff: bool = False
    password: str | None = None
    token: str | None = None


@dataclass(frozen=True)
class Decision:
    """Outcome of an access check; `grant` is the grant that opened the door (None when not needed)."""

    allowed: bool
    grant: Grant | None = None
    detail: str | None = None


ALLOWED = Decision(True)


def source(library: Library, container: Container) -> Container:
    """The container whose mode and grants apply (follows `access_inherit` up primary parents)."""
    current = container
    seen = {current.id}
    while current.access_inherit:
        parent = library.primary_parent(current)
        if parent is None or parent.id in seen:
            break
        seen.add(parent.id)
        current = parent
    return current


def effective_mode(library: Library, container: Container) -> str:
    """The mode that applies to a container."""
    return source(library, container).mode


def effective_grants(library: Library, container: Container) -> list[Grant]:
    """The grants that apply to a container."""
    return list(source(library, container).grants)


def _matches(grant: Grant, viewer: Viewer) -> bool:
    if grant.type == "password":
        return viewer.password is not None and grant.password == viewer.password
    if grant.type == "token":
        return viewer.token is not None and grant.token == viewer.token
    if grant.type == "contact":
        return viewer.user is not None and viewer.user.contact_id == grant.contact_id
    if grant.type == "group":
        return viewer.user is not None and grant.group_id in viewer.user.group_ids
    return False


def _valid_grants(
    library: Library, container: Container, viewer: Viewer, now: datetime
) -> tuple[list[Grant], str | None]:
    matching = [g for g in effective_grants(library, container) if _matches(g, viewer)]
    if not matching:
        return [], DETAIL_PASSWORD
    valid = [g for g in matching if not g.is_expired(now)]
    if not valid:
        return [], DETAIL_EXPIRED
    return valid, None


def check_view(library: Library, viewer: Viewer, container: Container, now: datetime) -> Decision:
    """May the viewer read this container and its content?"""
    if viewer.is_staff:
        return ALLOWED
    mode = effective_mode(library, container)
    if mode == "everyone":
        return ALLOWED
    if mode != "permission":
        return Decision(False, detail=DETAIL_PRIVATE)
    valid, detail = _valid_grants(library, container, viewer, now)
    if not valid:
        return Decision(False, detail=detail)
    return Decision(True, grant=valid[0])


def check_download(library: Library, viewer: Viewer, container: Container, now: datetime) -> Decision:
    """May the viewer download from this container? The returned grant is the one to count."""
    if viewer.is_staff:
        return ALLOWED
    mode = effective_mode(library, container)
    if mode == "everyone":
        return ALLOWED
    if mode != "permission":
        return Decision(False, detail=DETAIL_PRIVATE)
    valid, detail = _valid_grants(library, container, viewer, now)
    if not valid:
        return Decision(False, detail=detail)
    usable = [g for g in valid if not g.is_exhausted()]
    if not usable:
        return Decision(False, detail=DETAIL_EXHAUSTED)
    return Decision(True, grant=usable[0])


def check_reference(library: Library, viewer: Viewer, container: Container) -> Decision:
    """May the viewer see that the container exists (link, key image, permissions)? Not if private."""
    if viewer.is_staff or effective_mode(library, container) != "private":
        return ALLOWED
    return Decision(False, detail=DETAIL_PRIVATE)


def visible_in_listing(library: Library, viewer: Viewer, container: Container, now: datetime) -> bool:
    """Shown in listings: staff see all; others see listed containers they may read."""
    if viewer.is_staff:
        return True
    return container.is_listed and check_view(library, viewer, container, now).allowed


def media_decision(library: Library, viewer: Viewer, media: Media, now: datetime) -> Decision:
    """May the viewer read a media item (through at least one readable gallery)?"""
    if viewer.is_staff:
        return ALLOWED
    refusal: Decision | None = None
    for gallery_id in media.gallery_ids:
        gallery = library.containers.get(gallery_id)
        if gallery is None:
            continue
        decision = check_view(library, viewer, gallery, now)
        if decision.allowed:
            return decision
        refusal = _stronger(refusal, decision)
    return refusal or Decision(False, detail=DETAIL_PRIVATE)


def media_listed(library: Library, viewer: Viewer, media: Media, now: datetime) -> bool:
    """Shown in media search: in at least one gallery the viewer would see in a listing."""
    if viewer.is_staff:
        return True
    return any(
        visible_in_listing(library, viewer, library.containers[g], now)
        for g in media.gallery_ids
        if g in library.containers
    )


_RANK = {DETAIL_PRIVATE: 0, DETAIL_PASSWORD: 1, DETAIL_EXPIRED: 2, DETAIL_EXHAUSTED: 3}


def _stronger(current: Decision | None, candidate: Decision) -> Decision:
    """Keep the most specific refusal (limit reached > expired > password required > private)."""
    if current is None:
        return candidate
    return candidate if _RANK.get(candidate.detail or "", 0) > _RANK.get(current.detail or "", 0) else current


def download_decision(
    library: Library, viewer: Viewer, media: Media, now: datetime, gallery_id: str | None = None
) -> tuple[Decision, Container | None]:
    """Pick the gallery a download goes through; prefer ones that need no grant."""
    candidates = [gallery_id] if gallery_id else list(media.gallery_ids)
    refusal: Decision | None = None
    granted: tuple[Decision, Container] | None = None
    for gid in candidates:
        gallery = library.containers.get(gid)
        if gallery is None:
            continue
        decision = check_download(library, viewer, gallery, now)
        if decision.allowed and decision.grant is None:
            return decision, gallery
        if decision.allowed and granted is None:
            granted = (decision, gallery)
        elif not decision.allowed:
            refusal = _stronger(refusal, decision)
    if granted is not None:
        return granted
    return refusal or Decision(False, detail=DETAIL_PRIVATE), None
