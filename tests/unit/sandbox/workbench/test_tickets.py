"""The seeded tickets: each story is present and rendered in ZAF's `get('ticket')` shape."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from backend.sandbox.workbench import tickets

BASE = "http://127.0.0.1:5000"
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def zaf(ticket_id: int, links: dict[str, str] | None = None) -> dict:
    return tickets.zaf_ticket(tickets.TICKETS[ticket_id], links or {}, BASE, NOW)


@pytest.mark.parametrize("ticket", list(tickets.TICKETS.values()), ids=lambda t: str(t.id))
def test_every_ticket_is_well_formed(ticket):
    assert ticket.status in tickets.STATUSES
    assert ticket.priority is None or ticket.priority in tickets.PRIORITIES
    assert ticket.comments and ticket.requester.email.count("@") == 1
    data = zaf(ticket.id)
    for key in ("id", "subject", "status", "priority", "tags", "requester", "organization", "comments"):
        assert key in data
    assert set(data["requester"]) >= {"id", "name", "email"}
    if data["organization"] is not None:
        assert set(data["organization"]) >= {"id", "name", "tier", "tags"}
    assert [c["id"] for c in data["comments"]] == [c.id for c in ticket.comments]


def test_the_stories():
    press = zaf(101)
    assert "press_request" in press["tags"] and press["organization"]["tier"] == "media"
    assert "/site/gallery/" in zaf(102)["description"]
    urgent = zaf(103)
    assert urgent["priority"] == "urgent" and "press_deadline" in urgent["tags"]
    vip = zaf(104)
    assert vip["organization"]["tier"] == "enterprise" and "vip" in vip["tags"]
    assert vip["organization"]["organizationFields"] == {"tier": "enterprise"}
    assert zaf(105)["organization"] is None
    assert [cc["email"] for cc in press["collaborators"]] == ["dana.okafor@trailpress.example"]
    assert [cc["name"] for cc in urgent["collaborators"]] == ["Marcus Lee"]
    assert zaf(102)["collaborators"] == vip["collaborators"] == []


def test_gallery_placeholders_resolve_from_config_or_defaults():
    link = f"{BASE}/sandbox/photoshelter/site/gallery/media-day/G0000e4F0ZPx2gH7"
    assert link in zaf(102, {"expired": link})["comments"][0]["value"]
    default = tickets.gallery_link("expired", {}, BASE + "/")
    assert default.startswith(f"{BASE}/sandbox/photoshelter/site/gallery/") and "/G0000" in default
    assert "{{" not in tickets.resolve_links("see {{gallery:whatever}}", {}, BASE)


def test_timestamps_are_relative_to_now():
    data = zaf(103)
    assert data["comments"][0]["createdAt"] == "2026-11-28T11:20:00Z"
    assert data["createdAt"] == data["comments"][0]["createdAt"]
