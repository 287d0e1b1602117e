"""Flows 1 and 7 (write side): attach images to a ticket, share a gallery or selection as an
expiring tracked link, revoke it, and list what a ticket received.

Every step is recorded before the next one starts (delivery row, upload tokens, share grant), so a
failure leaves a record that says how far it got; a failed attachment deletes its orphan uploads,
and a comment write that may have landed is looked up by its reference before being repeated.
Every state change appends an audit event.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from backend.photoshelter.client import PhotoShelterClient
from backend.photoshelter.models import Media, MediaDownload
from backend.services import notes
from backend.services.catalog import fan_out
from backend.services.errors import NotFoundError, ServiceError
from backend.store import audit, deliveries, shares
from backend.store.models import AuditOutcome, Delivery, DeliveryKind, DeliveryStatus, ShareGrant
from backend.store.session import session_scope
from backend.vendor_http import UpstreamError, UpstreamUnavailableError
from backend.zendesk.client import ZendeskClient

MAX_ITEMS = 50
DOWNLOAD_WINDOW = 4  # files fetched ahead of the uploads (bounds memory: 4 x the attachment limit)
CREDENTIAL_BYTES = 18  # 24 URL-safe characters: fits PhotoShelter's 32-character token limit


class DeliveryFailedError(ServiceError):
    """A delivery could not be completed; it is recorded as failed and can be retried."""

    code = "delivery_failed"


class ConflictError(ServiceError):
    """The request conflicts with the current state (e.g. retrying a delivery that succeeded)."""

    code = "conflict"


@dataclass(frozen=True)
class DeliveryOptions:
    """Limits and defaults of the delivery flows."""

    public_url: str
    attachment_limit_bytes: int = 7 * 1024 * 1024
    rendition_long_edge: int = 2048
    default_share_days: int = 14
    max_share_days: int = 90
    expiring_soon_days: int = 7
    workers: int = 8


@dataclass(frozen=True)
class Caller:
    """Who asks: the tenant row and the agent the JWT asserts."""

    tenant_id: int
    agent_id: str | None

    @property
    def actor(self) -> str:
        """The audit actor string (asserted identity)."""
        return audit.agent_actor(self.agent_id or "unknown")


class DeliveryService:
    """Attach, share, revoke and list deliveries for one tenant."""

    def __init__(
        self,
        ps: PhotoShelterClient,
        zd: ZendeskClient,
        sessions: sessionmaker[Session],
        options: DeliveryOptions,
        now: datetime,
    ):
        self.ps = ps
        self.zd = zd
        self.sessions = sessions
        self.options = options
        self.now = now

    # -- attach -----------------------------------------------------------------------------------

    def attach(
        self, caller: Caller, ticket_id: int, media_ids: Sequence[str], *, public: bool, note: str
    ) -> dict[str, Any]:
        """Upload the images to Zendesk and add one comment carrying all of them."""
        media_ids = _unique(media_ids)
        media = self._load_media(media_ids)
        with session_scope(self.sessions) as session:
            delivery = deliveries.create_delivery(
                session,
                tenant_id=caller.tenant_id,
                ticket_id=ticket_id,
                kind=DeliveryKind.ATTACHMENT,
                media_ids=media_ids,
                public=public,
                note=note,
                asserted_agent_id=caller.agent_id,
                status=DeliveryStatus.UPLOADING,
            )
        return self._run_attachment(caller, delivery, media)

    def _run_attachment(
        self, caller: Caller, delivery: Delivery, media: list[Media] | None = None
    ) -> dict[str, Any]:
        try:
            media = media or self._load_media(delivery.media_ids)
            attached, too_big, token = self._upload_all(delivery, media)
            share = None
            if too_big:
                share = self._grant_link(caller, delivery, selection=[m.id for m in too_big])
            html = notes.attachment_note(
                delivery.public_id,
                [m.file_name for m in attached],
                delivery.note,
                self._link(share) if share else None,
                [m.file_name for m in too_big],
                share.expires_at if share else None,
            )
            self._comment_once(delivery, html, public=delivery.public, uploads=[token] if token else [])
        except (UpstreamError, NotFoundError) as exc:
            self._discard_uploads(delivery)
            raise self._failed(caller, delivery, "attachment.failed", exc) from None
        with session_scope(self.sessions) as session:
            row = self._reload(session, delivery)
            deliveries.mark_delivered(session, row, zendesk_comment_id=None, fallback_to_link=bool(too_big))
            _audit(
                session,
                caller,
                action="attachment.created",
                target=f"ticket:{row.ticket_id}",
                ticket_id=row.ticket_id,
                details={
                    "delivery": row.public_id,
                    "media_ids": row.media_ids,
                    "public": row.public,
                    "linked_instead": [m.id for m in too_big],
                },
            )
            return self.delivery_item(row)

    def _load_media(self, media_ids: list[str]) -> list[Media]:
        """The media records, in order; NotFoundError naming any id the library does not have."""
        found = fan_out(self.ps.media, media_ids, self.options.workers)
        missing = [m for m in media_ids if m not in found]
        if missing:
            raise NotFoundError(f"Not in the library: {', '.join(missing)}", {"missing": missing})
        return [found[m] for m in media_ids]

    def _upload_all(
        self, delivery: Delivery, media: list[Media]
    ) -> tuple[list[Media], list[Media], str | None]:
        """Upload what fits under the limit (original, else a rendition); return the rest.

        Downloads run a few at a time ahead of the uploads, which stay in order because every
        upload after the first carries the first one's token; the window bounds memory.
        """
        attached: list[Media] = []
        too_big: list[Media] = []
        token: str | None = None
        with ThreadPoolExecutor(max_workers=DOWNLOAD_WINDOW) as pool:
            for start in range(0, len(media), DOWNLOAD_WINDOW):
                batch = media[start : start + DOWNLOAD_WINDOW]
                for item, payload in zip(batch, pool.map(self._fetch_within_limit, batch), strict=True):
                    if payload is None:
                        too_big.append(item)
                        continue
                    data, content_type = payload
                    upload = self.zd.upload(_jpeg_name(item.file_name), data, content_type, token=token)
                    if token is None:
                        token = upload.token
                        with session_scope(self.sessions) as session:
                            deliveries.add_upload_tokens(session, self._reload(session, delivery), [token])
                        delivery.upload_tokens = [token]
                    attached.append(item)
        return attached, too_big, token

    def _fetch_within_limit(self, item: Media) -> tuple[bytes, str] | None:
        limit = self.options.attachment_limit_bytes
        if item.file_size and item.file_size <= limit:
            data = _read_capped(self.ps.media_download(item.id), limit)
            if data is not None:
                return data, "image/jpeg"
        rendition = self.ps.media_download(
            item.id, filetype="jpeg", image_size=self.options.rendition_long_edge
        )
        data = _read_capped(rendition, limit)
        return (data, "image/jpeg") if data is not None else None

    def _discard_uploads(self, delivery: Delivery) -> None:
        """Delete uploads no comment consumed, so a failed attempt leaves nothing behind."""
        for token in delivery.upload_tokens:
            try:
                self.zd.delete_upload(token)
            except UpstreamError:
                pass  # unused uploads expire on their own within the hour

    # -- share ------------------------------------------------------------------------------------

    def share(
        self,
        caller: Caller,
        ticket_id: int,
        *,
        gallery_id: str | None,
        media_ids: Sequence[str],
        recipients: Sequence[str],
        expires_in_days: int | None,
        allow_download: bool,
        max_downloads: int | None,
        note: str,
        post_note: bool,
    ) -> dict[str, Any]:
        """Create an expiring grant and a tracked link; post it as an internal note or return HTML."""
        days = expires_in_days or self.options.default_share_days
        if days > self.options.max_share_days:
            raise ConflictError(f"Shares may last at most {self.options.max_share_days} days.")
        media_ids = _unique(media_ids)
        if media_ids:
            self._load_media(media_ids)
        recipients = list(recipients) or self._requester_email(ticket_id)
        with session_scope(self.sessions) as session:
            delivery = deliveries.create_delivery(
                session,
                tenant_id=caller.tenant_id,
                ticket_id=ticket_id,
                kind=DeliveryKind.SHARE,
                media_ids=media_ids,
                gallery_id=gallery_id,
                recipients=recipients,
                public=not post_note,
                note=note,
                asserted_agent_id=caller.agent_id,
                options={"days": days, "allow_download": allow_download, "max_downloads": max_downloads},
            )
        return self._run_share(caller, delivery)

    def _run_share(self, caller: Caller, delivery: Delivery) -> dict[str, Any]:
        """Grant, link and note for a share delivery; resumable (every step checks what exists)."""
        options = delivery.options or {}
        allow_download = bool(options.get("allow_download", True))
        selection = bool(delivery.media_ids)
        try:
            if selection:
                count = len(delivery.media_ids)
                title = f"{count} image{'s' if count != 1 else ''} for ticket #{delivery.ticket_id}"
            else:
                title = self.ps.gallery(delivery.gallery_id).name
            grant = self._grant_link(caller, delivery, **options)
            link = self._link(grant)
            html = notes.share_html(title, link, grant.expires_at, allow_download, delivery.note)
            if not delivery.public:
                note_html = notes.share_note(
                    delivery.public_id,
                    title,
                    link,
                    grant.expires_at,
                    allow_download,
                    delivery.note,
                    delivery.recipients,
                )
                self._comment_once(delivery, note_html, public=False, uploads=[])
        except (UpstreamError, NotFoundError) as exc:
            raise self._failed(caller, delivery, "share.failed", exc) from None
        with session_scope(self.sessions) as session:
            row = self._reload(session, delivery)
            deliveries.mark_delivered(session, row, zendesk_comment_id=None)
            _audit(
                session,
                caller,
                action="share.created",
                target=f"gallery:{grant.container_id}",
                ticket_id=row.ticket_id,
                recipients=row.recipients,
                expires_at=grant.expires_at,
                details={
                    "delivery": row.public_id,
                    "share": grant.public_id,
                    "media_ids": row.media_ids,
                    "allow_download": allow_download,
                    "max_downloads": options.get("max_downloads"),
                    "posted_note": not row.public,
                },
            )
            item = self.delivery_item(row)
        return {**item, "link": link, "title": title, "html": html}

    def _grant_link(
        self,
        caller: Caller,
        delivery: Delivery,
        days: int | None = None,
        allow_download: bool = True,
        max_downloads: int | None = None,
        selection: list[str] | None = None,
    ) -> ShareGrant:
        """The grant behind a delivery's tracked link: reuse what a failed attempt left, else create.

        The link row (with its credential and expiry) is stored before PhotoShelter is asked, so a
        retry completes the same link instead of issuing a second one.
        """
        with session_scope(self.sessions) as session:
            grants = list(self._reload(session, delivery).share_grants)
        done = [g for g in grants if g.photoshelter_grant_id]
        if done:
            return done[0]
        grant = grants[0] if grants else None
        if grant is None:
            selection = delivery.media_ids if selection is None else selection
            container_id = delivery.gallery_id or self._delivery_gallery(delivery, selection)
            with session_scope(self.sessions) as session:
                row = self._reload(session, delivery)
                grant = shares.create_grant(
                    session,
                    tenant_id=caller.tenant_id,
                    delivery_id=row.id,
                    ticket_id=row.ticket_id,
                    container_id=container_id,
                    credential=secrets.token_urlsafe(CREDENTIAL_BYTES),
                    expires_at=self.now + timedelta(days=days or self.options.default_share_days),
                    media_ids=selection,
                    max_downloads=max_downloads,
                    allow_download=allow_download,
                )
        ps_grant = self.ps.create_gallery_grant(
            grant.container_id,
            kind="token",
            credential=grant.credential,
            expires=grant.expires_at,
            max_downloads=grant.max_downloads,
            allow_download=grant.allow_download,
        )
        with session_scope(self.sessions) as session:
            row = session.merge(grant)
            shares.set_photoshelter_grant(session, row, ps_grant.id)
            return row

    def _delivery_gallery(self, delivery: Delivery, media_ids: list[str]) -> str:
        """A private, unlisted gallery holding a selection, so one grant can cover it."""
        gallery = self.ps.create_gallery(
            f"Ticket #{delivery.ticket_id} delivery {delivery.public_id}",
            mode="permission",
            description="Created by PhotoShelter for Zendesk to share a selection.",
        )
        self.ps.add_gallery_media(gallery.id, media_ids)
        with session_scope(self.sessions) as session:
            deliveries.set_gallery(session, self._reload(session, delivery), gallery.id)
        delivery.gallery_id = gallery.id
        return gallery.id

    def _requester_email(self, ticket_id: int) -> list[str]:
        ticket = self.zd.get_ticket(ticket_id)
        if ticket.requester_id is None:
            return []
        user = self.zd.get_user(ticket.requester_id)
        return [user.email] if user.email else []

    # -- revoke -----------------------------------------------------------------------------------

    def revoke(self, caller: Caller, share_public_id: str) -> dict[str, Any]:
        """Remove the PhotoShelter grant, stop the link, note it on the ticket (idempotent)."""
        with session_scope(self.sessions) as session:
            grant = shares.get_grant(session, caller.tenant_id, share_public_id)
            if grant is None:
                raise NotFoundError("No such share.")
            delivery = grant.delivery
        if grant.photoshelter_grant_id:
            self.ps.delete_gallery_grant(grant.container_id, grant.photoshelter_grant_id)
        with session_scope(self.sessions) as session:
            row = session.merge(grant)
            changed = shares.revoke(session, row, by=caller.actor, now=self.now)
            if changed:
                deliveries.set_status(session, self._reload(session, delivery), DeliveryStatus.REVOKED)
        if changed:
            note_error = None
            try:
                who = f"agent #{caller.agent_id}" if caller.agent_id else "an agent"
                html = notes.revoke_note(delivery.public_id, f"ticket #{grant.ticket_id}", who)
                self.zd.add_comment(grant.ticket_id, html_body=html, public=False)
            except UpstreamError as exc:
                note_error = str(exc)  # the link is revoked either way; the note is best effort
            with session_scope(self.sessions) as session:
                _audit(
                    session,
                    caller,
                    action="share.revoked",
                    target=f"gallery:{grant.container_id}",
                    ticket_id=grant.ticket_id,
                    details={
                        "share": grant.public_id,
                        "delivery": delivery.public_id,
                        "note_error": note_error,
                    },
                )
        with session_scope(self.sessions) as session:
            return self.share_item(shares.get_grant(session, caller.tenant_id, share_public_id))

    # -- retry ------------------------------------------------------------------------------------

    def retry(self, caller: Caller, delivery_public_id: str) -> dict[str, Any]:
        """Run a failed delivery again from where it stopped."""
        with session_scope(self.sessions) as session:
            delivery = deliveries.get_delivery(session, caller.tenant_id, delivery_public_id)
            if delivery is None:
                raise NotFoundError("No such delivery.")
            if delivery.status != DeliveryStatus.FAILED:
                raise ConflictError(f"Only failed deliveries can be retried (this one is {delivery.status}).")
            deliveries.increment_attempts(session, delivery)
            deliveries.set_status(session, delivery, DeliveryStatus.UPLOADING)
            delivery.upload_tokens = []
        if delivery.kind == DeliveryKind.ATTACHMENT:
            return self._run_attachment(caller, delivery)
        return self._run_share(caller, delivery)

    # -- read -------------------------------------------------------------------------------------

    def list_for_ticket(self, caller: Caller, ticket_id: int) -> list[dict[str, Any]]:
        """What this ticket received, newest first, with each link's live status."""
        with session_scope(self.sessions) as session:
            rows = deliveries.list_for_ticket(session, caller.tenant_id, ticket_id)
            items = [self.delivery_item(row) for row in rows]
        live = self._live_grants({s["container_id"] for item in items for s in item["shares"]})
        for item in items:
            for share in item["shares"]:
                ps_grant = live.get(share["container_id"], {}).get(share.pop("photoshelter_grant_id"))
                usable = share["status"] in {"active", "expiring"}
                if usable and share["container_id"] in live and ps_grant is None:
                    share["status"] = "revoked"
                    share["reason"] = "The grant was removed in PhotoShelter."
                if ps_grant is not None and ps_grant.downloads_left is not None:
                    share["downloads_left"] = min(
                        x for x in (share["downloads_left"], ps_grant.downloads_left) if x is not None
                    )
        return items

    def _live_grants(self, container_ids: set[str]) -> dict[str, dict[str, Any]]:
        permissions = fan_out(self.ps.gallery_permissions, sorted(container_ids), self.options.workers)
        return {cid: {g.id: g for g in p.native} for cid, p in permissions.items()}

    def delivery_item(self, row: Delivery) -> dict[str, Any]:
        """A delivery as the API returns it (credentials never included)."""
        return {
            "id": row.public_id,
            "kind": str(row.kind),
            "status": str(row.status),
            "ticket_id": row.ticket_id,
            "media_ids": list(row.media_ids),
            "gallery_id": row.gallery_id,
            "recipients": list(row.recipients),
            "public": row.public,
            "note": row.note,
            "fallback_to_link": row.fallback_to_link,
            "error": {"code": row.error_code, "message": row.error_message} if row.error_code else None,
            "attempts": row.attempts,
            "agent_id": row.asserted_agent_id,
            "created_at": row.created_at,
            "shares": [self.share_item(g) for g in row.share_grants],
        }

    def share_item(self, grant: ShareGrant) -> dict[str, Any]:
        """A share link's state; `status` is active, expiring, expired, revoked or exhausted."""
        reason = grant.denial_reason(self.now)
        soon = grant.expires_at - self.now <= timedelta(days=self.options.expiring_soon_days)
        status = str(reason) if reason else ("expiring" if soon else "active")
        left = None if grant.max_downloads is None else max(grant.max_downloads - grant.downloads, 0)
        return {
            "id": grant.public_id,
            "link": self._link(grant),
            "container_id": grant.container_id,
            "photoshelter_grant_id": grant.photoshelter_grant_id,
            "status": status,
            "reason": None,
            "expires_at": grant.expires_at,
            "max_downloads": grant.max_downloads,
            "downloads": grant.downloads,
            "downloads_left": left if grant.allow_download else 0,
            "allow_download": grant.allow_download,
            "revoked_at": grant.revoked_at,
        }

    # -- shared steps -----------------------------------------------------------------------------

    def _link(self, grant: ShareGrant) -> str:
        return f"{self.options.public_url.rstrip('/')}/l/{grant.public_id}"

    def _comment_once(self, delivery: Delivery, html: str, *, public: bool, uploads: list[str]) -> None:
        """Add the comment; if the write may have landed (timeout, 5xx), look before failing."""
        try:
            self.zd.add_comment(delivery.ticket_id, html_body=html, public=public, uploads=uploads)
        except UpstreamUnavailableError:
            marker = notes.reference_marker(delivery.public_id)
            if not any(
                marker in (c.html_body or c.body) for c in self.zd.ticket_comments(delivery.ticket_id)
            ):
                raise

    def _failed(
        self, caller: Caller, delivery: Delivery, action: str, exc: UpstreamError | ServiceError
    ) -> DeliveryFailedError:
        code = type(exc).__name__.removesuffix("Error").lower()
        service = {"zendesk": "Zendesk"}.get(getattr(exc, "service", None) or "", "PhotoShelter")
        message = f"{service}: {exc.message or exc}"
        with session_scope(self.sessions) as session:
            row = self._reload(session, delivery)
            deliveries.mark_failed(session, row, code=code, message=message)
            _audit(
                session,
                caller,
                action=action,
                target=f"ticket:{row.ticket_id}",
                ticket_id=row.ticket_id,
                outcome=AuditOutcome.FAILED,
                details={"delivery": row.public_id, "error": message},
            )
            details = {"delivery": {"id": row.public_id, "status": str(row.status), "error_code": code}}
        return DeliveryFailedError(
            f"The delivery failed and was recorded; it can be retried. ({message})", details
        )

    @staticmethod
    def _reload(session: Session, delivery: Delivery) -> Delivery:
        row = session.get(Delivery, delivery.id)
        assert row is not None
        return row


def _audit(session: Session, caller: Caller, **event: Any) -> None:
    """Append an audit event on behalf of the caller (identity recorded as asserted)."""
    audit.append(session, tenant_id=caller.tenant_id, actor=caller.actor, **event)


def _unique(values: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _jpeg_name(file_name: str) -> str:
    stem = file_name.rsplit(".", 1)[0] if "." in file_name else file_name
    return f"{stem or 'image'}.jpg"


def _read_capped(download: MediaDownload, limit: int) -> bytes | None:
    """The whole body, or None as soon as it is known to exceed `limit` (connection released)."""
    if download.size is not None and download.size > limit:
        download.close()
        return None
    received = bytearray()
    for chunk in download.chunks():
        received.extend(chunk)
        if len(received) > limit:
            download.close()
            return None
    return bytes(received)
