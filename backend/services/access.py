"""Access status: what a gallery, collection or media item's permissions mean for a customer.

Turns PhotoShelter's mode + grants into one status the sidebar can show directly (`public`,
`public_unlisted`, `password`, `restricted`, `private`) plus expiry, download limits and a
plain-language reason. Pure functions: no I/O, the clock is passed in.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from backend.photoshelter.models import Container, Grant, Permissions
from backend.services.dates import human_date

# Most open first: a media item is as reachable as the most open gallery holding it.
STATUS_ORDER = ["public", "public_unlisted", "password", "restricted", "private"]


@dataclass(frozen=True)
class AccessStatus:
    """The computed access state of one asset or container."""

    status: str
    reason: str
    expires_at: datetime | None = None
    expiring_soon: bool = False
    expired: bool = False
    downloads_left: int | None = None
    inherited_from: str | None = None
    via_gallery_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for serialisation."""
        return asdict(self)

    @property
    def usable(self) -> bool:
        """Whether a customer can still get in (not expired, not private, downloads left)."""
        return self.status != "private" and not self.expired and self.downloads_left != 0


def container_access(
    container: Container, permissions: Permissions | None, now: datetime, expiring_soon_days: int
) -> AccessStatus:
    """Compute the status of a gallery or collection from its mode and grants."""
    mode = permissions.mode if permissions else container.effective_mode
    noun = "collection" if container.type == "collection" else "gallery"
    inherited_from = None
    if permissions and permissions.access_inherit and permissions.inherited:
        inherited_from = permissions.inherited[0].collection_id
    if mode == "everyone":
        if container.is_listed:
            return AccessStatus("public", f"Anyone can view this {noun}.", inherited_from=inherited_from)
        return AccessStatus(
            "public_unlisted",
            f"Anyone with the link can view this {noun}; it is not listed on the site.",
            inherited_from=inherited_from,
        )
    if mode != "permission":
        return AccessStatus(
            "private",
            f"This {noun} is private: only library staff can see it.",
            inherited_from=inherited_from,
        )
    grants = permissions.grants if permissions else []
    return _permission_access(grants, noun, now, expiring_soon_days, inherited_from)


def _permission_access(
    grants: list[Grant], noun: str, now: datetime, expiring_soon_days: int, inherited_from: str | None
) -> AccessStatus:
    live = [g for g in grants if g.expires is None or g.expires > now]
    considered = live or grants
    status = "password" if any(g.type == "password" for g in considered) else "restricted"
    how = "a password" if status == "password" else "an invitation or access token"
    if not grants:
        return AccessStatus(
            "restricted",
            f"This {noun} needs permission and no one has been granted access yet.",
            inherited_from=inherited_from,
        )
    if not live:
        last = max(g.expires for g in grants if g.expires)
        return AccessStatus(
            status,
            f"Access expired on {human_date(last)}: every grant on this {noun} has expired.",
            expires_at=last,
            expired=True,
            downloads_left=_downloads_left(grants),
            inherited_from=inherited_from,
        )
    expires_at = None if any(g.expires is None for g in live) else max(g.expires for g in live if g.expires)
    expiring_soon = expires_at is not None and expires_at - now <= timedelta(days=expiring_soon_days)
    downloads_left = _downloads_left(live)
    if downloads_left == 0:
        reason = f"Viewing needs {how}, and the download limit has been reached."
    elif expires_at is not None:
        reason = f"Viewing needs {how}; access ends on {human_date(expires_at)}."
    else:
        reason = f"Viewing needs {how}."
    if inherited_from:
        reason += " Permissions are inherited from the parent collection."
    return AccessStatus(
        status,
        reason,
        expires_at=expires_at,
        expiring_soon=expiring_soon,
        downloads_left=downloads_left,
        inherited_from=inherited_from,
    )


def _downloads_left(grants: list[Grant]) -> int | None:
    """The best a recipient can do: None when any grant is unlimited, else the largest remainder."""
    remainders = [g.downloads_left for g in grants]
    if not remainders or any(r is None for r in remainders):
        return None
    return max(r for r in remainders if r is not None)


def media_access(gallery_statuses: dict[str, AccessStatus]) -> AccessStatus:
    """A media item is as reachable as the most open, still usable gallery that holds it."""
    if not gallery_statuses:
        return AccessStatus("private", "This image is not in any gallery: only library staff can see it.")

    def rank(item: tuple[str, AccessStatus]) -> tuple[int, int]:
        status = item[1]
        return (0 if status.usable else 1, STATUS_ORDER.index(status.status))

    gallery_id, best = min(gallery_statuses.items(), key=rank)
    return AccessStatus(
        status=best.status,
        reason=best.reason.replace("this gallery", "its gallery").replace("This gallery", "Its gallery"),
        expires_at=best.expires_at,
        expiring_soon=best.expiring_soon,
        expired=best.expired,
        downloads_left=best.downloads_left,
        inherited_from=best.inherited_from,
        via_gallery_id=gallery_id,
    )
