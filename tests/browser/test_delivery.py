"""Deliveries from the sidebar in a real Chromium: attach, share, revoke, re-share, failure + retry.

Each test works on its own ticket (or only counts what it created itself: deliveries and comments
accumulate on a ticket over the session), checks the sidebar against the backend's own answers,
and checks the effect where a customer or an agent would see it: the workbench conversation (read
back from the Zendesk simulator), the composer, and the tracked link opened in the browser.

Tickets: 103 attach, 104 revoke, 105 share + share into reply + failure/retry, 102 the broken link
(its conversation holds an expired gallery link), 101 one share to its CC (otherwise 101 belongs
to test_sidebar.py, whose checks a working share link there does not change).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
import requests
from playwright.sync_api import FrameLocator, Locator, Page, Response, expect

from backend.sandbox.photoshelter.seed import SEEDED_STATES
from tests.browser.helpers import (
    CARD,
    comments,
    gallery_detail,
    open_gallery,
    reread_ticket,
    search,
    zendesk_faults,
)

pytestmark = pytest.mark.browser

ATTACH_TICKET = 103
REVOKE_TICKET = 104
SHARE_TICKET = 105
BROKEN_LINK_TICKET = 102
CC_TICKET = 101


@pytest.fixture
def zendesk(server) -> Iterator[str]:
    """The Zendesk simulator's faults cleared before and after; yields the server's URL."""
    zendesk_faults(server.url)
    yield server.url
    zendesk_faults(server.url)


@pytest.fixture
def revoke_new_shares(server) -> Iterator[int]:
    """Yields a ticket id; afterwards revokes the live shares made on it, which removes their
    PhotoShelter grants: re-sharing the expired gallery grants fresh access to it, and other tests
    (the "expired" badge, the troubleshooter) rely on the seeded gallery staying expired."""
    ticket_id = BROKEN_LINK_TICKET
    yield ticket_id
    listed = server.get(f"/api/v1/tickets/{ticket_id}/deliveries")
    assert listed.status_code == 200, listed.text
    for delivery in listed.json()["items"]:
        for share in delivery["shares"]:
            if share["status"] in {"active", "expiring"}:
                revoked = server.delete(f"/api/v1/shares/{share['id']}")
                assert revoked.status_code == 200, revoked.text


# --------------------------------------------------------------------------- helpers


def delivered_count(app: FrameLocator) -> int:
    """The Delivered tab's count once the ticket's deliveries are known."""
    count = app.get_by_test_id("delivered-count")
    expect(count).to_have_text(re.compile(r"^\d+$"))
    return int(count.inner_text())


def select_media(app: FrameLocator, how_many: int) -> list[str]:
    """Tick the first `how_many` image tiles of the listing; their ids."""
    tiles = app.locator(f'{CARD}[data-kind="media"]')
    expect(tiles.nth(how_many - 1)).to_be_visible()
    ids = [tiles.nth(i).get_attribute("data-id") for i in range(how_many)]
    for media_id in ids:
        app.locator(f'[data-testid="select-toggle"][data-select-id="{media_id}"]').check()
    expect(app.get_by_test_id("selection-count")).to_have_text(f"{how_many} selected")
    return ids


def new_comment(page: Page, before: int, marker: str) -> Locator:
    """Re-read the ticket; the one comment added since there were `before` (it carries `marker`)."""
    reread_ticket(page)
    expect(comments(page)).to_have_count(before + 1)
    added = comments(page).nth(before)
    expect(added.get_by_test_id("comment-body")).to_contain_text(marker)
    return added


def reference(delivery_id: str) -> str:
    """The marker the backend puts in every comment it posts for a delivery."""
    return f"PhotoShelter ref {delivery_id}"


def is_proxied(path: str, method: str = "POST"):
    """Predicate for the workbench proxy call that carries the app's `method path` request."""

    def match(response: Response) -> bool:
        if not response.url.endswith("/workbench/proxy") or response.request.method != "POST":
            return False
        options = json.loads(response.request.post_data or "{}").get("options", {})
        return options.get("type", "GET").upper() == method and options.get("url", "").endswith(path)

    return match


def open_share_panel_for_gallery(app: FrameLocator, gallery: dict) -> Locator:
    open_gallery(app, gallery)
    app.get_by_test_id("share-gallery").click()
    panel = app.locator('[data-testid="delivery-panel"][data-mode="share"]')
    expect(panel).to_have_attribute("data-stage", "form")
    expect(panel.get_by_test_id("share-target")).to_have_attribute("data-id", gallery["id"])
    return panel


# --------------------------------------------------------------------------- attach


def test_attach_two_images_as_an_internal_note(workbench, server, snapshot):
    page, app = workbench(ATTACH_TICKET)
    before = comments(page).count()
    delivered_before = delivered_count(app)

    search(app, "trail", kind="media")
    ids = select_media(app, 2)
    names = [server.get(f"/api/v1/media/{media_id}").json()["file_name"] for media_id in ids]
    app.get_by_test_id("attach-button").click()

    panel = app.locator('[data-testid="delivery-panel"][data-mode="attach"]')
    expect(panel.get_by_test_id("delivery-file")).to_have_count(2)
    expect(panel.get_by_test_id("comment-type")).to_have_attribute("data-value", "note")
    snapshot("form")
    panel.get_by_test_id("confirm-delivery").click()

    success = panel.get_by_test_id("delivery-success")
    expect(success).to_be_visible()
    delivery_id = success.get_attribute("data-id")
    assert delivery_id
    expect(success.get_by_test_id("delivery-hint")).to_be_visible()

    # The conversation has one new internal note carrying both images as real attachments.
    note = new_comment(page, before, reference(delivery_id))
    expect(note).to_have_attribute("data-public", "false")
    files = note.get_by_test_id("attachment")
    expect(files).to_have_count(2)
    assert sorted(files.evaluate_all("els => els.map(el => el.dataset.fileName)")) == sorted(names)

    # The Delivered tab counts it and lists it as delivered.
    expect(app.get_by_test_id("delivered-count")).to_have_text(str(delivered_before + 1))
    panel.get_by_test_id("view-delivered").click()
    expect(app.get_by_test_id("tab-delivered")).to_have_attribute("aria-selected", "true")
    row = app.locator(f'[data-testid="delivery-row"][data-id="{delivery_id}"]')
    expect(row).to_have_attribute("data-status", "delivered")
    expect(row).to_have_attribute("data-kind", "attachment")
    expect(app.locator('[data-testid="delivery-row"][data-status="delivered"]').first).to_be_visible()
    snapshot("delivered")
    app.get_by_test_id("tab-browse").click()
    expect(app.get_by_test_id("selection-hint")).to_be_visible()  # the selection was cleared


# --------------------------------------------------------------------------- share


def test_share_a_gallery_and_open_the_tracked_link(workbench, server):
    gallery = gallery_detail(server, SEEDED_STATES["public_listed"], per_page=1)
    requester = server.get(f"/api/v1/tickets/{SHARE_TICKET}/context").json()["requester"]
    page, app = workbench(SHARE_TICKET)
    before = comments(page).count()

    panel = open_share_panel_for_gallery(app, gallery)
    expect(panel.locator('[data-testid="recipient-option"][data-role="requester"]')).to_be_checked()
    expect(panel.get_by_test_id("post-as")).to_have_attribute("data-value", "note")
    panel.get_by_test_id("confirm-delivery").click()

    success = panel.get_by_test_id("delivery-success")
    expect(success).to_have_attribute("data-kind", "share")
    link = success.get_by_test_id("share-link").get_attribute("data-url")
    assert link and link.startswith(f"{server.url}/l/"), link
    delivery_id = success.get_attribute("data-id")

    # The internal note records the share: its link, for the requester.
    note = new_comment(page, before, reference(delivery_id))
    expect(note).to_have_attribute("data-public", "false")
    expect(note.get_by_test_id("comment-body").locator(f'a[href="{link}"]')).to_have_count(1)
    expect(note.get_by_test_id("comment-body")).to_contain_text(requester["email"])

    # The customer's click: the tracked link redirects to the gallery with a fresh access token.
    visitor = page.context.new_page()
    try:
        response = visitor.goto(link)
        assert response is not None and response.status == 200, response and response.status
        assert "/sandbox/photoshelter/site/gallery/" in visitor.url, visitor.url
        assert "token=" in visitor.url, visitor.url
        assert gallery["id"] in visitor.url
    finally:
        visitor.close()


def test_share_to_the_requester_and_a_ticked_cc(workbench, server, snapshot):
    gallery = gallery_detail(server, SEEDED_STATES["public_listed"], per_page=1)
    context = server.get(f"/api/v1/tickets/{CC_TICKET}/context").json()
    requester = context["requester"]["email"]
    assert len(context["ccs"]) == 1, context["ccs"]
    cc = context["ccs"][0]
    page, app = workbench(CC_TICKET)
    # The workbench shows the same CC under the requester (from the Zendesk simulator).
    expect(page.get_by_test_id("cc")).to_have_count(1)
    expect(page.get_by_test_id("cc")).to_have_attribute("data-user-id", str(cc["id"]))
    expect(page.get_by_test_id("cc")).to_contain_text(cc["email"])

    panel = open_share_panel_for_gallery(app, gallery)
    options = panel.get_by_test_id("recipient-option")
    expect(options).to_have_count(2)
    expect(panel.locator('[data-testid="recipient-option"][data-role="requester"]')).to_have_value(requester)
    expect(panel.locator('[data-testid="recipient-option"][data-role="requester"]')).to_be_checked()
    option = panel.locator('[data-testid="recipient-option"][data-role="cc"]')
    expect(option).to_have_value(cc["email"])
    expect(option).not_to_be_checked()
    expect(panel.locator('.recipient:has([data-role="cc"])')).to_contain_text(cc["name"])
    snapshot("cc-offered")
    option.check()
    expect(option).to_be_checked()
    panel.get_by_test_id("confirm-delivery").click()

    success = panel.get_by_test_id("delivery-success")
    expect(success).to_have_attribute("data-kind", "share")
    delivery_id = success.get_attribute("data-id")
    listed = server.get(f"/api/v1/tickets/{CC_TICKET}/deliveries").json()["items"]
    delivery = next(d for d in listed if d["id"] == delivery_id)
    assert delivery["recipients"] == [requester, cc["email"]]


def test_share_into_my_reply_puts_the_link_in_the_composer(workbench, server):
    gallery = gallery_detail(server, SEEDED_STATES["public_listed"], per_page=1)
    page, app = workbench(SHARE_TICKET)
    composer = page.get_by_test_id("composer")
    expect(composer.locator("a")).to_have_count(0)
    before = comments(page).count()

    panel = open_share_panel_for_gallery(app, gallery)
    panel.get_by_test_id("post-as").get_by_role("radio", name=re.compile("reply", re.I)).check()
    expect(panel.get_by_test_id("post-as")).to_have_attribute("data-value", "reply")
    panel.get_by_test_id("confirm-delivery").click()

    success = panel.get_by_test_id("delivery-success")
    expect(success).to_be_visible()
    link = success.get_by_test_id("share-link").get_attribute("data-url")
    anchor = composer.locator(f'a[href="{link}"]')
    expect(anchor).to_have_count(1)
    assert link in page.evaluate("() => window.workbench.state().composerHtml")
    # Nothing was posted: the link goes out only when the agent submits the reply.
    reread_ticket(page)
    expect(comments(page)).to_have_count(before)


# --------------------------------------------------------------------------- revoke


def test_revoke_a_share_stops_its_link_and_notes_it(workbench, server):
    created = server.post(
        f"/api/v1/tickets/{REVOKE_TICKET}/shares",
        json={"gallery_id": SEEDED_STATES["public_listed"], "recipients": [], "post_as": "note"},
    )
    assert created.status_code == 201, created.text
    delivery = created.json()
    link, share_id = delivery["link"], delivery["shares"][0]["id"]
    page, app = workbench(REVOKE_TICKET)
    before = comments(page).count()

    app.get_by_test_id("tab-delivered").click()
    row = app.locator(f'[data-testid="delivery-row"][data-id="{delivery["id"]}"]')
    share = row.locator(f'[data-testid="share"][data-id="{share_id}"]')
    expect(share.get_by_test_id("share-status")).to_have_attribute(
        "data-status", re.compile("active|expiring")
    )
    share.get_by_test_id("revoke-button").click()
    share.get_by_test_id("confirm-revoke").click()

    expect(share.get_by_test_id("share-status")).to_have_attribute("data-status", "revoked")
    expect(share.get_by_test_id("revoke-button")).to_have_count(0)
    # The agent who revoked it gets no "the customer's link was revoked" banner about it.
    expect(app.locator(f'[data-testid="broken-link-banner"][data-url="{link}"]')).to_have_count(0)

    # The link now answers the friendly "revoked" page instead of the gallery.
    visitor = page.context.new_page()
    try:
        response = visitor.goto(link)
        assert response is not None and response.status == 410, response and response.status
        expect(visitor.locator('main[data-reason="revoked"]')).to_be_visible()
    finally:
        visitor.close()

    note = new_comment(page, before, reference(delivery["id"]))
    expect(note).to_have_attribute("data-public", "false")
    expect(note.get_by_test_id("comment-body")).to_contain_text("revoked")


# --------------------------------------------------------------------------- broken link


def test_broken_link_banner_reshares_the_expired_gallery(workbench, server, snapshot, revoke_new_shares):
    context = server.get(f"/api/v1/tickets/{BROKEN_LINK_TICKET}/context").json()
    broken = [link for link in context["links"] if link["works"] is False]
    assert [link["cause"] for link in broken] == ["expired"], broken
    expired = broken[0]
    requester = context["requester"]["email"]
    assert requester == "sam@peakoutfitters.example"
    _, app = workbench(BROKEN_LINK_TICKET)

    banner = app.get_by_test_id("broken-link-banner")
    expect(banner).to_have_attribute("data-cause", "expired")
    expect(banner).to_have_attribute("data-url", expired["url"])
    expect(banner.get_by_test_id("banner-reason")).to_have_text(expired["reason"])
    snapshot("banner")
    banner.get_by_test_id("reshare-button").click()

    panel = app.locator('[data-testid="delivery-panel"][data-mode="share"]')
    expect(panel.get_by_test_id("reshare-context")).to_be_visible()
    expect(panel.get_by_test_id("share-target")).to_have_attribute("data-id", expired["container_id"])
    prefilled = panel.locator('[data-testid="recipient-option"]:checked')
    expect(prefilled).to_have_count(1)
    expect(prefilled).to_have_value(requester)
    panel.get_by_test_id("confirm-delivery").click()

    success = panel.get_by_test_id("delivery-success")
    expect(success).to_be_visible()
    fresh = success.get_by_test_id("share-link").get_attribute("data-url")
    expect(app.get_by_test_id("broken-link-banner")).to_have_count(0)

    # After a reload the conversation holds both links; the fresh one (posted after the expired
    # one, to the same gallery) works, so the app no longer warns about the old one.
    links = server.get(f"/api/v1/tickets/{BROKEN_LINK_TICKET}/context").json()["links"]
    by_url = {link["url"]: link for link in links}
    assert by_url[fresh]["works"] is True and by_url[expired["url"]]["works"] is False
    assert list(by_url).index(fresh) > list(by_url).index(expired["url"])
    _, app = workbench(BROKEN_LINK_TICKET)
    expect(app.get_by_test_id("delivered-count")).to_have_text(re.compile(r"^[1-9]\d*$"))
    expect(app.get_by_test_id("broken-link-banner")).to_have_count(0)


# --------------------------------------------------------------------------- failure + retry


def test_attach_failure_shows_the_backend_message_and_retry_delivers_once(
    workbench, zendesk, server, snapshot
):
    page, app = workbench(SHARE_TICKET)
    before = comments(page).count()
    search(app, "hero", kind="media")
    select_media(app, 1)
    app.get_by_test_id("attach-button").click()
    panel = app.locator('[data-testid="delivery-panel"][data-mode="attach"]')
    confirm = panel.get_by_test_id("confirm-delivery")
    expect(confirm).to_be_enabled()

    zendesk_faults(zendesk, fail_next=5, error_status=503)
    with page.expect_response(is_proxied(f"/api/v1/tickets/{SHARE_TICKET}/attachments")) as answer:
        confirm.click()
    envelope = answer.value.json()
    assert envelope["status"] == 502, envelope
    error = json.loads(envelope["body"])["error"]
    failed_id = error["details"]["delivery"]["id"]

    failure = panel.get_by_test_id("delivery-failure")
    expect(failure).to_have_attribute("data-status", "502")
    expect(failure).to_have_attribute("data-retry", "retry_delivery")
    expect(failure.get_by_test_id("delivery-error-message")).to_have_text(error["message"])
    recorded = server.get(f"/api/v1/tickets/{SHARE_TICKET}/deliveries").json()["items"]
    assert [d["status"] for d in recorded if d["id"] == failed_id] == ["failed"]
    snapshot("failure")

    zendesk_faults(zendesk)
    failure.get_by_test_id("delivery-retry").click()
    success = panel.get_by_test_id("delivery-success")
    expect(success).to_have_attribute("data-id", failed_id)  # the same delivery, retried

    note = new_comment(page, before, reference(failed_id))
    expect(note).to_have_attribute("data-public", "false")
    expect(note.get_by_test_id("attachment")).to_have_count(1)
    # Exactly one such comment in Zendesk itself (the failed attempt left none behind).
    ticket = requests.get(f"{server.url}/workbench/api/ticket/{SHARE_TICKET}", timeout=10).json()["ticket"]
    assert [c for c in ticket["comments"] if reference(failed_id) in c["value"]] != []
    assert len([c for c in ticket["comments"] if reference(failed_id) in c["value"]]) == 1
    recorded = server.get(f"/api/v1/tickets/{SHARE_TICKET}/deliveries").json()["items"]
    assert [d["status"] for d in recorded if d["id"] == failed_id] == ["delivered"]
