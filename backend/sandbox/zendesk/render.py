"""JSON shapes of the Zendesk REST API v2 (tickets, comments, attachments, uploads, users, orgs).

URLs (`url`, `content_url`, `next_page`) are absolute and point back at wherever the simulator
is mounted: `request.host_url` + `request.script_root`. Call these under the state's lock.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote, urlencode

from flask import request

from ..workbench import tickets as workbench
from .markup import text_to_html
from .models import (
    AttachmentRecord,
    CommentRecord,
    OrganizationRecord,
    TicketRecord,
    UploadRecord,
    UserRecord,
)
from .state import Audit, ZendeskState


def iso(moment: datetime | None) -> str | None:
    """Zendesk's timestamp format: `2026-11-28T12:00:00Z`."""
    if moment is None:
        return None
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def base_url() -> str:
    """The simulator's own root URL (host + mount point), without a trailing slash."""
    return request.host_url.rstrip("/") + request.script_root


def api_url(path: str, **params: Any) -> str:
    """Absolute URL of an API path (`/api/v2/...`), with a query string when params are given."""
    query = urlencode({k: v for k, v in params.items() if v is not None})
    return f"{base_url()}{path}" + (f"?{query}" if query else "")


def attachment_json(record: AttachmentRecord) -> dict[str, Any]:
    """An attachment object; `content_url` serves the stored bytes."""
    content_url = f"{base_url()}/attachments/{record.id}/{quote(record.file_name)}"
    return {
        "url": api_url(f"/api/v2/attachments/{record.id}.json"),
        "id": record.id,
        "file_name": record.file_name,
        "content_url": content_url,
        "mapped_content_url": content_url,
        "content_type": record.content_type,
        "size": record.size,
        "width": None,
        "height": None,
        "inline": False,
        "deleted": False,
        "malware_access_override": False,
        "malware_scan_result": "malware_not_found",
        "thumbnails": [],
    }


def upload_json(st: ZendeskState, upload: UploadRecord, attachment: AttachmentRecord) -> dict[str, Any]:
    """The `upload` object of `POST /api/v2/uploads`."""
    return {
        "token": upload.token,
        "expires_at": iso(upload.expires_at),
        "attachments": [attachment_json(st.attachments[i]) for i in upload.attachment_ids],
        "attachment": attachment_json(attachment),
    }


def _links_base(st: ZendeskState) -> str:
    return st.links_base_url or request.host_url


def comment_json(st: ZendeskState, comment: CommentRecord) -> dict[str, Any]:
    """A comment object; seeded placeholders become PhotoShelter gallery links."""
    body, html_body = comment.body, comment.html_body
    if comment.templated:
        body = workbench.resolve_links(comment.body, st.gallery_links, _links_base(st))
        html_body = text_to_html(body)
    return {
        "id": comment.id,
        "type": "Comment",
        "author_id": comment.author_id,
        "body": body,
        "html_body": html_body,
        "plain_body": body,
        "public": comment.public,
        "attachments": [attachment_json(st.attachments[i]) for i in comment.attachment_ids],
        "audit_id": comment.audit_id,
        "via": {"channel": comment.channel, "source": {"from": {}, "to": {}, "rel": None}},
        "created_at": iso(comment.created_at),
        "metadata": {"system": {}, "custom": {}},
    }


def ticket_json(st: ZendeskState, ticket: TicketRecord) -> dict[str, Any]:
    """A ticket object with `custom_fields` as `[{id, value}]`."""
    first = ticket.comments[0] if ticket.comments else None
    description = comment_json(st, first)["body"] if first else ""
    custom = [{"id": k, "value": v} for k, v in sorted(ticket.custom_fields.items())]
    return {
        "url": api_url(f"/api/v2/tickets/{ticket.id}.json"),
        "id": ticket.id,
        "external_id": ticket.external_id,
        "via": {"channel": ticket.channel, "source": {"from": {}, "to": {}, "rel": None}},
        "created_at": iso(ticket.created_at),
        "updated_at": iso(ticket.updated_at),
        "generated_timestamp": int(ticket.updated_at.timestamp()),
        "type": ticket.type,
        "subject": ticket.subject,
        "raw_subject": ticket.subject,
        "description": description,
        "priority": ticket.priority,
        "status": ticket.status,
        "recipient": None,
        "requester_id": ticket.requester_id,
        "submitter_id": ticket.submitter_id,
        "assignee_id": ticket.assignee_id,
        "organization_id": ticket.organization_id,
        "group_id": ticket.group_id,
        # No followers here, so the collaborators are exactly the CCs.
        "collaborator_ids": list(ticket.email_cc_ids),
        "follower_ids": [],
        "email_cc_ids": list(ticket.email_cc_ids),
        "forum_topic_id": None,
        "problem_id": None,
        "has_incidents": False,
        "is_public": any(c.public for c in ticket.comments),
        "due_at": None,
        "tags": list(ticket.tags),
        "custom_fields": custom,
        "fields": custom,
        "satisfaction_rating": None,
        "sharing_agreement_ids": [],
        "followup_ids": [],
        "ticket_form_id": None,
        "brand_id": ticket.brand_id,
        "allow_channelback": False,
        "allow_attachments": True,
        "from_messaging_channel": False,
    }


def audit_json(st: ZendeskState, audit: Audit) -> dict[str, Any]:
    """An audit object; comment events are rendered like comments."""
    ticket = st.tickets[audit.ticket_id]
    events = []
    for event in audit.events:
        if event["type"] == "Comment":
            comment = next(c for c in ticket.comments if c.id == event["comment_id"])
            rendered = comment_json(st, comment)
            rendered.pop("via", None)
            rendered.pop("created_at", None)
            events.append(rendered)
        else:
            events.append(dict(event))
    return {
        "id": audit.id,
        "ticket_id": audit.ticket_id,
        "created_at": iso(audit.created_at),
        "author_id": audit.author_id,
        "metadata": {"system": {}, "custom": {}},
        "via": {"channel": "api", "source": {"from": {}, "to": {}, "rel": None}},
        "events": events,
    }


def user_json(user: UserRecord) -> dict[str, Any]:
    """A user object with `organization_id`, `tags` and `user_fields`."""
    return {
        "id": user.id,
        "url": api_url(f"/api/v2/users/{user.id}.json"),
        "name": user.name,
        "email": user.email,
        "created_at": iso(user.created_at),
        "updated_at": iso(user.updated_at),
        "time_zone": "Eastern Time (US & Canada)",
        "iana_time_zone": "America/New_York",
        "phone": None,
        "locale": "en-US",
        "locale_id": 1,
        "organization_id": user.organization_id,
        "role": user.role,
        "verified": True,
        "external_id": user.external_id,
        "tags": list(user.tags),
        "alias": "",
        "active": True,
        "shared": False,
        "suspended": False,
        "restricted_agent": False,
        "details": "",
        "notes": "",
        "user_fields": dict(user.user_fields),
    }


def organization_json(org: OrganizationRecord) -> dict[str, Any]:
    """An organization object with `tags` and `organization_fields` (`tier`)."""
    return {
        "url": api_url(f"/api/v2/organizations/{org.id}.json"),
        "id": org.id,
        "name": org.name,
        "shared_tickets": False,
        "shared_comments": False,
        "external_id": None,
        "created_at": iso(org.created_at),
        "updated_at": iso(org.updated_at),
        "domain_names": list(org.domain_names),
        "details": "",
        "notes": "",
        "group_id": None,
        "tags": list(org.tags),
        "organization_fields": dict(org.organization_fields),
    }
