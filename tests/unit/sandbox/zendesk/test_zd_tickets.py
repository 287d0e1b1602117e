"""Ticket updates (safe update), tags, comments pagination, external_id lookup, create + idempotency."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.unit.sandbox.conftest import Clock
from tests.unit.sandbox.zendesk.conftest import ZdApi, zd_error


def _ticket(zd: ZdApi, ticket_id: int) -> dict[str, Any]:
    return zd.ok("GET", f"/tickets/{ticket_id}")["ticket"]


def _new_ticket(**overrides: Any) -> dict[str, Any]:
    ticket: dict[str, Any] = {
        "subject": "Gallery access expires soon",
        "comment": {
            "html_body": "<p>The share for <b>Trail Press</b> expires tomorrow.</p>",
            "public": False,
        },
        "requester": {"email": "jordan.ellis@trailpress.example"},
        "priority": "high",
        "tags": ["ps_expiry"],
        "external_id": "ps-grant:G1",
    }
    ticket.update(overrides)
    return {"ticket": ticket}


# ------------------------------------------------------------------------------ update + safe


def test_update_fields_returns_ticket_and_audit(zd: ZdApi, clock: Clock) -> None:
    before = _ticket(zd, 101)
    clock.advance(minutes=5)
    body = zd.ok(
        "PUT",
        "/tickets/101",
        json={
            "ticket": {
                "priority": "urgent",
                "status": "pending",
                "custom_fields": [{"id": 360001, "value": "retail"}],
            }
        },
    )
    ticket, audit = body["ticket"], body["audit"]
    assert (ticket["priority"], ticket["status"]) == ("urgent", "pending")
    assert ticket["custom_fields"] == [{"id": 360001, "value": "retail"}]
    assert ticket["updated_at"] == "2026-11-28T12:05:00Z" != before["updated_at"]
    changes = {e["field_name"]: (e["previous_value"], e["value"]) for e in audit["events"]}
    assert changes["priority"] == ("normal", "urgent") and changes["status"] == ("open", "pending")
    assert audit["ticket_id"] == 101 and audit["author_id"] == 9000


def test_update_validation(zd: ZdApi) -> None:
    zd_error(zd.put("/tickets/101", {"ticket": {"priority": "critical"}}), 422, "RecordInvalid")
    zd_error(zd.put("/tickets/101", {"ticket": {"status": "archived"}}), 422, "RecordInvalid")
    zd_error(zd.put("/tickets/101", {"ticket": {"comment": {"body": "  "}}}), 422, "RecordInvalid")
    zd_error(
        zd.put("/tickets/101", {"ticket": {"comment": {"body": "x", "author_id": 1}}}), 422, "RecordInvalid"
    )
    zd_error(zd.put("/tickets/101", {"nope": 1}), 400, "InvalidValue")
    response = zd.open("PUT", "/tickets/101", data="not json", content_type="application/json")
    assert response.status_code == 400
    zd_error(zd.put("/tickets/999", {"ticket": {"priority": "low"}}), 404, "RecordNotFound")
    assert _ticket(zd, 101)["priority"] == "normal"  # nothing changed


def test_safe_update_conflict(zd: ZdApi, clock: Clock) -> None:
    stamp = _ticket(zd, 102)["updated_at"]
    stale = "2020-01-01T00:00:00Z"
    conflict = zd.put(
        "/tickets/102", {"ticket": {"priority": "low", "safe_update": True, "updated_stamp": stale}}
    )
    body = zd_error(conflict, 409, "UpdateConflict")
    assert "Safe Update" in body["description"]

    fresh = zd.put(
        "/tickets/102", {"ticket": {"comment": {"body": "ok"}, "safe_update": True, "updated_stamp": stamp}}
    )
    assert fresh.status_code == 200
    # Same clock second: updated_at still moves, so the old stamp is now stale.
    again = zd.put(
        "/tickets/102", {"ticket": {"comment": {"body": "dup"}, "safe_update": True, "updated_stamp": stamp}}
    )
    zd_error(again, 409, "UpdateConflict")
    assert [c["body"] for c in zd.ok("GET", "/tickets/102/comments")["comments"]][-1] == "ok"
    missing = zd.put("/tickets/102", {"ticket": {"priority": "low", "safe_update": True}})
    zd_error(missing, 422, "RecordInvalid")


def test_comment_bodies_public_default_and_sanitising(zd: ZdApi) -> None:
    unsafe = '<p onclick="x()">Hi <script>alert(1)</script><a href="javascript:alert(2)">x</a></p>'
    zd.ok("PUT", "/tickets/103", json={"ticket": {"comment": {"html_body": unsafe}}})
    note = {"body": "Line one\nLine two", "public": False}
    zd.ok("PUT", "/tickets/103", json={"ticket": {"comment": note}})
    comments = zd.ok("GET", "/tickets/103/comments")["comments"]
    html_comment, text_comment = comments[-2], comments[-1]
    assert html_comment["public"] is True  # the ticket was created public
    assert "script" not in html_comment["html_body"] and "onclick" not in html_comment["html_body"]
    assert "javascript" not in html_comment["html_body"]
    assert html_comment["body"] == "Hi x"
    assert text_comment["public"] is False
    assert "Line one<br>Line two" in text_comment["html_body"]


def test_closed_ticket_cannot_be_updated(zd: ZdApi) -> None:
    zd.ok("PUT", "/tickets/105", json={"ticket": {"status": "closed"}})
    zd_error(zd.comment(105, body="too late"), 422, "RecordInvalid")
    zd_error(zd.put("/tickets/105/tags", {"tags": ["x"]}), 422, "RecordInvalid")


# --------------------------------------------------------------------------------------- tags


def test_tags_list_set_add_remove(zd: ZdApi) -> None:
    assert zd.ok("GET", "/tickets/101/tags") == {"tags": ["press_request", "launch"]}
    added = zd.ok("PUT", "/tickets/101/tags", json={"tags": ["PS_Delivered", "launch"]})
    assert added == {"tags": ["press_request", "launch", "ps_delivered"]}
    removed = zd.ok("DELETE", "/tickets/101/tags", json={"tags": ["press_request", "not_there"]})
    assert removed == {"tags": ["launch", "ps_delivered"]}
    replaced = zd.ok("POST", "/tickets/101/tags", json={"tags": ["only this"]})
    assert replaced == {"tags": ["only", "this"]}  # whitespace splits tags, as in Zendesk
    assert _ticket(zd, 101)["tags"] == ["only", "this"]
    zd_error(zd.put("/tickets/101/tags", {"tags": [1]}), 422, "RecordInvalid")
    zd_error(zd.put("/tickets/101/tags", {}), 400, "InvalidValue")
    zd_error(zd.put("/tickets/999/tags", {"tags": ["x"]}), 404, "RecordNotFound")


def test_tags_safe_update_and_update_tag_keys(zd: ZdApi, clock: Clock) -> None:
    stamp = _ticket(zd, 104)["updated_at"]
    clock.advance(seconds=30)
    ok = zd.put("/tickets/104/tags", {"tags": ["escalated"], "safe_update": "true", "updated_stamp": stamp})
    assert ok.status_code == 200
    new_stamp = _ticket(zd, 104)["updated_at"]
    assert new_stamp == "2026-11-28T12:00:30Z"
    stale = zd.delete("/tickets/104/tags", {"tags": ["vip"], "safe_update": "true", "updated_stamp": stamp})
    zd_error(stale, 409, "UpdateConflict")
    body = zd.ok(
        "PUT", "/tickets/104", json={"ticket": {"additional_tags": ["ps_sent"], "remove_tags": ["retail"]}}
    )
    assert body["ticket"]["tags"] == ["vip", "escalated", "ps_sent"]
    unchanged = _ticket(zd, 104)["updated_at"]
    zd.ok("PUT", "/tickets/104/tags", json={"tags": ["vip"]})  # no-op add keeps updated_at
    assert _ticket(zd, 104)["updated_at"] == unchanged


# ---------------------------------------------------------------------------------- comments


def test_comments_pagination(zd: ZdApi) -> None:
    first = zd.ok("GET", "/tickets/101/comments", query_string={"per_page": 2})
    assert first["count"] == 3 and first["previous_page"] is None
    assert [c["id"] for c in first["comments"]] == [1011, 1012]
    next_url = urlsplit(first["next_page"])
    assert next_url.path == "/api/v2/tickets/101/comments.json"
    second = zd.client.get(f"{next_url.path}?{next_url.query}", headers=zd.headers()).get_json()
    assert [c["id"] for c in second["comments"]] == [1013]
    assert second["next_page"] is None and second["previous_page"].endswith("page=1&per_page=2")
    desc = zd.ok("GET", "/tickets/101/comments", query_string={"sort_order": "desc"})
    assert [c["id"] for c in desc["comments"]] == [1013, 1012, 1011]
    assert zd.ok("GET", "/tickets/101/comments", query_string={"per_page": 500})["next_page"] is None
    assert zd.get("/tickets/101/comments", page="x").status_code == 400


def test_comment_default_page_size_is_100(zd: ZdApi) -> None:
    for i in range(100):
        zd.ok("PUT", "/tickets/105", json={"ticket": {"comment": {"body": f"note {i}", "public": False}}})
    page = zd.ok("GET", "/tickets/105/comments")
    assert page["count"] == 101 and len(page["comments"]) == 100 and page["next_page"]


# ------------------------------------------------------------------------ create, external_id


def test_create_ticket_and_find_by_external_id(zd: ZdApi) -> None:
    response = zd.post("/tickets", _new_ticket())
    assert response.status_code == 201
    ticket = response.get_json()["ticket"]
    assert response.headers["Location"] == f"http://localhost/api/v2/tickets/{ticket['id']}.json"
    assert "x-idempotency-lookup" not in response.headers
    assert ticket["id"] == 106
    assert (ticket["requester_id"], ticket["organization_id"], ticket["submitter_id"]) == (7101, 501, 9000)
    assert (ticket["status"], ticket["priority"], ticket["tags"]) == ("new", "high", ["ps_expiry"])
    assert ticket["external_id"] == "ps-grant:G1"
    comment = zd.ok("GET", "/tickets/106/comments")["comments"][0]
    assert comment["public"] is False and comment["body"] == "The share for Trail Press expires tomorrow."

    found = zd.ok("GET", "/tickets", query_string={"external_id": "ps-grant:G1"})
    assert [t["id"] for t in found["tickets"]] == [106] and found["count"] == 1
    assert found["next_page"] is None
    assert zd.ok("GET", "/tickets", query_string={"external_id": "nope"}) == {
        "tickets": [],
        "next_page": None,
        "previous_page": None,
        "count": 0,
    }


def test_create_ticket_requesters(zd: ZdApi) -> None:
    new = zd.ok("POST", "/tickets", 201, json=_new_ticket(requester={"email": "new.person@press.example"}))
    user = zd.ok("GET", f"/users/{new['ticket']['requester_id']}")["user"]
    assert (user["email"], user["name"], user["role"]) == (
        "new.person@press.example",
        "new.person",
        "end-user",
    )
    by_id = zd.ok("POST", "/tickets", 201, json=_new_ticket(requester=None, requester_id=7104))
    assert by_id["ticket"]["organization_id"] == 504
    own = zd.ok("POST", "/tickets", 201, json=_new_ticket(requester=None))
    assert own["ticket"]["requester_id"] == 9000
    zd_error(zd.post("/tickets", _new_ticket(requester=None, requester_id=1)), 422, "RecordInvalid")
    zd_error(zd.post("/tickets", _new_ticket(requester={"email": "not-an-email"})), 422, "RecordInvalid")
    zd_error(zd.post("/tickets", _new_ticket(comment=None)), 422, "RecordInvalid")
    zd_error(zd.post("/tickets", _new_ticket(priority="p1")), 422, "RecordInvalid")


def test_idempotency_key_hit_miss_mismatch(zd: ZdApi, clock: Clock) -> None:
    headers = {"Idempotency-Key": "expiry:G1:2026-12-01"}
    first = zd.post("/tickets", _new_ticket(), headers=headers)
    assert first.status_code == 201 and first.headers["x-idempotency-lookup"] == "miss"
    again = zd.post("/tickets", _new_ticket(), headers=headers)
    assert again.status_code == 201 and again.headers["x-idempotency-lookup"] == "hit"
    assert again.get_json()["ticket"]["id"] == first.get_json()["ticket"]["id"]
    assert zd.ok("GET", "/tickets", query_string={"external_id": "ps-grant:G1"})["count"] == 1

    different = zd.post("/tickets", _new_ticket(subject="Another"), headers=headers)
    zd_error(different, 400, "IdempotentRequestError")

    other_key = zd.post("/tickets", _new_ticket(), headers={"Idempotency-Key": "other"})
    assert other_key.headers["x-idempotency-lookup"] == "miss"
    assert zd.ok("GET", "/tickets", query_string={"external_id": "ps-grant:G1"})["count"] == 2
    zd_error(
        zd.post("/tickets", _new_ticket(), headers={"Idempotency-Key": "k" * 256}),
        400,
        "IdempotentRequestError",
    )

    clock.advance(hours=2, seconds=1)  # keys are remembered for 2 hours
    late = zd.post("/tickets", _new_ticket(), headers=headers)
    assert late.headers["x-idempotency-lookup"] == "miss"


def test_failed_create_does_not_burn_the_key(zd: ZdApi) -> None:
    headers = {"Idempotency-Key": "k1"}
    zd_error(zd.post("/tickets", _new_ticket(priority="p1"), headers=headers), 422, "RecordInvalid")
    ok = zd.post("/tickets", _new_ticket(), headers=headers)
    assert ok.status_code == 201 and ok.headers["x-idempotency-lookup"] == "miss"


@pytest.mark.parametrize("suffix", ["", ".json"])
def test_json_suffix_routes(zd: ZdApi, suffix: str) -> None:
    assert zd.ok("GET", f"/tickets/101{suffix}")["ticket"]["id"] == 101
    assert zd.ok("GET", f"/tickets/101/tags{suffix}")["tags"]
    assert zd.ok("GET", f"/organizations/501{suffix}")["organization"]["id"] == 501
