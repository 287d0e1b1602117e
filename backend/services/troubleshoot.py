"""Flow 3: resolve a customer's PhotoShelter link or id to its live status and say why access fails.

The link is only parsed, never fetched (no request goes to a URL a customer supplied). Ids are
looked up through the tenant's PhotoShelter client; the backend signs in as library staff, so it
can compare a link's password or token with the live grants without ever returning them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from backend.photoshelter.models import Container, Grant, Permissions
from backend.services.access import AccessStatus, container_access
from backend.services.catalog import Catalog
from backend.services.dates import human_date
from backend.services.errors import InvalidInputError
from backend.vendor_http import UpstreamNotFoundError

ID_PATTERN = r"(?:G0000|C0000|I0000)[A-Za-z0-9._]{11}"
BARE_ID_RE = re.compile(rf"^{ID_PATTERN}$")
SEGMENT_ID_RE = re.compile(rf"^(?:g=)?({ID_PATTERN})(?:\.[A-Za-z0-9]+)?$")
MAX_INPUT_LENGTH = 2048

KIND_BY_PREFIX = {"G": "gallery", "C": "collection", "I": "media"}

ADVICE = {
    "ok": "The link works. If the customer still cannot open it, ask for a screenshot of the error.",
    "not_found": "Check the link for typos, or find the asset by name and share a fresh link.",
    "private": "Share it explicitly (a new expiring share) or ask the library team to change its visibility.",
    "expired": "Issue a fresh share with a new expiry date.",
    "revoked": "The access this link relied on was removed; issue a fresh share if the customer is entitled.",
    "password_required": "The customer needs the gallery password; share a fresh link instead.",
    "wrong_password": "The password in the link no longer matches; issue a fresh share.",
    "permission_required": "The customer must be invited or use a share link; issue a fresh share.",
    "download_limit": "The download limit is used up; issue a fresh share with a new limit.",
}


@dataclass(frozen=True)
class Reference:
    """What a pasted link or id points at, plus any credentials it carries."""

    kind: str
    id: str
    gallery_id: str | None = None
    password: str | None = None
    token: str | None = None


def parse_reference(text: str) -> Reference:
    """Parse a PhotoShelter id or URL (site, gallery, collection, image or CDN shapes)."""
    value = (text or "").strip()
    if not value:
        raise InvalidInputError("Paste a PhotoShelter link or id.")
    if len(value) > MAX_INPUT_LENGTH:
        raise InvalidInputError(f"That is longer than {MAX_INPUT_LENGTH} characters; paste just the link.")
    if BARE_ID_RE.match(value):
        return Reference(KIND_BY_PREFIX[value[0]], value)
    url = value if "://" in value else f"https://{value}"
    parts = urlsplit(url)
    ids: list[str] = []
    for segment in unquote(parts.path).split("/"):
        match = SEGMENT_ID_RE.match(segment)
        if match:
            ids.append(match.group(1))
    if not ids:
        raise InvalidInputError(
            "That does not look like a PhotoShelter link: no gallery, collection or image id in it.",
            {"input": value[:200]},
        )
    query = parse_qs(parts.query)
    password = (query.get("password") or [None])[0]
    token = (query.get("token") or query.get("access_token") or [None])[0]
    media = [i for i in ids if i.startswith("I")]
    galleries = [i for i in ids if i.startswith("G")]
    if media:
        return Reference("media", media[0], galleries[0] if galleries else None, password, token)
    if galleries:
        return Reference("gallery", galleries[0], None, password, token)
    return Reference("collection", ids[0], None, password, token)


class Troubleshooter:
    """Explain why a reference does or does not give a customer access."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self.ps = catalog.ps

    def diagnose(self, text: str) -> dict[str, Any]:
        """Return the live status of what `text` points at and the reason access fails, if it does."""
        ref = parse_reference(text)
        try:
            if ref.kind == "media":
                return self._media(ref)
            return self._container(ref)
        except UpstreamNotFoundError:
            return _verdict(
                ref, "not_found", "Nothing in the library has this id: it was deleted or mistyped."
            )

    def _container(self, ref: Reference) -> dict[str, Any]:
        if ref.kind == "gallery":
            container = self.ps.gallery(ref.id, include=("key-image",))
            permissions = self.ps.gallery_permissions(ref.id)
        else:
            container = self.ps.collection(ref.id, include=("key-image",))
            permissions = self.ps.collection_permissions(ref.id)
        return self._judge(ref, container, permissions, item=None)

    def _media(self, ref: Reference) -> dict[str, Any]:
        media = self.ps.media(ref.id)
        galleries = self.ps.media_galleries(ref.id)
        if ref.gallery_id:
            galleries = [g for g in galleries if g.id == ref.gallery_id] or galleries
        if not galleries:
            status = AccessStatus(
                "private", "This image is not in any gallery: only library staff can see it."
            )
            result = _verdict(ref, "private", status.reason, status)
            result["item"] = self.catalog.media_item(media, status)
            return result
        verdicts = [self._judge(ref, g, self.ps.gallery_permissions(g.id), item=None) for g in galleries]
        best = next((v for v in verdicts if v["works"]), verdicts[0])
        best["item"] = self.catalog.media_item(media, _status_from(best))
        best["kind"], best["id"] = "media", ref.id
        return best

    def _judge(
        self, ref: Reference, container: Container, permissions: Permissions, item: dict | None
    ) -> dict[str, Any]:
        status = container_access(
            container, permissions, self.catalog.now, self.catalog.options.expiring_soon_days
        )
        cause, reason = _cause(ref, status, permissions.grants, self.catalog.now)
        result = _verdict(ref, cause, reason, status)
        result["item"] = item or self.catalog.container_item(container, status)
        result["container"] = {"id": container.id, "kind": result["item"]["kind"], "name": container.name}
        return result


def _cause(ref: Reference, status: AccessStatus, grants: list[Grant], now) -> tuple[str, str]:
    if status.status in {"public", "public_unlisted"}:
        return "ok", status.reason
    if status.status == "private":
        return "private", status.reason
    credential = ref.password or ref.token
    if credential:
        matching = [g for g in grants if credential in {g.password, g.token}]
        if not matching:
            if ref.password:
                return "wrong_password", "The password in this link does not match any current grant."
            return "revoked", "The access token in this link was revoked: no grant carries it any more."
        live = [g for g in matching if g.expires is None or g.expires > now]
        if not live:
            last = max(g.expires for g in matching if g.expires)
            return "expired", f"The access this link uses expired on {human_date(last)}."
        if all(g.downloads_left == 0 for g in live):
            return "download_limit", "The link opens the gallery, but its download limit has been reached."
        return "ok", "The link carries a valid credential: it works for anyone who has it."
    if status.expired:
        return "expired", status.reason
    if status.downloads_left == 0:
        return "download_limit", status.reason
    if status.status == "password":
        return "password_required", "This needs a password the customer may not have: " + status.reason
    return "permission_required", "Only invited people can open this. " + status.reason


def _verdict(ref: Reference, cause: str, reason: str, status: AccessStatus | None = None) -> dict[str, Any]:
    return {
        "kind": ref.kind,
        "id": ref.id,
        "found": cause != "not_found",
        "works": cause == "ok",
        "cause": cause,
        "reason": reason,
        "advice": ADVICE[cause],
        "access": status.to_dict() if status else None,
        "item": None,
        "container": None,
    }


def _status_from(verdict: dict[str, Any]) -> AccessStatus:
    return (
        AccessStatus(**verdict["access"])
        if verdict.get("access")
        else AccessStatus("private", verdict["reason"])
    )
