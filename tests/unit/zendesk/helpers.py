"""Constants and realistic Zendesk response bodies for the client tests."""

from __future__ import annotations

import base64
from typing import Any

BASE = "https://acme.zendesk.test"
EMAIL = "agent@acme.test"
API_TOKEN = "zd-api-token-SECRET-1"
OAUTH_TOKEN = "zd-oauth-token-SECRET-2"
BASIC = "Basic " + base64.b64encode(f"{EMAIL}/token:{API_TOKEN}".encode()).decode()
STAMP = "2026-11-28T12:00:00Z"


def url(path: str) -> str:
    return BASE + path


def ticket_body(ticket_id: int = 101, **overrides: Any) -> dict[str, Any]:
    ticket: dict[str, Any] = {
        "url": url(f"/api/v2/tickets/{ticket_id}.json"),
        "id": ticket_id,
        "external_id": None,
        "subject": "Press request",
        "status": "open",
        "priority": "normal",
        "type": "question",
        "tags": ["press_request", "launch"],
        "requester_id": 7101,
        "assignee_id": 9001,
        "organization_id": 501,
        "created_at": "2026-11-27T10:00:00Z",
        "updated_at": STAMP,
        "custom_fields": [{"id": 360001, "value": "press"}],
    }
    ticket.update(overrides)
    return ticket


def attachment_body(attachment_id: int = 80001, name: str = "hero.jpg", size: int = 4) -> dict[str, Any]:
    return {
        "url": url(f"/api/v2/attachments/{attachment_id}.json"),
        "id": attachment_id,
        "file_name": name,
        "content_url": url(f"/attachments/{attachment_id}/{name}"),
        "content_type": "image/jpeg",
        "size": size,
        "thumbnails": [],
    }


def comment_body(comment_id: int, **overrides: Any) -> dict[str, Any]:
    comment: dict[str, Any] = {
        "id": comment_id,
        "type": "Comment",
        "author_id": 7101,
        "body": f"comment {comment_id}",
        "html_body": f"<p>comment {comment_id}</p>",
        "public": True,
        "attachments": [],
        "created_at": "2026-11-27T10:00:00Z",
    }
    comment.update(overrides)
    return comment
