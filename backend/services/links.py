"""Tracked share links (`/l/<id>`): decide whether a link still opens, count opens and downloads.

The link a customer receives points at the backend, not at PhotoShelter, so the backend can refuse
revoked, expired or exhausted links with an explanation, record every open and download for
analytics, and only then hand over to PhotoShelter with the grant's credential.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from sqlalchemy.orm import Session, sessionmaker

from backend.photoshelter.client import PhotoShelterClient
from backend.photoshelter.models import MediaDownload
from backend.services.dates import human_date
from backend.store import events, shares
from backend.store.models import DenialReason, LinkEventKind, ShareGrant, TenantRow
from backend.store.session import session_scope
from backend.vendor_http import UpstreamNotFoundError

EXPLANATIONS = {
    "not_found": (
        "This link does not exist",
        "Check that the whole link was copied, or ask support for a new one.",
    ),
    "revoked": (
        "This link was withdrawn",
        "Support withdrew access to these images. Reply to your ticket to ask again.",
    ),
    "expired": (
        "This link has expired",
        "Access ended on {expires}. Reply to your ticket and we will send a fresh link.",
    ),
    "exhausted": (
        "The download limit has been reached",
        "Every download this link allowed has been used. Reply to your ticket to ask for more.",
    ),
    "no_download": (
        "Downloads are not included",
        "This link lets you view the images but not download them.",
    ),
}


@dataclass(frozen=True)
class LinkDecision:
    """What to do with a request on a tracked link."""

    ok: bool
    reason: str | None = None
    title: str = ""
    message: str = ""
    redirect_to: str | None = None


class TrackedLinks:
    """Resolve tracked links; `photoshelter_for` gives the PhotoShelter client of a tenant row."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        photoshelter_for: Callable[[TenantRow], PhotoShelterClient | None],
        now: datetime,
    ):
        self.sessions = sessions
        self.photoshelter_for = photoshelter_for
        self.now = now

    def open(self, public_id: str, user_agent: str | None) -> LinkDecision:
        """Check the link and return where to send the visitor (PhotoShelter with the credential)."""
        grant, tenant, refusal = self._check(public_id, user_agent)
        if refusal:
            return refusal
        ps = self.photoshelter_for(tenant)
        try:
            live_ids = {g.id for g in ps.gallery_permissions(grant.container_id).native} if ps else set()
            target = ps.gallery_link(grant.container_id) if ps else None
        except UpstreamNotFoundError:
            return self._deny(grant, "revoked", user_agent)
        if not target or grant.photoshelter_grant_id not in live_ids:
            # Removed in PhotoShelter (by staff or another tool): the credential no longer opens it.
            return self._deny(grant, "revoked", user_agent)
        self._record(grant, LinkEventKind.OPEN, None, user_agent)
        return LinkDecision(True, redirect_to=_with_query(target, {"token": grant.credential}))

    def download(
        self, public_id: str, media_id: str, user_agent: str | None
    ) -> tuple[LinkDecision, MediaDownload | None]:
        """Count one download if the link allows it and stream the file from PhotoShelter."""
        grant, tenant, refusal = self._check(public_id, user_agent)
        if refusal:
            return refusal, None
        if not grant.allow_download:
            return self._deny(grant, "no_download", user_agent), None
        if grant.media_ids and media_id not in grant.media_ids:
            return self._explain("not_found", grant), None
        ps = self.photoshelter_for(tenant)
        with session_scope(self.sessions) as session:
            counted = shares.record_download(session, session.merge(grant), now=self.now)
        if not counted:
            return self._deny(grant, "exhausted", user_agent), None
        download = ps.media_download(media_id, gallery_id=grant.container_id, token=grant.credential)
        self._record(grant, LinkEventKind.DOWNLOAD, None, user_agent)
        return LinkDecision(True), download

    def _check(self, public_id: str, user_agent: str | None) -> tuple[Any, Any, LinkDecision | None]:
        with session_scope(self.sessions) as session:
            grant = shares.resolve_link(session, public_id) if len(public_id) <= 64 else None
            tenant = session.get(TenantRow, grant.tenant_id) if grant else None
        if grant is None:
            return None, None, self._explain("not_found", None)
        reason = grant.denial_reason(self.now)
        if reason is not None:
            return grant, tenant, self._deny(grant, str(reason), user_agent)
        return grant, tenant, None

    def _deny(self, grant: ShareGrant, reason: str, user_agent: str | None) -> LinkDecision:
        stored = DenialReason(reason) if reason in DenialReason._value2member_map_ else None
        self._record(grant, LinkEventKind.DENIED, stored, user_agent)
        return self._explain(reason, grant)

    def _record(
        self, grant: ShareGrant, kind: LinkEventKind, reason: DenialReason | None, user_agent: str | None
    ) -> None:
        with session_scope(self.sessions) as session:
            events.record_event(
                session,
                tenant_id=grant.tenant_id,
                share_grant_id=grant.id,
                kind=kind,
                reason=reason,
                user_agent=user_agent,
            )

    @staticmethod
    def _explain(reason: str, grant: ShareGrant | None) -> LinkDecision:
        title, message = EXPLANATIONS[reason]
        expires = human_date(grant.expires_at) if grant else ""
        return LinkDecision(False, reason, title, message.format(expires=expires))


def _with_query(url: str, params: dict[str, str]) -> str:
    parts = urlsplit(url)
    query = "&".join(filter(None, [parts.query, urlencode(params)]))
    return urlunsplit(parts._replace(query=query))
