"""Deliveries end to end over real HTTP: attach, share, tracked links, revoke, context, idempotency.

The live demo backend writes to its Zendesk simulator and PhotoShelter simulator; the tests read
both back over their APIs, as a person checking the ticket and the library would.
"""

from __future__ import annotations

import uuid

import pytest
import requests
from sqlalchemy import select

from backend.sandbox.photoshelter.seed import SEEDED_STATES
from backend.sandbox.zendesk import seed as zendesk_seed
from backend.store.models import AuditEvent, LinkEvent

ZD_AUTH = (f"{zendesk_seed.DEMO_EMAIL}/token", zendesk_seed.DEMO_API_TOKEN)


def zendesk_get(live, path):
    """A read from the Zendesk simulator's REST API (`path` below `/api/v2`)."""
    response = requests.get(f"{live.url}/sandbox/zendesk/api/v2{path}", auth=ZD_AUTH, timeout=10)
    response.raise_for_status()
    return response.json()


def comments(live, ticket_id):
    return zendesk_get(live, f"/tickets/{ticket_id}/comments")["comments"]


def media_ids(live, count, q=""):
    body = live.get("/api/v1/search", params={"kind": "media", "q": q, "per_page": count}).json()
    return [item["id"] for item in body["items"]]


def audit_actions(live, ticket_id):
    ext = live.app.extensions["psz"]
    with ext.sessions() as session:
        rows = session.scalars(select(AuditEvent).where(AuditEvent.ticket_id == ticket_id)).all()
        return [(row.action, str(row.outcome), row.actor) for row in rows]


def test_attach_two_images_lands_one_comment_with_both_files(live):
    before = len(comments(live, 105))
    ids = media_ids(live, 2)
    response = live.post("/api/v1/tickets/105/attachments", json={"media_ids": ids, "note": "As requested"})
    assert response.status_code == 201, response.text
    delivery = response.json()
    assert delivery["status"] == "delivered" and delivery["kind"] == "attachment"
    after = comments(live, 105)
    assert len(after) == before + 1
    comment = after[-1]
    assert comment["public"] is False
    assert "As requested" in comment["html_body"]
    assert len(comment["attachments"]) == 2
    image = requests.get(comment["attachments"][0]["content_url"], timeout=10)
    assert image.status_code == 200 and image.content[:2] == b"\xff\xd8"
    assert ("attachment.created", "ok", "agent:1 (asserted)") in audit_actions(live, 105)


def test_attach_as_public_reply(live):
    ids = media_ids(live, 1)
    response = live.post("/api/v1/tickets/105/attachments", json={"media_ids": ids, "public": True})
    assert response.status_code == 201
    assert comments(live, 105)[-1]["public"] is True


def test_retried_request_with_idempotency_key_never_adds_a_second_comment(live):
    ids = media_ids(live, 1)
    key = str(uuid.uuid4())
    before = len(comments(live, 103))
    first = live.post(
        "/api/v1/tickets/103/attachments", json={"media_ids": ids}, headers={"Idempotency-Key": key}
    )
    second = live.post(
        "/api/v1/tickets/103/attachments", json={"media_ids": ids}, headers={"Idempotency-Key": key}
    )
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second.headers.get("Idempotent-Replayed") == "true"
    assert len(comments(live, 103)) == before + 1
    other = live.post(
        "/api/v1/tickets/103/attachments",
        json={"media_ids": ids, "public": True},
        headers={"Idempotency-Key": key},
    )
    assert other.status_code == 422 and other.json()["error"]["code"] == "idempotency_key_reused"


def test_share_gallery_link_opens_then_revoke_shows_friendly_page(live):
    gallery_id = SEEDED_STATES["public_listed"]
    response = live.post(
        "/api/v1/tickets/101/shares",
        json={"gallery_id": gallery_id, "expires_in_days": 10, "max_downloads": 3},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    share = body["shares"][0]
    assert share["status"] == "active" and share["downloads_left"] == 3
    assert body["recipients"] == ["jordan.ellis@trailpress.example"]  # the requester by default
    assert "credential" not in response.text and "token=" not in response.text
    note = comments(live, 101)[-1]
    assert body["link"] in note["html_body"] and note["public"] is False
    opened = requests.get(body["link"], allow_redirects=False, timeout=10)
    assert opened.status_code == 302
    assert "/gallery/" in opened.headers["Location"] and "token=" in opened.headers["Location"]
    page = requests.get(opened.headers["Location"], timeout=10)
    assert page.status_code == 200
    revoked = live.delete(f"/api/v1/shares/{share['id']}")
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    closed = requests.get(body["link"], allow_redirects=False, timeout=10)
    assert closed.status_code == 410
    assert "withdrawn" in closed.text and "text/html" in closed.headers["Content-Type"]
    assert "was revoked" in comments(live, 101)[-1]["html_body"]
    again = live.delete(f"/api/v1/shares/{share['id']}")
    assert again.status_code == 200  # idempotent
    actions = [a for a, _, _ in audit_actions(live, 101)]
    assert "share.created" in actions and actions.count("share.revoked") == 1


def test_share_selection_creates_a_delivery_gallery_holding_exactly_those_images(live):
    ids = media_ids(live, 3, q="trail")
    response = live.post("/api/v1/tickets/104/shares", json={"media_ids": ids, "post_as": "reply"})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["html"].count("<a ") == 1 and body["link"] in body["html"]
    assert body["gallery_id"] and body["gallery_id"] not in SEEDED_STATES.values()
    detail = live.get(f"/api/v1/galleries/{body['gallery_id']}").json()
    assert sorted(m["id"] for m in detail["media"]["items"]) == sorted(ids)
    assert detail["access"]["status"] == "restricted" and detail["is_listed"] is False


def test_download_limit_is_enforced_by_the_tracked_link(live):
    ids = media_ids(live, 1)
    body = live.post("/api/v1/tickets/104/shares", json={"media_ids": ids, "max_downloads": 1}).json()
    first = requests.get(f"{body['link']}/download/{ids[0]}", timeout=10)
    assert first.status_code == 200 and first.content[:2] == b"\xff\xd8"
    assert "attachment" in first.headers["Content-Disposition"]
    second = requests.get(f"{body['link']}/download/{ids[0]}", timeout=10)
    assert second.status_code == 403 and "download limit" in second.text
    listed = live.get("/api/v1/tickets/104/deliveries").json()["items"]
    share = next(s for d in listed for s in d["shares"] if s["id"] == body["shares"][0]["id"])
    assert share["status"] == "exhausted" and share["downloads_left"] == 0
    ext = live.app.extensions["psz"]
    with ext.sessions() as session:
        kinds = [str(e.kind) for e in session.scalars(select(LinkEvent)).all()]
    assert "download" in kinds and "denied" in kinds


def test_view_only_share_refuses_downloads(live):
    ids = media_ids(live, 1)
    body = live.post("/api/v1/tickets/104/shares", json={"media_ids": ids, "allow_download": False}).json()
    assert requests.get(f"{body['link']}/download/{ids[0]}", timeout=10).status_code == 403
    assert requests.get(body["link"], allow_redirects=False, timeout=10).status_code == 302


def test_unknown_link_is_a_friendly_404(live):
    response = requests.get(f"{live.url}/l/NoSuchLinkAtAll123", timeout=10)
    assert response.status_code == 404 and "does not exist" in response.text


def test_context_shows_requester_org_and_why_the_customers_link_fails(live):
    body = live.get("/api/v1/tickets/102/context").json()
    assert body["requester"]["email"] == "sam@peakoutfitters.example"
    assert body["organization"]["fields"]["tier"]
    broken = [link for link in body["links"] if not link["works"]]
    assert broken and broken[0]["cause"] == "expired"
    assert broken[0]["container_id"] == SEEDED_STATES["expired"]


def test_context_lists_the_tickets_ccs_as_possible_recipients(live):
    ticket = zendesk_get(live, "/tickets/101")["ticket"]
    assert len(ticket["email_cc_ids"]) == 1
    cc = zendesk_get(live, f"/users/{ticket['email_cc_ids'][0]}")["user"]
    body = live.get("/api/v1/tickets/101/context").json()
    assert body["ccs"] == [{"id": cc["id"], "name": cc["name"], "email": cc["email"]}]
    assert body["requester"]["email"] not in {c["email"] for c in body["ccs"]}
    assert live.get("/api/v1/tickets/102/context").json()["ccs"] == []


def test_context_reports_revoked_share_links_in_the_conversation(live):
    body = live.post(
        "/api/v1/tickets/103/shares", json={"gallery_id": SEEDED_STATES["public_unlisted"]}
    ).json()
    live.delete(f"/api/v1/shares/{body['shares'][0]['id']}")
    context = live.get("/api/v1/tickets/103/context").json()
    mine = [link for link in context["links"] if link["url"] == body["link"]]
    assert mine and mine[0]["source"] == "share" and mine[0]["cause"] == "revoked"


def test_failed_delivery_is_recorded_and_retry_completes_it(live):
    ids = media_ids(live, 1)
    before = len(comments(live, 105))
    requests.post(
        f"{live.url}/sandbox/zendesk/_faults", json={"fail_next": 5, "error_status": 503}, timeout=5
    )
    try:
        failed = live.post("/api/v1/tickets/105/attachments", json={"media_ids": ids})
    finally:
        requests.delete(f"{live.url}/sandbox/zendesk/_faults", timeout=5)
    assert failed.status_code == 502, failed.text
    error = failed.json()["error"]
    assert error["code"] == "delivery_failed"
    delivery_id = error["details"]["delivery"]["id"]
    listed = live.get("/api/v1/tickets/105/deliveries").json()["items"]
    row = next(d for d in listed if d["id"] == delivery_id)
    assert row["status"] == "failed" and row["error"]["message"]
    assert len(comments(live, 105)) == before
    retried = live.post(f"/api/v1/deliveries/{delivery_id}/retry")
    assert retried.status_code == 200, retried.text
    assert retried.json()["status"] == "delivered" and retried.json()["attempts"] == 1
    assert len(comments(live, 105)) == before + 1
    assert live.post(f"/api/v1/deliveries/{delivery_id}/retry").status_code == 409


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/tickets/101/attachments", {"media_ids": []}, "media_ids"),
        ("/api/v1/tickets/101/attachments", {"media_ids": ["G0000aaaaaaaaaaa"]}, "media_ids"),
        ("/api/v1/tickets/101/attachments", {"media_ids": ["I0000aaaaaaaaaaa"], "colour": 1}, "colour"),
        ("/api/v1/tickets/101/shares", {}, "gallery_id"),
        (
            "/api/v1/tickets/101/shares",
            {"gallery_id": SEEDED_STATES["private"], "media_ids": ["I0000aaaaaaaaaaa"]},
            "gallery_id",
        ),
        (
            "/api/v1/tickets/101/shares",
            {"gallery_id": SEEDED_STATES["private"], "recipients": ["not-an-email"]},
            "recipients",
        ),
        (
            "/api/v1/tickets/101/shares",
            {"gallery_id": SEEDED_STATES["private"], "expires_in_days": 0},
            "expires_in_days",
        ),
    ],
)
def test_bad_delivery_input_is_400(live, path, body, field):
    response = live.post(path, json=body)
    assert response.status_code == 400, response.text
    assert field in response.json()["error"]["details"]["fields"]


def test_unknown_media_is_reported_not_attached(live):
    before = len(live.get("/api/v1/tickets/101/deliveries").json()["items"])
    response = live.post("/api/v1/tickets/101/attachments", json={"media_ids": ["I0000zzzzzzzzzzz"]})
    assert response.status_code == 404
    assert "I0000zzzzzzzzzzz" in response.json()["error"]["message"]
    assert len(live.get("/api/v1/tickets/101/deliveries").json()["items"]) == before


def test_share_longer_than_allowed_is_409(live):
    response = live.post(
        "/api/v1/tickets/101/shares", json={"gallery_id": SEEDED_STATES["private"], "expires_in_days": 200}
    )
    assert response.status_code == 409


def test_token_for_another_ticket_is_refused(live):
    token = live.token(ticket_id=101)
    response = live.get("/api/v1/tickets/102/deliveries", token=token)
    assert response.status_code == 403


def test_unknown_share_and_delivery_are_404(live):
    assert live.delete("/api/v1/shares/NoSuchShare1234").status_code == 404
    assert live.post("/api/v1/deliveries/dl_NoSuchDelivery/retry").status_code == 404


def test_context_tells_the_sidebar_the_delivery_limits(live):
    limits = live.get("/api/v1/tickets/101/context").json()["limits"]
    assert limits == {
        "attachment_limit_bytes": 7 * 1024 * 1024,
        "default_share_days": 14,
        "max_share_days": 90,
    }
