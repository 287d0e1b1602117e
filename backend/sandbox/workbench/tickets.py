"""Seeded tickets of the workbench: the agent's inbox the sidebar is tried against.

They seed the Zendesk simulator (`backend.sandbox.zendesk.seed` imports them), and the workbench
shows what that simulator's REST API answers; it renders from here directly only as a fallback,
with a warning, when the API cannot be reached (`view.seed_view`).

Each ticket is a small story the app's flows must handle (press request, broken link, urgent launch,
VIP organization, plain question). Comment bodies are plain text; `{{gallery:<state>}}` placeholders
in them become PhotoShelter gallery links, from the `gallery_links` mapping the factory may pass
(state → URL) or else a plausible simulator URL with a made-up gallery id. Nothing here imports the
PhotoShelter simulator: the workbench is part of the outside world.

`zaf_ticket()` renders a ticket in the shape the ZAF `get('ticket')` API returns (camelCase keys).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

PRIORITIES = ("low", "normal", "high", "urgent")
STATUSES = ("new", "open", "pending", "hold", "solved")
SIMULATOR_SITE_PATH = "/sandbox/photoshelter/site/gallery"

# Fallback links when the factory supplies no `gallery_links`: made-up gallery ids, plausible slugs.
DEFAULT_GALLERY_PATHS: dict[str, str] = {
    "expired": "media-day-2025-outdoor-retailer/G0000wbExp1r3d01",
    "downloads_exhausted": "dealer-sell-in-kit-fw25/G0000wbDlL1m1t02",
    "password": "press-kit-summit-series/G0000wbPa55w0rd3",
}

_GALLERY_PLACEHOLDER = re.compile(r"\{\{gallery:([a-z_]+)\}\}")


@dataclass(frozen=True)
class Person:
    """A Zendesk user (end user or agent)."""

    id: int
    name: str
    email: str
    role: str = "end-user"


@dataclass(frozen=True)
class Organization:
    """A Zendesk organization; `tier` stands for an organization field, `tags` for its tags."""

    id: int
    name: str
    tier: str
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Comment:
    """One conversation entry; `minutes_ago` keeps the seed fresh whenever it is shown."""

    id: int
    author: Person
    body: str
    minutes_ago: int
    public: bool = True


@dataclass(frozen=True)
class Ticket:
    """A seeded ticket; `ccs` are the people copied on it (colleagues of the requester)."""

    id: int
    subject: str
    status: str
    priority: str | None
    type: str
    requester: Person
    organization: Organization | None
    tags: tuple[str, ...]
    comments: tuple[Comment, ...]
    custom_fields: Mapping[str, Any] = field(default_factory=dict)
    via: str = "email"
    ccs: tuple[Person, ...] = ()


AGENT = Person(9001, "Alex Rivera", "alex.rivera@northwind-outdoor.example", role="agent")

_TRAIL_PRESS = Organization(501, "Trail Press Media", "media", ("media", "press"))
_OUTDOOR_DAILY = Organization(502, "Outdoor Daily", "media", ("media", "press", "newsroom"))
_PEAK_OUTFITTERS = Organization(503, "Peak Outfitters", "standard", ("retail_partner",))
_SUMMIT_CO = Organization(504, "Summit & Co. Department Stores", "enterprise", ("vip", "retail_partner"))

_JORDAN = Person(7101, "Jordan Ellis", "jordan.ellis@trailpress.example")
_SAM = Person(7102, "Sam Whitaker", "sam@peakoutfitters.example")
_PRIYA = Person(7103, "Priya Shah", "priya.shah@outdoordaily.example")
_MORGAN = Person(7104, "Morgan Blake", "morgan.blake@summitandco.example")
_CASEY = Person(7105, "Casey Nguyen", "casey.nguyen@fastmail.example")
# CCs: a colleague of the requester, at the same organization.
_DANA = Person(7106, "Dana Okafor", "dana.okafor@trailpress.example")
_MARCUS = Person(7107, "Marcus Lee", "marcus.lee@outdoordaily.example")

TICKETS: dict[int, Ticket] = {
    101: Ticket(
        id=101,
        subject="Press request: launch photos for the Trailrunner GTX",
        status="open",
        priority="normal",
        type="question",
        requester=_JORDAN,
        organization=_TRAIL_PRESS,
        tags=("press_request", "launch"),
        custom_fields={"custom_field_360001": "press"},
        ccs=(_DANA,),
        comments=(
            Comment(
                1011,
                _JORDAN,
                "Hi Northwind team,\n\nI'm writing a feature on the Trailrunner GTX launch for Trail Press "
                "and would love a handful of high-resolution launch photos (on-trail action and a product "
                "shot or two). Our layout closes on Friday.\n\nThanks!\nJordan",
                minutes_ago=26 * 60,
            ),
            Comment(
                1012,
                AGENT,
                "Jordan is on our approved press list (Trail Press Media). Launch gallery is fine to share.",
                minutes_ago=25 * 60,
                public=False,
            ),
            Comment(
                1013,
                _JORDAN,
                "Just checking in on this one. Anything in landscape orientation would be perfect.",
                minutes_ago=3 * 60,
            ),
        ),
    ),
    102: Ticket(
        id=102,
        subject="The download link you sent has stopped working",
        status="open",
        priority="high",
        type="problem",
        requester=_SAM,
        organization=_PEAK_OUTFITTERS,
        tags=("broken_link", "photoshelter"),
        custom_fields={"custom_field_360001": "access"},
        comments=(
            Comment(
                1021,
                _SAM,
                "Hello,\n\nLast month your team sent us this gallery for our in-store displays:\n"
                "{{gallery:expired}}\n\nToday it just says the gallery is not available. We need the "
                "images for a reprint this week. Can you help?\n\nSam Whitaker\nPeak Outfitters",
                minutes_ago=5 * 60,
            ),
            Comment(
                1022,
                AGENT,
                "Hi Sam, thanks for flagging this. I'm checking the link now.",
                minutes_ago=4 * 60,
            ),
        ),
    ),
    103: Ticket(
        id=103,
        subject="URGENT: hero images needed for tomorrow's launch coverage",
        status="new",
        priority="urgent",
        type="task",
        requester=_PRIYA,
        organization=_OUTDOOR_DAILY,
        tags=("press_deadline", "press_request"),
        custom_fields={"custom_field_360001": "press"},
        ccs=(_MARCUS,),
        comments=(
            Comment(
                1031,
                _PRIYA,
                "Hi,\n\nWe are running the Summit Series launch story on the homepage tomorrow at 6am ET "
                "and still have no hero image. Could you send 3-4 approved images today? Web "
                "resolution is fine, but we need them before 8pm ET.\n\nPriya Shah, Photo Desk, "
                "Outdoor Daily",
                minutes_ago=40,
            ),
        ),
    ),
    104: Ticket(
        id=104,
        subject="Lookbook images for our spring window displays",
        status="pending",
        priority="high",
        type="incident",
        requester=_MORGAN,
        organization=_SUMMIT_CO,
        tags=("vip", "retail"),
        custom_fields={"custom_field_360001": "retail"},
        comments=(
            Comment(
                1041,
                _MORGAN,
                "Good morning,\n\nOur visual merchandising team tried to download the dealer kit again "
                "and the page says the download limit has been reached:\n{{gallery:downloads_exhausted}}"
                "\n\nWe are installing spring windows in 42 stores next week. Please send a fresh "
                "link or the files directly.\n\nMorgan Blake\nSummit & Co.",
                minutes_ago=2 * 24 * 60,
            ),
            Comment(
                1042,
                AGENT,
                "Enterprise account: escalate to the partner team if a new share is needed.",
                minutes_ago=2 * 24 * 60 - 30,
                public=False,
            ),
            Comment(
                1043,
                AGENT,
                "Hi Morgan, we're on it and will send a new link shortly.",
                minutes_ago=2 * 24 * 60 - 35,
            ),
        ),
    ),
    105: Ticket(
        id=105,
        subject="Can I use one of your photos on my hiking blog?",
        status="new",
        priority="low",
        type="question",
        requester=_CASEY,
        organization=None,
        tags=(),
        comments=(
            Comment(
                1051,
                _CASEY,
                "Hi there! I run a small hiking blog and loved the photo of the ridge descent at golden "
                "hour on your website. Am I allowed to use it in a post if I credit Northwind?\n\nCasey",
                minutes_ago=15,
            ),
        ),
    ),
}

DEFAULT_TICKET_ID = 101


def get_ticket(ticket_id: int) -> Ticket | None:
    """The seeded ticket with this id, or None."""
    return TICKETS.get(ticket_id)


def gallery_link(state: str, gallery_links: Mapping[str, str], base_url: str) -> str:
    """The URL for a `{{gallery:<state>}}` placeholder (configured, else a plausible default)."""
    if state in gallery_links:
        return gallery_links[state]
    path = DEFAULT_GALLERY_PATHS.get(state, f"{state.replace('_', '-')}/G0000wbUnkn0wn00")
    return f"{base_url.rstrip('/')}{SIMULATOR_SITE_PATH}/{path}"


def resolve_links(text: str, gallery_links: Mapping[str, str], base_url: str) -> str:
    """Replace every `{{gallery:<state>}}` placeholder in `text` with its link."""
    return _GALLERY_PLACEHOLDER.sub(lambda m: gallery_link(m.group(1), gallery_links, base_url), text)


def iso_minutes_ago(minutes: int, now: datetime | None = None) -> str:
    """An ISO-8601 UTC timestamp `minutes` before `now`."""
    moment = (now or datetime.now(UTC)) - timedelta(minutes=minutes)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def zaf_user(person: Person, organization: Organization | None = None) -> dict[str, Any]:
    """A user as the ZAF API shows it (`ticket.requester`, comment authors)."""
    user: dict[str, Any] = {
        "id": person.id,
        "name": person.name,
        "email": person.email,
        "role": person.role,
        "locale": "en-US",
        "externalId": None,
        "tags": [],
    }
    if person.role == "end-user":
        user["organizations"] = [zaf_organization(organization)] if organization else []
    return user


def zaf_cc(person: Person) -> dict[str, Any]:
    """A CC as the workbench answers `get('ticket.collaborators')`: `{id, name, email}`."""
    return {"id": person.id, "name": person.name, "email": person.email}


def zaf_organization(organization: Organization | None) -> dict[str, Any] | None:
    """An organization as the ZAF API shows it; `tier` is also under `organizationFields`."""
    if organization is None:
        return None
    return {
        "id": organization.id,
        "name": organization.name,
        "tier": organization.tier,
        "tags": list(organization.tags),
        "organizationFields": {"tier": organization.tier},
    }


def zaf_ticket(
    ticket: Ticket, gallery_links: Mapping[str, str], base_url: str, now: datetime | None = None
) -> dict[str, Any]:
    """The ticket in the shape of ZAF's `get('ticket')` (comments oldest first, bodies resolved)."""
    first = ticket.comments[0] if ticket.comments else None
    last = ticket.comments[-1] if ticket.comments else None
    comments = [
        {
            "id": c.id,
            "author": zaf_user(c.author),
            "value": resolve_links(c.body, gallery_links, base_url),
            "isPublic": c.public,
            "createdAt": iso_minutes_ago(c.minutes_ago, now),
        }
        for c in ticket.comments
    ]
    return {
        "id": ticket.id,
        "subject": ticket.subject,
        "description": comments[0]["value"] if comments else "",
        "status": ticket.status,
        "priority": ticket.priority,
        "type": ticket.type,
        "tags": list(ticket.tags),
        "requester": zaf_user(ticket.requester, ticket.organization),
        "collaborators": [zaf_cc(person) for person in ticket.ccs],
        "organization": zaf_organization(ticket.organization),
        "assignee": {"user": zaf_user(AGENT), "group": {"id": 301, "name": "Press & Partners"}},
        "brand": {"id": 1, "name": "Northwind Outdoor"},
        "via": {"channel": ticket.via},
        "externalId": None,
        "customFields": dict(ticket.custom_fields),
        "createdAt": iso_minutes_ago(first.minutes_ago, now) if first else None,
        "updatedAt": iso_minutes_ago(last.minutes_ago, now) if last else None,
        "comments": comments,
    }
