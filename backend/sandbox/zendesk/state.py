"""Mutable state of one Zendesk simulator: the account's records, uploads, idempotency keys,
the per-minute rate budget and the fault switches, plus the write operations on them.

One `ZendeskState` lives in `app.extensions["zendesk_simulator"]`. Every read and write happens
under its re-entrant `lock` (the dev server is threaded); write operations validate everything
first and only then mutate, so a refused request changes nothing.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import math
import mimetypes
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import current_app

from ..faults import CommonFaultSettings, make_rng
from . import seed
from .errors import ZendeskApiError, bad_request, not_found, record_invalid, update_conflict
from .markup import html_to_text, sanitize_html, text_to_html
from .models import (
    AttachmentRecord,
    CommentRecord,
    IdempotencyRecord,
    OrganizationRecord,
    TicketRecord,
    UploadRecord,
    UserRecord,
)

EXTENSION_KEY = "zendesk_simulator"

PRIORITIES = ("low", "normal", "high", "urgent")
STATUSES = ("new", "open", "pending", "hold", "solved", "closed")
TYPES = ("problem", "incident", "question", "task")
MAX_IDEMPOTENCY_KEY = 255
MAX_PER_PAGE = 100

DEFAULTS: dict[str, Any] = {
    "email": seed.DEMO_EMAIL,
    "api_token": seed.DEMO_API_TOKEN,
    "oauth_token": seed.DEMO_OAUTH_TOKEN,
    "rate_limit_per_minute": 700,
    "upload_ttl_seconds": 3600,
    "idempotency_ttl_seconds": 7200,
    "max_upload_bytes": 50 * 1024 * 1024,
    "seed": 1,
}

#: Values of `safe_update` that switch it on (Zendesk's examples send the string "true").
_TRUTHY = (True, "true", "1", 1)


def _utc_now() -> datetime:
    return datetime.now(UTC)


def parse_stamp(value: Any) -> datetime | None:
    """Parse an ISO 8601 timestamp into an aware UTC datetime (None when unparseable)."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def normalise_tags(value: Any, field: str = "tags") -> list[str]:
    """Zendesk's tag rules: lower case, whitespace splits a string into several tags, no repeats."""
    if value is None:
        return []
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        raise record_invalid(field, "Tags: must be a list of strings")
    out: list[str] = []
    for item in items:
        for part in item.split():
            tag = part.strip().lower()
            if tag and tag not in out:
                out.append(tag)
    return out


@dataclass
class FaultSettings(CommonFaultSettings):
    """Switches set through `/_faults`: the shared ones plus this simulator's rate limit."""

    rate_limit_per_minute: int = 700


@dataclass(frozen=True)
class RateDecision:
    """Outcome of charging one request to the per-minute budget."""

    allowed: bool
    limit: int
    remaining: int
    retry_after: int


@dataclass
class Audit:
    """One ticket audit: who changed what; comment events carry the comment id."""

    id: int
    ticket_id: int
    author_id: int
    created_at: datetime
    events: list[dict[str, Any]]


class ZendeskState:
    """Everything one simulator instance remembers between requests (see the module docstring)."""

    def __init__(self, config: Mapping[str, Any] | None = None) -> None:
        cfg = {**DEFAULTS, **dict(config or {})}
        self.config = cfg
        self.now: Callable[[], datetime] = cfg.get("now") or _utc_now
        self.sleep: Callable[[float], None] = cfg.get("sleep") or time.sleep
        self.email = str(cfg["email"])
        self.api_token = str(cfg["api_token"])
        self.oauth_token = str(cfg["oauth_token"])
        self.upload_ttl = timedelta(seconds=float(cfg["upload_ttl_seconds"]))
        self.idempotency_ttl = timedelta(seconds=float(cfg["idempotency_ttl_seconds"]))
        self.max_upload_bytes = int(cfg["max_upload_bytes"])
        self.gallery_links: dict[str, str] = dict(cfg.get("gallery_links") or {})
        self.links_base_url: str | None = cfg.get("links_base_url")
        self.seed = int(cfg["seed"])
        self.lock = threading.RLock()
        self.users, self.organizations, self.tickets = seed.build_account(self.current_time())
        self.users[seed.DEMO_AGENT_ID].email = self.email  # the API user is whoever `email` names
        self.attachments: dict[int, AttachmentRecord] = {}
        self.uploads: dict[str, UploadRecord] = {}
        self.idempotency: dict[str, IdempotencyRecord] = {}
        self.audits: dict[int, Audit] = {}
        self._next_ticket = max(self.tickets, default=100) + 1
        self._next_user = 20001
        self._next_comment = 50001
        self._next_attachment = 80001
        self._next_audit = 90001
        self._next_event = 100001
        self.faults = self.default_faults()
        self.fault_rng = make_rng(None, self.seed)
        self._window = -1
        self._used = 0

    # ----------------------------------------------------------------- time, faults, rate

    def current_time(self) -> datetime:
        """The configured clock as an aware UTC datetime, to the second (Zendesk's precision)."""
        return self.now().astimezone(UTC).replace(microsecond=0)

    def default_faults(self) -> FaultSettings:
        """Fault switches as configured at start (all off)."""
        return FaultSettings(rate_limit_per_minute=int(self.config["rate_limit_per_minute"]))

    def reset_rate_window(self) -> None:
        """Forget the requests counted in the current minute."""
        with self.lock:
            self._window, self._used = -1, 0

    def charge_request(self) -> RateDecision:
        """Count one API request against the per-minute budget (fixed one-minute windows)."""
        with self.lock:
            limit = self.faults.rate_limit_per_minute
            stamp = self.now().timestamp()
            window = int(stamp // 60)
            if window != self._window:
                self._window, self._used = window, 0
            retry_after = max(1, math.ceil((window + 1) * 60 - stamp))
            if self._used >= limit:
                return RateDecision(False, limit, 0, retry_after)
            self._used += 1
            return RateDecision(True, limit, limit - self._used, retry_after)

    def rate_snapshot(self) -> tuple[int, int]:
        """(limit, remaining) of the current minute, for the `X-Rate-Limit*` headers."""
        with self.lock:
            limit = self.faults.rate_limit_per_minute
            window = int(self.now().timestamp() // 60)
            used = self._used if window == self._window else 0
            return limit, max(0, limit - used)

    # ----------------------------------------------------------------- ids

    def _id(self, counter: str) -> int:
        value = getattr(self, counter)
        setattr(self, counter, value + 1)
        return int(value)

    # ----------------------------------------------------------------- auth

    def authenticate(self, authorization: str | None) -> UserRecord | None:
        """The user of an `Authorization` header (Basic `{email}/token:{token}` or Bearer)."""
        if not authorization:
            return None
        scheme, _, value = authorization.strip().partition(" ")
        value = value.strip()
        ok = False
        if scheme.lower() == "bearer" and value:
            ok = hmac.compare_digest(value.encode(), self.oauth_token.encode())
        elif scheme.lower() == "basic" and value:
            try:
                decoded = base64.b64decode(value, validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                return None
            user, _, password = decoded.partition(":")
            expected_user = f"{self.email}/token".lower()
            ok = hmac.compare_digest(user.lower().encode(), expected_user.encode()) and hmac.compare_digest(
                password.encode(), self.api_token.encode()
            )
        return self.users[seed.DEMO_AGENT_ID] if ok else None

    def user_by_email(self, email: str) -> UserRecord | None:
        """The user with this e-mail (case-insensitive)."""
        wanted = email.strip().lower()
        with self.lock:
            return next((u for u in self.users.values() if (u.email or "").lower() == wanted), None)

    # ----------------------------------------------------------------- lookups

    def ticket(self, ticket_id: int) -> TicketRecord:
        """A ticket or 404."""
        ticket = self.tickets.get(ticket_id)
        if ticket is None:
            raise not_found()
        return ticket

    def user(self, user_id: int) -> UserRecord:
        """A user or 404."""
        user = self.users.get(user_id)
        if user is None:
            raise not_found()
        return user

    def organization(self, organization_id: int) -> OrganizationRecord:
        """An organization or 404."""
        org = self.organizations.get(organization_id)
        if org is None:
            raise not_found()
        return org

    def attachment(self, attachment_id: int) -> AttachmentRecord:
        """A stored file or 404 (files of expired uploads are gone)."""
        with self.lock:
            self.purge_expired_uploads()
            record = self.attachments.get(attachment_id)
        if record is None:
            raise not_found()
        return record

    # ----------------------------------------------------------------- uploads

    def purge_expired_uploads(self) -> None:
        """Delete unused uploads whose token expired, with their files."""
        now = self.current_time()
        with self.lock:
            for token in [t for t, u in self.uploads.items() if u.expires_at <= now]:
                self._drop_upload(token)

    def _drop_upload(self, token: str) -> None:
        upload = self.uploads.pop(token)
        for attachment_id in upload.attachment_ids:
            self.attachments.pop(attachment_id, None)

    def add_upload(
        self, filename: str, data: bytes, content_type: str | None, token: str | None
    ) -> tuple[UploadRecord, AttachmentRecord]:
        """Store one file under a new token, or append it to an existing unexpired `token`."""
        name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
        if not name:
            raise record_invalid("filename", "Filename: cannot be blank", "BlankValue")
        if not data:
            raise record_invalid("base", "Uploaded file is empty", "BlankValue")
        if len(data) > self.max_upload_bytes:
            raise ZendeskApiError(
                413, "RequestEntityTooLarge", f"File size exceeds the {self.max_upload_bytes} byte limit"
            )
        kind = (content_type or "").split(";", 1)[0].strip().lower()
        if not kind or kind in ("application/octet-stream", "application/x-www-form-urlencoded"):
            kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        now = self.current_time()
        with self.lock:
            self.purge_expired_uploads()
            if token:
                upload = self.uploads.get(token)
                if upload is None:
                    raise record_invalid("token", "Token: is invalid or has expired", "InvalidValue")
            else:
                upload = UploadRecord(
                    token=secrets.token_urlsafe(18),
                    attachment_ids=[],
                    created_at=now,
                    expires_at=now + self.upload_ttl,
                )
                self.uploads[upload.token] = upload
            attachment = AttachmentRecord(
                id=self._id("_next_attachment"),
                file_name=name,
                content_type=kind,
                data=bytes(data),
                created_at=now,
            )
            self.attachments[attachment.id] = attachment
            upload.attachment_ids.append(attachment.id)
            return upload, attachment

    def delete_upload(self, token: str) -> None:
        """Discard an unused token and its files; 404 when unknown or expired."""
        with self.lock:
            self.purge_expired_uploads()
            if token not in self.uploads:
                raise not_found()
            self._drop_upload(token)

    # ----------------------------------------------------------------- comments

    def _prepare_comment(
        self, raw: Any, actor: UserRecord, public_default: bool
    ) -> tuple[CommentRecord, list[str]]:
        """Validate a `comment` object; returns an unsaved comment and the upload tokens to use."""
        if not isinstance(raw, dict):
            raise record_invalid("comment", "Comment: must be an object")
        html_body, body = raw.get("html_body"), raw.get("body")
        if isinstance(html_body, str) and html_body.strip():
            markup = sanitize_html(html_body)
            text = html_to_text(markup)
        elif isinstance(body, str) and body.strip():
            text, markup = body, text_to_html(body)
        else:
            raise record_invalid("base", "Comment: cannot be blank", "BlankValue")
        public = raw.get("public", public_default)
        if not isinstance(public, bool):
            raise record_invalid("public", "Public: must be true or false")
        author_id = raw.get("author_id", actor.id)
        if isinstance(author_id, bool) or not isinstance(author_id, int) or author_id not in self.users:
            raise record_invalid("author_id", "Author: is invalid")
        tokens = raw.get("uploads") or []
        if isinstance(tokens, str):
            tokens = [tokens]
        if not isinstance(tokens, list) or not all(isinstance(t, str) for t in tokens):
            raise record_invalid("uploads", "Uploads: must be a list of upload tokens")
        self.purge_expired_uploads()
        for token in tokens:
            if token not in self.uploads:
                raise record_invalid("uploads", f"Upload token {token!r} is invalid or has expired")
        comment = CommentRecord(
            id=0,
            author_id=author_id,
            body=text,
            html_body=markup,
            public=public,
            created_at=self.current_time(),
            channel="api",
        )
        return comment, list(dict.fromkeys(tokens))

    def _save_comment(self, ticket: TicketRecord, comment: CommentRecord, tokens: list[str]) -> None:
        """Give the comment an id, attach (and consume) the uploads, append it to the ticket."""
        comment.id = self._id("_next_comment")
        for token in tokens:
            upload = self.uploads.pop(token)
            comment.attachment_ids.extend(upload.attachment_ids)
        ticket.comments.append(comment)

    # ----------------------------------------------------------------- tickets

    def _touch(self, ticket: TicketRecord) -> None:
        """Advance `updated_at`, strictly (so every change invalidates older stamps)."""
        now = self.current_time()
        ticket.updated_at = max(now, ticket.updated_at + timedelta(seconds=1))

    @staticmethod
    def check_stamp(ticket: TicketRecord, payload: Mapping[str, Any]) -> None:
        """Safe update: `updated_stamp` must equal the ticket's `updated_at` (else 409)."""
        if payload.get("safe_update") not in _TRUTHY:
            return
        stamp = payload.get("updated_stamp")
        if stamp in (None, ""):
            raise record_invalid("updated_stamp", "Updated stamp: is required for a safe update")
        moment = parse_stamp(stamp)
        if moment is None:
            raise record_invalid("updated_stamp", "Updated stamp: is not a valid timestamp")
        if moment != ticket.updated_at:
            raise update_conflict()

    def _event(self, kind: str, **fields: Any) -> dict[str, Any]:
        return {"id": self._id("_next_event"), "type": kind, **fields}

    def _field_changes(self, ticket: TicketRecord, payload: Mapping[str, Any]) -> dict[str, Any]:
        """Validate the settable properties of an update/create payload; returns name → value."""
        changes: dict[str, Any] = {}
        if "subject" in payload:
            if not isinstance(payload["subject"], str | None):
                raise record_invalid("subject", "Subject: must be a string")
            changes["subject"] = payload["subject"]
        for name, allowed in (("status", STATUSES), ("priority", PRIORITIES), ("type", TYPES)):
            if name in payload:
                value = payload[name]
                if value in (None, "") and name != "status":
                    changes[name] = None
                elif value not in allowed:
                    raise record_invalid(name, f"{name.title()}: {value!r} is not valid")
                else:
                    changes[name] = value
        for name, table in (("requester_id", self.users), ("assignee_id", self.users)):
            if name in payload:
                value = payload[name]
                if value is None and name == "assignee_id":
                    changes[name] = None
                elif isinstance(value, bool) or not isinstance(value, int) or value not in table:
                    raise record_invalid(name, f"{name}: is invalid")
                else:
                    changes[name] = value
        if "organization_id" in payload:
            value = payload["organization_id"]
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int) or value not in self.organizations
            ):
                raise record_invalid("organization_id", "Organization: is invalid")
            changes["organization_id"] = value
        if "external_id" in payload:
            value = payload["external_id"]
            if value is not None and not isinstance(value, str | int):
                raise record_invalid("external_id", "External id: must be a string")
            changes["external_id"] = None if value is None else str(value)
        if "tags" in payload:
            changes["tags"] = normalise_tags(payload["tags"])
        if "additional_tags" in payload or "remove_tags" in payload:
            base = changes.get("tags", list(ticket.tags))
            added = normalise_tags(payload.get("additional_tags"), "additional_tags")
            removed = set(normalise_tags(payload.get("remove_tags"), "remove_tags"))
            changes["tags"] = [t for t in base + [a for a in added if a not in base] if t not in removed]
        if "custom_fields" in payload or "fields" in payload:
            raw = payload.get("custom_fields", payload.get("fields"))
            if not isinstance(raw, list) or not all(
                isinstance(f, dict) and isinstance(f.get("id"), int) and not isinstance(f.get("id"), bool)
                for f in raw
            ):
                raise record_invalid("custom_fields", "Custom fields: must be a list of {id, value}")
            fields = dict(ticket.custom_fields)
            fields.update({int(f["id"]): f.get("value") for f in raw})
            changes["custom_fields"] = fields
        return changes

    def _apply_changes(self, ticket: TicketRecord, changes: Mapping[str, Any]) -> list[dict[str, Any]]:
        events = []
        for name, value in changes.items():
            previous = getattr(ticket, name)
            if previous == value:
                continue
            setattr(ticket, name, list(value) if isinstance(value, list) else value)
            shown_value: Any = value
            shown_previous: Any = previous
            if name == "custom_fields":
                shown_value = [{"id": k, "value": v} for k, v in value.items()]
                shown_previous = [{"id": k, "value": v} for k, v in previous.items()]
            events.append(
                self._event("Change", field_name=name, value=shown_value, previous_value=shown_previous)
            )
        return events

    def _audit(self, ticket: TicketRecord, actor: UserRecord, events: list[dict[str, Any]]) -> Audit:
        audit = Audit(
            id=self._id("_next_audit"),
            ticket_id=ticket.id,
            author_id=actor.id,
            created_at=self.current_time(),
            events=events,
        )
        for event in events:
            if event["type"] == "Comment":
                comment = next(c for c in ticket.comments if c.id == event["comment_id"])
                comment.audit_id = audit.id
        self.audits[audit.id] = audit
        return audit

    def update_ticket(self, ticket_id: int, payload: Any, actor: UserRecord) -> tuple[TicketRecord, Audit]:
        """`PUT /api/v2/tickets/{id}`: comment, properties, safe update; validate then apply."""
        if not isinstance(payload, dict):
            raise bad_request('The request body must be {"ticket": {...}}')
        with self.lock:
            ticket = self.ticket(ticket_id)
            if ticket.status == "closed":
                raise record_invalid("status", "Status: closed prevents ticket update", "ClosedTicket")
            self.check_stamp(ticket, payload)
            changes = self._field_changes(ticket, payload)
            comment: CommentRecord | None = None
            tokens: list[str] = []
            if payload.get("comment") is not None:
                comment, tokens = self._prepare_comment(
                    payload["comment"], actor, ticket.comment_public_default
                )
            events = self._apply_changes(ticket, changes)
            if comment is not None:
                self._save_comment(ticket, comment, tokens)
                events.insert(0, self._event("Comment", comment_id=comment.id))
            if events:
                self._touch(ticket)
            return ticket, self._audit(ticket, actor, events)

    def create_ticket(
        self, payload: Any, actor: UserRecord, idempotency_key: str | None, body: Any
    ) -> tuple[TicketRecord, Audit, bool]:
        """`POST /api/v2/tickets`; returns (ticket, audit, replayed) honouring `Idempotency-Key`."""
        if idempotency_key is not None and not 0 < len(idempotency_key) <= MAX_IDEMPOTENCY_KEY:
            raise bad_request(
                f"Idempotency-Key must be 1 to {MAX_IDEMPOTENCY_KEY} characters", "IdempotentRequestError"
            )
        fingerprint = hashlib.sha256(
            json.dumps(body, sort_keys=True, separators=(",", ":"), default=str).encode()
        ).hexdigest()
        with self.lock:
            now = self.current_time()
            for key in [k for k, r in self.idempotency.items() if r.expires_at <= now]:
                del self.idempotency[key]
            if idempotency_key is not None and idempotency_key in self.idempotency:
                record = self.idempotency[idempotency_key]
                if record.fingerprint != fingerprint:
                    raise bad_request(
                        "The request body does not match the original request made with this idempotency key",
                        "IdempotentRequestError",
                    )
                return self.tickets[record.ticket_id], self.audits[record.audit_id], True
            ticket, audit = self._create(payload, actor)
            if idempotency_key is not None:
                self.idempotency[idempotency_key] = IdempotencyRecord(
                    key=idempotency_key,
                    fingerprint=fingerprint,
                    ticket_id=ticket.id,
                    audit_id=audit.id,
                    expires_at=now + self.idempotency_ttl,
                )
            return ticket, audit, False

    def _resolve_requester(self, payload: Mapping[str, Any], actor: UserRecord) -> tuple[UserRecord, bool]:
        """The requester (`requester_id`, `requester: {email, name}`, else the API user)."""
        if payload.get("requester_id") is not None:
            requester_id = payload["requester_id"]
            if isinstance(requester_id, bool) or not isinstance(requester_id, int):
                raise record_invalid("requester", "Requester: is invalid")
            if requester_id not in self.users:
                raise record_invalid("requester", "Requester: is invalid")
            return self.users[requester_id], False
        requester = payload.get("requester")
        if requester is None:
            return actor, False
        if not isinstance(requester, dict):
            raise record_invalid("requester", "Requester: must be an object")
        email = requester.get("email")
        if not isinstance(email, str) or "@" not in email.strip()[1:-1]:
            raise record_invalid("requester", "Requester: Email is invalid")
        existing = self.user_by_email(email)
        if existing is not None:
            return existing, False
        name = requester.get("name")
        if not isinstance(name, str) or not name.strip():
            name = email.split("@", 1)[0]
        now = self.current_time()
        user = UserRecord(
            id=0,
            name=name.strip(),
            email=email.strip(),
            role="end-user",
            organization_id=None,
            tags=[],
            user_fields={},
            created_at=now,
            updated_at=now,
        )
        return user, True

    def _create(self, payload: Any, actor: UserRecord) -> tuple[TicketRecord, Audit]:
        if not isinstance(payload, dict):
            raise bad_request('The request body must be {"ticket": {...}}')
        requester, is_new = self._resolve_requester(payload, actor)
        now = self.current_time()
        placeholder = TicketRecord(
            id=0,
            subject=None,
            status="new",
            priority=None,
            type=None,
            requester_id=requester.id,
            submitter_id=actor.id,
            assignee_id=None,
            organization_id=requester.organization_id,
            group_id=None,
            brand_id=seed.BRAND_ID,
            tags=[],
            custom_fields={},
            external_id=None,
            created_at=now,
            updated_at=now,
            channel="api",
            comments=[],
        )
        fields = {k: v for k, v in payload.items() if k != "requester_id"}
        changes = self._field_changes(placeholder, fields)
        if payload.get("comment") is None:
            raise record_invalid("base", "Description: cannot be blank", "BlankValue")
        raw_comment = payload["comment"]
        public_default = raw_comment.get("public", True) if isinstance(raw_comment, dict) else True
        comment, tokens = self._prepare_comment(raw_comment, actor, public_default)
        # Everything is valid: create.
        if is_new:
            requester.id = self._id("_next_user")
            self.users[requester.id] = requester
            placeholder.requester_id = requester.id
        for name, value in changes.items():
            setattr(placeholder, name, value)
        placeholder.id = self._id("_next_ticket")
        placeholder.comment_public_default = comment.public
        if not placeholder.subject:
            first_line = comment.body.strip().splitlines()[0] if comment.body.strip() else ""
            placeholder.subject = first_line[:80] or None
        self._save_comment(placeholder, comment, tokens)
        self.tickets[placeholder.id] = placeholder
        events = [self._event("Comment", comment_id=comment.id)]
        events += [
            self._event("Create", field_name=name, value=getattr(placeholder, name))
            for name in ("subject", "status", "priority", "requester_id", "tags")
        ]
        return placeholder, self._audit(placeholder, actor, events)

    def list_tickets(self, external_id: str | None = None) -> list[TicketRecord]:
        """All tickets by id, or those whose `external_id` matches."""
        with self.lock:
            items = sorted(self.tickets.values(), key=lambda t: t.id)
            if external_id is not None:
                items = [t for t in items if t.external_id == external_id]
            return items

    # ----------------------------------------------------------------- tags

    def change_tags(self, ticket_id: int, mode: str, payload: Any, actor: UserRecord) -> list[str]:
        """`POST` (set), `PUT` (add) or `DELETE` (remove) tags; safe update supported."""
        if not isinstance(payload, dict) or "tags" not in payload:
            raise bad_request('The request body must be {"tags": [...]}')
        tags = normalise_tags(payload["tags"])
        with self.lock:
            ticket = self.ticket(ticket_id)
            if ticket.status == "closed":
                raise record_invalid("status", "Status: closed prevents ticket update", "ClosedTicket")
            self.check_stamp(ticket, payload)
            if mode == "set":
                new = tags
            elif mode == "add":
                new = list(ticket.tags) + [t for t in tags if t not in ticket.tags]
            else:
                new = [t for t in ticket.tags if t not in tags]
            if new != ticket.tags:
                previous = list(ticket.tags)
                ticket.tags = new
                self._touch(ticket)
                event = self._event("Change", field_name="tags", value=new, previous_value=previous)
                self._audit(ticket, actor, [event])
            return list(ticket.tags)


def get_state() -> ZendeskState:
    """The state of the simulator handling the current request."""
    return current_app.extensions[EXTENSION_KEY]
