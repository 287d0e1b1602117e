"""The seeded Zendesk account: the workbench's tickets 101-105 with their people and organizations.

Tickets 101 and 103 have a CC each (a colleague at the requester's organization), sent as both
`email_cc_ids` and `collaborator_ids`.

The data comes from `backend.sandbox.workbench.tickets` (read-only), so the ticket view of the
workbench and this REST API show the same conversations. Added here, and only here: the demo API
user (`DEMO_EMAIL`, role agent — every API call is made as this user), e-mail/token credentials,
the ticket field behind `custom_field_<id>` values, and the created/updated timestamps derived
from each comment's `minutes_ago` relative to the simulator's clock at start-up.

Comment bodies keep the workbench's `{{gallery:<state>}}` placeholders; they are resolved into
links when a comment is rendered (see `render.comment_json`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from ..workbench import tickets as workbench
from .markup import text_to_html
from .models import CommentRecord, OrganizationRecord, TicketRecord, UserRecord

#: The API user's e-mail (HTTP Basic user name is `{DEMO_EMAIL}/token`).
DEMO_EMAIL = "agent@northwind.example"
#: The API token of the demo account (demo only; it grants nothing outside the simulator).
DEMO_API_TOKEN = "zd7Qm2Vx9KpL4tRb8NcW1sYh6FjG3eUa5DiXo0Tn"  # noqa: S105 - public demo value
#: An OAuth access token the simulator also accepts (`Authorization: Bearer …`).
DEMO_OAUTH_TOKEN = "zdoauth-5f2c9e1a7b3d4c6e8f0a1b2c3d4e5f60718293a4b5c6d7e8"  # noqa: S105 - public demo value
#: The API user's id and name.
DEMO_AGENT_ID = 9000
DEMO_AGENT_NAME = "Northwind Integrations"

#: Ticket field ids used by the seed (`custom_field_<id>` keys of the workbench tickets).
REQUEST_CATEGORY_FIELD_ID = 360001
REQUEST_CATEGORIES = ("press", "access", "retail", "licensing", "other")
GROUP_ID = 301
BRAND_ID = 1

_CUSTOM_FIELD_KEY = re.compile(r"custom_field_(\d+)")

#: Ticket fields (`GET /api/v2/ticket_fields`): the system fields plus the request category.
TICKET_FIELDS: tuple[dict[str, Any], ...] = (
    {"id": 360000001, "type": "subject", "title": "Subject", "active": True, "required": False},
    {"id": 360000002, "type": "description", "title": "Description", "active": True, "required": False},
    {"id": 360000003, "type": "status", "title": "Status", "active": True, "required": False},
    {"id": 360000004, "type": "tickettype", "title": "Type", "active": True, "required": False},
    {"id": 360000005, "type": "priority", "title": "Priority", "active": True, "required": False},
    {"id": 360000006, "type": "group", "title": "Group", "active": True, "required": False},
    {"id": 360000007, "type": "assignee", "title": "Assignee", "active": True, "required": True},
    {
        "id": REQUEST_CATEGORY_FIELD_ID,
        "type": "tagger",
        "title": "Request category",
        "description": "What the requester asks for (drives the PhotoShelter fulfilment rules)",
        "active": True,
        "required": False,
        "custom_field_options": [
            {"id": 3600010 + i, "name": name.title(), "value": name, "default": False}
            for i, name in enumerate(REQUEST_CATEGORIES)
        ],
    },
)


def _user(person: workbench.Person, organization_id: int | None, at: datetime) -> UserRecord:
    return UserRecord(
        id=person.id,
        name=person.name,
        email=person.email,
        role="agent" if person.role in ("agent", "admin") else "end-user",
        organization_id=organization_id,
        tags=[],
        user_fields={},
        created_at=at,
        updated_at=at,
    )


def _organization(org: workbench.Organization, at: datetime) -> OrganizationRecord:
    return OrganizationRecord(
        id=org.id,
        name=org.name,
        tags=list(org.tags),
        organization_fields={"tier": org.tier},
        domain_names=[],
        created_at=at,
        updated_at=at,
    )


def _custom_fields(values: Any) -> dict[int, Any]:
    fields: dict[int, Any] = {}
    for key, value in dict(values or {}).items():
        match = _CUSTOM_FIELD_KEY.fullmatch(str(key))
        if match:
            fields[int(match.group(1))] = value
    return fields


def _ticket_times(comments: Iterable[workbench.Comment], now: datetime) -> tuple[datetime, datetime]:
    moments = [now - timedelta(minutes=c.minutes_ago) for c in comments] or [now]
    return min(moments), max(moments)


def build_account(
    now: datetime,
) -> tuple[dict[int, UserRecord], dict[int, OrganizationRecord], dict[int, TicketRecord]]:
    """Users, organizations and tickets of the demo account, with times relative to `now`.

    Deterministic: the same `now` gives the same records (ids come from the workbench).
    """
    now = now.replace(microsecond=0)
    account_start = now - timedelta(days=400)
    users: dict[int, UserRecord] = {
        DEMO_AGENT_ID: UserRecord(
            id=DEMO_AGENT_ID,
            name=DEMO_AGENT_NAME,
            email=DEMO_EMAIL,
            role="agent",
            organization_id=None,
            tags=["api_user"],
            user_fields={},
            created_at=account_start,
            updated_at=account_start,
        )
    }
    users[workbench.AGENT.id] = _user(workbench.AGENT, None, account_start)
    organizations: dict[int, OrganizationRecord] = {}
    tickets: dict[int, TicketRecord] = {}
    for seeded in sorted(workbench.TICKETS.values(), key=lambda t: t.id):
        org = seeded.organization
        if org is not None and org.id not in organizations:
            organizations[org.id] = _organization(org, account_start)
        requester = seeded.requester
        if requester.id not in users:
            users[requester.id] = _user(requester, org.id if org else None, account_start)
        for cc in seeded.ccs:
            if cc.id not in users:
                users[cc.id] = _user(cc, org.id if org else None, account_start)
        comments: list[CommentRecord] = []
        for entry in seeded.comments:
            if entry.author.id not in users:
                users[entry.author.id] = _user(entry.author, None, account_start)
            comments.append(
                CommentRecord(
                    id=entry.id,
                    author_id=entry.author.id,
                    body=entry.body,
                    html_body=text_to_html(entry.body),
                    public=entry.public,
                    created_at=now - timedelta(minutes=entry.minutes_ago),
                    channel=seeded.via if entry.author.id == requester.id else "web",
                    templated=True,
                )
            )
        created, updated = _ticket_times(seeded.comments, now)
        tickets[seeded.id] = TicketRecord(
            id=seeded.id,
            subject=seeded.subject,
            status=seeded.status,
            priority=seeded.priority,
            type=seeded.type,
            requester_id=requester.id,
            submitter_id=requester.id,
            assignee_id=workbench.AGENT.id,
            organization_id=org.id if org else None,
            group_id=GROUP_ID,
            brand_id=BRAND_ID,
            tags=list(seeded.tags),
            custom_fields=_custom_fields(seeded.custom_fields),
            external_id=None,
            created_at=created,
            updated_at=updated,
            channel=seeded.via,
            comments=comments,
            comment_public_default=True,
            email_cc_ids=[cc.id for cc in seeded.ccs],
        )
    return users, organizations, tickets
