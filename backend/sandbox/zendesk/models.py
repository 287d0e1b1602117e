"""In-memory records of the Zendesk simulator (mutable; always changed under the state's lock)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class UserRecord:
    """A user: `role` is "end-user", "agent" or "admin"."""

    id: int
    name: str
    email: str | None
    role: str
    organization_id: int | None
    tags: list[str]
    user_fields: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    external_id: str | None = None


@dataclass
class OrganizationRecord:
    """An organization; `organization_fields` carries the custom fields (e.g. `tier`)."""

    id: int
    name: str
    tags: list[str]
    organization_fields: dict[str, Any]
    domain_names: list[str]
    created_at: datetime
    updated_at: datetime


@dataclass
class AttachmentRecord:
    """A stored file; `content_url` is `/attachments/{id}/{file_name}` on the simulator."""

    id: int
    file_name: str
    content_type: str
    data: bytes
    created_at: datetime

    @property
    def size(self) -> int:
        """Size in bytes."""
        return len(self.data)


@dataclass
class UploadRecord:
    """An upload token: files waiting to be attached by a comment until `expires_at`."""

    token: str
    attachment_ids: list[int]
    created_at: datetime
    expires_at: datetime


@dataclass
class CommentRecord:
    """A comment. `templated` comments (the seed) contain `{{gallery:<state>}}` placeholders."""

    id: int
    author_id: int
    body: str
    html_body: str
    public: bool
    created_at: datetime
    attachment_ids: list[int] = field(default_factory=list)
    audit_id: int | None = None
    channel: str = "api"
    templated: bool = False


@dataclass
class TicketRecord:
    """A ticket with its conversation (oldest comment first); `email_cc_ids` are its CCs."""

    id: int
    subject: str | None
    status: str
    priority: str | None
    type: str | None
    requester_id: int
    submitter_id: int
    assignee_id: int | None
    organization_id: int | None
    group_id: int | None
    brand_id: int
    tags: list[str]
    custom_fields: dict[int, Any]
    external_id: str | None
    created_at: datetime
    updated_at: datetime
    channel: str
    comments: list[CommentRecord]
    comment_public_default: bool = True
    email_cc_ids: list[int] = field(default_factory=list)


@dataclass
class IdempotencyRecord:
    """What `POST /api/v2/tickets` remembers per `Idempotency-Key`."""

    key: str
    fingerprint: str
    ticket_id: int
    audit_id: int
    expires_at: datetime
