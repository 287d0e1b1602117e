"""What the ticket page shows: the ticket in ZAF's `get('ticket')` shape, from the REST API or the seed.

`load_ticket()` reads the ticket, its comments, requester, organization, assignee and comment
authors from the Zendesk simulator (`zendesk_api.AgentUi`) and renders them the way ZAF shows a
ticket (camelCase keys; comments oldest first, `value` as sanitised HTML, attachments with their
`contentUrl`). When the simulator cannot be used, `seed_view()` renders the workbench's own seed
(`tickets.py`) in the same shape, and the caller shows a warning.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from . import tickets
from .zendesk_api import AgentUi

#: Names the REST API does not serve (no groups/brands endpoints in the simulator).
GROUP_NAMES = {301: "Press & Partners"}
BRAND_NAMES = {1: "Northwind Outdoor"}

_CUSTOM_FIELD_KEY = "custom_field_{}"
_ANCHOR = re.compile(r"<a\b([^>]*)>")
_TARGET_OR_REL = re.compile(r'\s(?:target|rel)="[^"]*"')


@dataclass(frozen=True)
class TicketView:
    """A ticket ready for the page: ZAF shape, where it came from, and a warning if degraded."""

    ticket: dict[str, Any]
    source: str  # "zendesk" or "seed"
    warning: str | None = None


def clean_html(markup: str) -> str:
    """Comment HTML safe to place in the page: allow-list sanitised, links open a new tab."""
    from backend.sandbox.zendesk.markup import sanitize_html

    safe = sanitize_html(markup)
    return _ANCHOR.sub(
        lambda m: f'<a{_TARGET_OR_REL.sub("", m.group(1))} target="_blank" rel="noopener noreferrer">', safe
    )


def text_html(text: str) -> str:
    """Plain text as comment HTML (paragraphs, line breaks, links), the way Zendesk derives it."""
    from backend.sandbox.zendesk.markup import text_to_html

    return clean_html(text_to_html(text))


def _http_url(value: Any) -> str | None:
    if isinstance(value, str) and urlsplit(value).scheme in {"http", "https"}:
        return value
    return None


def zaf_organization(org: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """An organization as ZAF shows it; `tier` (an organization field) also at the top level."""
    if not org:
        return None
    fields = dict(org.get("organization_fields") or {})
    return {
        "id": org.get("id"),
        "name": org.get("name"),
        "tier": fields.get("tier"),
        "tags": list(org.get("tags") or []),
        "organizationFields": fields,
    }


def zaf_user(
    user: Mapping[str, Any] | None, organization: Mapping[str, Any] | None = None, user_id: Any = None
) -> dict[str, Any]:
    """A user as ZAF shows it; end users list their organization. Unknown ids get a placeholder."""
    if not user:
        return {
            "id": user_id,
            "name": f"User {user_id}" if user_id is not None else "Unknown user",
            "email": None,
            "role": "end-user",
            "locale": "en-US",
            "externalId": None,
            "tags": [],
        }
    out: dict[str, Any] = {
        "id": user.get("id"),
        "name": user.get("name") or f"User {user.get('id')}",
        "email": user.get("email"),
        "role": user.get("role") or "end-user",
        "locale": user.get("locale") or "en-US",
        "externalId": user.get("external_id"),
        "tags": list(user.get("tags") or []),
    }
    if out["role"] == "end-user":
        org = zaf_organization(organization)
        out["organizations"] = [org] if org else []
    return out


def zaf_attachment(attachment: Mapping[str, Any]) -> dict[str, Any] | None:
    """An attachment (`contentUrl` must be http(s); anything else is left out)."""
    url = _http_url(attachment.get("content_url"))
    if url is None:
        return None
    content_type = str(attachment.get("content_type") or "application/octet-stream")
    thumbnails = attachment.get("thumbnails") or []
    thumb = next((_http_url(t.get("content_url")) for t in thumbnails if isinstance(t, Mapping)), None)
    is_image = content_type.startswith("image/")
    size = attachment.get("size")
    return {
        "id": attachment.get("id"),
        "fileName": str(attachment.get("file_name") or "attachment"),
        "contentUrl": url,
        "contentType": content_type,
        "size": size if isinstance(size, int) and not isinstance(size, bool) else None,
        "isImage": is_image,
        "thumbnailUrl": thumb or (url if is_image else None),
    }


def zaf_collaborators(raw: Mapping[str, Any], api: AgentUi) -> list[dict[str, Any]]:
    """The ticket's CCs as `get('ticket.collaborators')` answers them: `[{id, name, email}]`.

    From `email_cc_ids` (else `collaborator_ids`); users the API does not know are left out.
    """
    ids = raw.get("email_cc_ids")
    if ids is None:
        ids = raw.get("collaborator_ids")
    out = []
    for user_id in dict.fromkeys(ids if isinstance(ids, list) else []):
        user = api.user(user_id)
        if user:
            out.append({"id": user.get("id"), "name": user.get("name") or "", "email": user.get("email")})
    return out


def zaf_comment(comment: Mapping[str, Any], api: AgentUi) -> dict[str, Any]:
    """A REST comment as ZAF shows it (`value` = sanitised `html_body`)."""
    author_id = comment.get("author_id")
    html_body = comment.get("html_body")
    value = clean_html(html_body) if isinstance(html_body, str) else text_html(str(comment.get("body") or ""))
    raw_attachments = [x for x in comment.get("attachments") or [] if isinstance(x, Mapping)]
    attachments = [a for a in map(zaf_attachment, raw_attachments) if a is not None]
    return {
        "id": comment.get("id"),
        "author": zaf_user(api.user(author_id), user_id=author_id),
        "value": value,
        "isPublic": bool(comment.get("public", True)),
        "createdAt": comment.get("created_at"),
        "channel": ((comment.get("via") or {}).get("channel")),
        "attachments": attachments,
        "imageAttachments": [a for a in attachments if a["isImage"]],
        "nonImageAttachments": [a for a in attachments if not a["isImage"]],
    }


def zaf_ticket(raw: Mapping[str, Any], comments: list[dict[str, Any]], api: AgentUi) -> dict[str, Any]:
    """A REST ticket (+ its comments) in the shape of ZAF's `get('ticket')`."""
    organization = api.organization(raw.get("organization_id"))
    requester_id = raw.get("requester_id")
    requester = api.user(requester_id)
    requester_org = organization
    if requester and requester.get("organization_id") not in (None, raw.get("organization_id")):
        requester_org = api.organization(requester.get("organization_id"))
    assignee_id = raw.get("assignee_id")
    group_id = raw.get("group_id")
    brand_id = raw.get("brand_id")
    custom = {
        _CUSTOM_FIELD_KEY.format(f["id"]): f.get("value")
        for f in raw.get("custom_fields") or []
        if isinstance(f, Mapping) and f.get("id") is not None
    }
    conversation = [zaf_comment(c, api) for c in comments]
    return {
        "id": raw.get("id"),
        "subject": raw.get("subject") or "",
        "description": raw.get("description") or "",
        "status": raw.get("status"),
        "priority": raw.get("priority"),
        "type": raw.get("type"),
        "tags": list(raw.get("tags") or []),
        "requester": zaf_user(requester, requester_org, user_id=requester_id),
        "collaborators": zaf_collaborators(raw, api),
        "organization": zaf_organization(organization),
        "assignee": {
            "user": zaf_user(api.user(assignee_id), user_id=assignee_id) if assignee_id is not None else None,
            "group": (
                {"id": group_id, "name": GROUP_NAMES.get(group_id, f"Group {group_id}")}
                if group_id is not None
                else None
            ),
        },
        "brand": {"id": brand_id, "name": BRAND_NAMES.get(brand_id, f"Brand {brand_id}")},
        "via": {"channel": ((raw.get("via") or {}).get("channel")) or "api"},
        "externalId": raw.get("external_id"),
        "customFields": custom,
        "createdAt": raw.get("created_at"),
        "updatedAt": raw.get("updated_at"),
        "comments": conversation,
    }


def load_ticket(api: AgentUi, ticket_id: int) -> dict[str, Any]:
    """The ticket from the REST API in ZAF shape (raises `ZendeskRefused` 404 when it is unknown)."""
    raw = api.ticket(ticket_id)
    return zaf_ticket(raw, api.comments(ticket_id), api)


def ticket_list(api: AgentUi) -> list[dict[str, Any]]:
    """The picker's entries `{id, subject}` from `GET /api/v2/tickets`."""
    return [
        {"id": t.get("id"), "subject": t.get("subject") or f"Ticket #{t.get('id')}"} for t in api.tickets()
    ]


def seed_picker() -> list[dict[str, Any]]:
    """The picker's entries from the seed."""
    return [{"id": t.id, "subject": t.subject} for t in tickets.TICKETS.values()]


def seed_view(ticket_id: int, gallery_links: Mapping[str, str], base_url: str) -> dict[str, Any] | None:
    """A seeded ticket in the same shape as `load_ticket()` (no attachments), or None."""
    seeded = tickets.get_ticket(ticket_id)
    if seeded is None:
        return None
    ticket = tickets.zaf_ticket(seeded, gallery_links, base_url)
    for comment in ticket["comments"]:
        comment["value"] = text_html(comment["value"])
        comment.update(attachments=[], imageAttachments=[], nonImageAttachments=[], channel="web")
    return ticket


def human_size(size: Any) -> str:
    """`2.4 MB`-style size (bytes below 1 KB)."""
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        return ""
    if size < 1024:
        return f"{size} B"
    value = float(size)
    for unit in ("KB", "MB", "GB"):
        value /= 1024
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if value >= 100 else f"{value:.1f} {unit}"
    return f"{size} B"  # pragma: no cover - the loop always returns


def initials(name: Any) -> str:
    """Up to two initials of a name, upper case."""
    return "".join(word[0] for word in str(name or "?").split() if word)[:2].upper() or "?"


def changed_since(ticket_updated_at: Any, since: str | None) -> bool:
    """Whether a ticket stamped `ticket_updated_at` is newer than the client's `since` stamp."""
    if not since:
        return True
    return _stamp(ticket_updated_at) != _stamp(since)


def _stamp(value: Any) -> datetime | str | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return value
