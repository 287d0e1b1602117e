"""Typed records returned by the Zendesk client (ref zendesk-zaf.md §4).

Every record is built from one Zendesk JSON object by its `from_json` constructor, so parsing
lives in one place and callers never touch raw JSON. Unknown keys are ignored; missing optional
keys become None / empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


def parse_time(value: str | None) -> datetime | None:
    """Parse an ISO 8601 timestamp (`Z` or offset) into an aware datetime; None stays None."""
    if not value:
        return None
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def _opt_int(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    return int(value)


def _str_list(value: Any) -> tuple[str, ...]:
    if not value:
        return ()
    if not isinstance(value, list):
        raise ValueError("expected a list")
    return tuple(str(item) for item in value)


def _int_list(value: Any) -> tuple[int, ...]:
    """Distinct ids in their order (null and boolean entries are skipped)."""
    if not value:
        return ()
    if not isinstance(value, list):
        raise ValueError("expected a list")
    ids = (_opt_int(item) for item in value)
    return tuple(dict.fromkeys(i for i in ids if i is not None))


def _object(value: Any) -> dict[str, Any]:
    return dict(value) if isinstance(value, dict) else {}


@dataclass(frozen=True)
class Attachment:
    """A file on a comment or in an upload; `content_url` serves its bytes."""

    id: int
    file_name: str
    content_url: str
    content_type: str
    size: int

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Attachment:
        """Build from a Zendesk attachment object."""
        return cls(
            id=int(data["id"]),
            file_name=str(data.get("file_name") or ""),
            content_url=str(data.get("content_url") or ""),
            content_type=str(data.get("content_type") or "application/octet-stream"),
            size=int(data.get("size") or 0),
        )


@dataclass(frozen=True)
class Upload:
    """The answer of `POST /api/v2/uploads`: the token to put in `comment.uploads` and the file.

    `attachments` lists every file under the token so far (several uploads may share a token);
    `expires_at` is when unused files are deleted.
    """

    token: str
    attachment: Attachment
    attachments: tuple[Attachment, ...] = ()
    expires_at: datetime | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Upload:
        """Build from the `upload` object."""
        attachments = tuple(Attachment.from_json(a) for a in data.get("attachments") or ())
        single = data.get("attachment")
        attachment = Attachment.from_json(single) if isinstance(single, dict) else attachments[-1]
        return cls(
            token=str(data["token"]),
            attachment=attachment,
            attachments=attachments or (attachment,),
            expires_at=parse_time(data.get("expires_at")),
        )


@dataclass(frozen=True)
class Ticket:
    """A ticket. `updated_stamp` is `updated_at` exactly as Zendesk sent it (for safe updates).

    `custom_fields` maps the ticket field id to its value. `cc_ids` are the users copied on the
    ticket: `email_cc_ids`, or `collaborator_ids` when the account does not send `email_cc_ids`
    (accounts without CCs and followers; there, collaborators are the CCs).
    """

    id: int
    subject: str | None
    status: str | None
    priority: str | None
    tags: tuple[str, ...]
    requester_id: int | None
    organization_id: int | None
    external_id: str | None
    updated_at: datetime | None
    custom_fields: dict[int, Any] = field(default_factory=dict)
    type: str | None = None
    assignee_id: int | None = None
    created_at: datetime | None = None
    updated_stamp: str | None = None
    cc_ids: tuple[int, ...] = ()

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Ticket:
        """Build from a Zendesk ticket object."""
        custom: dict[int, Any] = {}
        for item in data.get("custom_fields") or ():
            if isinstance(item, dict) and item.get("id") is not None:
                custom[int(item["id"])] = item.get("value")
        external_id = data.get("external_id")
        updated = data.get("updated_at")
        cc_ids = data.get("email_cc_ids")
        if cc_ids is None:
            cc_ids = data.get("collaborator_ids")
        return cls(
            id=int(data["id"]),
            subject=data.get("subject"),
            status=data.get("status"),
            priority=data.get("priority"),
            tags=_str_list(data.get("tags")),
            requester_id=_opt_int(data.get("requester_id")),
            organization_id=_opt_int(data.get("organization_id")),
            external_id=str(external_id) if external_id is not None else None,
            updated_at=parse_time(updated),
            custom_fields=custom,
            type=data.get("type"),
            assignee_id=_opt_int(data.get("assignee_id")),
            created_at=parse_time(data.get("created_at")),
            updated_stamp=str(updated) if updated else None,
            cc_ids=_int_list(cc_ids),
        )


@dataclass(frozen=True)
class Comment:
    """A ticket comment: public reply or internal note (`public=False`), with its attachments."""

    id: int
    author_id: int | None
    body: str
    html_body: str
    public: bool
    created_at: datetime | None
    attachments: tuple[Attachment, ...] = ()

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Comment:
        """Build from a Zendesk comment object."""
        return cls(
            id=int(data["id"]),
            author_id=_opt_int(data.get("author_id")),
            body=str(data.get("body") or data.get("plain_body") or ""),
            html_body=str(data.get("html_body") or ""),
            public=bool(data.get("public", True)),
            created_at=parse_time(data.get("created_at")),
            attachments=tuple(Attachment.from_json(a) for a in data.get("attachments") or ()),
        )


@dataclass(frozen=True)
class User:
    """A Zendesk user (end user, agent or admin) with its tags and custom user fields."""

    id: int
    name: str
    email: str | None
    organization_id: int | None
    tags: tuple[str, ...] = ()
    user_fields: dict[str, Any] = field(default_factory=dict)
    role: str | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> User:
        """Build from a Zendesk user object."""
        return cls(
            id=int(data["id"]),
            name=str(data.get("name") or ""),
            email=data.get("email"),
            organization_id=_opt_int(data.get("organization_id")),
            tags=_str_list(data.get("tags")),
            user_fields=_object(data.get("user_fields")),
            role=data.get("role"),
        )


@dataclass(frozen=True)
class Organization:
    """A Zendesk organization with its tags and custom organization fields (e.g. `tier`)."""

    id: int
    name: str
    tags: tuple[str, ...] = ()
    organization_fields: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Organization:
        """Build from a Zendesk organization object."""
        return cls(
            id=int(data["id"]),
            name=str(data.get("name") or ""),
            tags=_str_list(data.get("tags")),
            organization_fields=_object(data.get("organization_fields")),
        )
