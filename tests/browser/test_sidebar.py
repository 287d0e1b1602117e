"""The sidebar app in a real Chromium, hosted by the workbench ticket page, against the demo backend.

Expected values (names, links, counts, reasons, error messages) come from the backend's own API
on the same server, so the tests check what the agent sees against what the backend said, not
against copies of the seed.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Locator, Page, expect

from backend.sandbox.photoshelter.seed import SEEDED_STATES
from tests.browser.helpers import CARD, IFRAME_SETTLED_JS, card, gallery_detail, open_gallery, search, settle

pytestmark = pytest.mark.browser

TICKET = 101
NONSENSE = "qzxvjk-no-such-picture"

# --------------------------------------------------------------------------- helpers


def badge(scope: Locator, badge_id: str) -> Locator:
    return scope.locator(f'[data-testid="badge"][data-badge="{badge_id}"]')


def expect_badge(scope: Locator, badge_id: str, text: str, tone: str, only: bool = False) -> None:
    found = badge(scope, badge_id)
    expect(found).to_have_count(1)
    expect(found).to_have_text(text)
    expect(found).to_have_attribute("data-tone", tone)
    if only:  # nothing alarming next to an open link
        expect(scope.get_by_test_id("badge")).to_have_count(1)


def wait_image_loaded(img: Locator) -> int:
    """Scroll a (lazy) image into view and return its naturalWidth once it loaded (0 if it broke)."""
    img.scroll_into_view_if_needed()
    return img.evaluate(
        """img => (img.complete && img.naturalWidth > 0) ? img.naturalWidth : new Promise(done => {
             img.addEventListener('load', () => done(img.naturalWidth), {once: true});
             img.addEventListener('error', () => done(0), {once: true});
             if (img.complete) done(img.naturalWidth);
           })"""
    )


def days_until(iso: str) -> int:
    left = datetime.fromisoformat(iso) - datetime.now(UTC)
    return max(0, math.ceil(left.total_seconds() / 86400))


# --------------------------------------------------------------------------- registration


# The height the app last asked for, once the host applied it to the iframe (else null). Read in
# one go: the app re-reports its size (debounced) while the first listing lays out.
_APPLIED_HEIGHT_JS = """() => {
  const frame = document.querySelector('[data-testid="app-iframe"]');
  const asked = parseFloat(frame.dataset.height || '');
  const shown = frame.getBoundingClientRect().height;
  return asked > 0 && Math.abs(shown - asked) <= 1 ? asked : null;
}"""


def test_app_registers_and_resizes_its_iframe(workbench):
    page, app = workbench(TICKET)
    iframe = page.get_by_test_id("app-iframe")

    expect(iframe).to_have_attribute("data-height", re.compile(r"^\d+px$"))
    assert page.evaluate("() => window.workbench.state().registered") is True
    # The app's last size report matches its content, and the host applied that size.
    page.wait_for_function(IFRAME_SETTLED_JS)
    height = page.wait_for_function(_APPLIED_HEIGHT_JS).json_value()
    assert height > 100
    expect(app.get_by_test_id("search-input")).to_be_visible()
    expect(page.get_by_test_id("ticket-subject")).not_to_be_empty()


# --------------------------------------------------------------------------- search


def test_search_trail_shows_cards_with_loaded_thumbnails(workbench, server):
    _, app = workbench(TICKET)
    search(app, "trail")

    expect(app.get_by_test_id("result-count")).to_contain_text("trail")
    api = server.get("/api/v1/search", params={"q": "trail", "kind": "all", "per_page": 6}).json()
    with_thumbs = [item for item in api["items"] if item.get("thumbnail_url")]
    assert with_thumbs, "the seeded library has thumbnails for 'trail'"
    assert any(item["kind"] == "media" for item in with_thumbs)

    for item in with_thumbs:
        tile = card(app, item["id"])
        expect(tile).to_have_attribute("data-kind", item["kind"])
        img = tile.locator("img")
        expect(img).to_have_attribute("src", item["thumbnail_url"])
        assert wait_image_loaded(img) > 0, f"thumbnail of {item['kind']} {item['id']} did not load"
        expect(tile.locator(".thumb-placeholder")).to_have_count(0)


# (badge id, text, tone) per seeded state; `None` text means "computed from the expiry date".
EXPECTED_BADGES = {
    "public_listed": ("public", "Public", "green"),
    "public_unlisted": ("unlisted", "Unlisted", "blue"),
    "password": ("password", "Password", "yellow"),
    "token": ("restricted", "Restricted", "yellow"),
    "contact": ("restricted", "Restricted", "yellow"),
    "inherited": ("password", "Password", "yellow"),
    "private": ("private", "Private", "red"),
    "expiring_soon": ("expires_in", None, "yellow"),
    "expired": ("expired", "Expired", "red"),
    "downloads_exhausted": ("no_downloads", "No downloads left", "red"),
}


@pytest.mark.parametrize("state", list(EXPECTED_BADGES))
def test_badge_for_each_seeded_access_state(workbench, server, state):
    gallery = gallery_detail(server, SEEDED_STATES[state])
    badge_id, text, tone = EXPECTED_BADGES[state]
    if text is None:
        days = days_until(gallery["access"]["expires_at"])
        text = f"Expires in {days} day" + ("" if days == 1 else "s")
    _, app = workbench(TICKET)

    search(app, gallery["name"], kind="gallery")
    row = card(app, gallery["id"])
    expect_badge(row, badge_id, text, tone, only=state.startswith("public"))
    # The same badge heads the opened gallery.
    row.click()
    header = app.get_by_test_id("gallery-detail").locator("header")
    expect_badge(header, badge_id, text, tone, only=state.startswith("public"))
    if tone == "red":
        expect(app.get_by_test_id("access-reason")).to_have_text(gallery["access"]["reason"])


def test_kind_filter_galleries_shows_only_gallery_cards(workbench, server):
    _, app = workbench(TICKET)
    # The unfiltered listing mixes kinds...
    expect(app.locator(f'{CARD}[data-kind="collection"]').first).to_be_visible()
    expect(app.locator(f'{CARD}[data-kind="media"]').first).to_be_attached()

    app.get_by_test_id("kind-filter").select_option("gallery")
    settle(app)

    total = server.get("/api/v1/search", params={"kind": "gallery", "per_page": 1}).json()["paging"]["total"]
    cards = app.locator(CARD)
    expect(cards.first).to_be_visible()
    expect(app.locator(f'{CARD}:not([data-kind="gallery"])')).to_have_count(0)
    shown = cards.count()
    assert 0 < shown <= total
    expect(app.get_by_test_id("result-count")).to_have_text(f"{total} items in the library")
    expect(app.get_by_test_id("load-more")).to_be_visible(visible=shown < total)


def test_approved_only_hides_private_and_expired(workbench, server):
    _, app = workbench(TICKET)
    app.get_by_test_id("kind-filter").select_option("gallery")
    settle(app)
    for _ in range(10):  # every gallery on screen
        if not app.get_by_test_id("load-more").count():
            break
        app.get_by_test_id("load-more").click()
        expect(app.get_by_test_id("skeleton")).to_have_count(0)
    total = server.get("/api/v1/search", params={"kind": "gallery", "per_page": 1}).json()["paging"]["total"]
    expect(app.locator(CARD)).to_have_count(total)

    unapproved = [SEEDED_STATES[s] for s in ("private", "expired", "downloads_exhausted")]
    approved = [SEEDED_STATES[s] for s in ("public_listed", "password", "expiring_soon", "token")]
    hiding = app.locator(
        f"{CARD}:has([data-badge='private']), {CARD}:has([data-badge='expired']),"
        f" {CARD}:has([data-badge='no_downloads'])"
    )
    hidden_count = hiding.count()
    assert hidden_count >= len(unapproved)

    toggle = app.get_by_test_id("approved-toggle")
    toggle.check()
    expect(toggle).to_be_checked()
    expect(hiding).to_have_count(0)
    expect(app.locator(CARD)).to_have_count(total - hidden_count)
    for gallery_id in unapproved:
        expect(card(app, gallery_id)).to_have_count(0)
    for gallery_id in approved:
        expect(card(app, gallery_id)).to_have_count(1)
    expect(app.get_by_test_id("result-count")).to_contain_text(str(hidden_count))

    toggle.uncheck()
    expect(app.locator(CARD)).to_have_count(total)


def test_empty_state_for_a_nonsense_query(workbench):
    _, app = workbench(TICKET)
    search(app, NONSENSE)

    empty = app.get_by_test_id("empty-state")
    expect(empty).to_be_visible()
    expect(empty).to_contain_text(NONSENSE)
    expect(app.locator(CARD)).to_have_count(0)
    expect(app.get_by_test_id("error-state")).to_have_count(0)
    expect(app.get_by_test_id("load-more")).to_have_count(0)


def test_loading_shows_skeletons_then_results(workbench, server):
    _, app = workbench(TICKET)
    server.faults(latency_ms=400)
    box = app.get_by_test_id("search-input")
    box.fill("trail")
    box.press("Enter")
    # The skeleton replaces the old listing synchronously and stays for the upstream latency.
    expect(app.get_by_test_id("skeleton").first).to_be_visible()
    expect(app.locator(CARD)).to_have_count(0)
    settle(app)
    expect(app.locator(CARD).first).to_be_visible()


# Badges sticking out of a card, measured in the real layout (the sidebar is ~317 px wide).
_OVERFLOWING_BADGES_JS = """cards => cards.flatMap(card => {
  const box = card.getBoundingClientRect();
  return [...card.querySelectorAll('[data-testid="badge"]')]
    .filter(b => {
      const r = b.getBoundingClientRect();
      return r.right > box.right + 0.5 || r.left < box.left - 0.5;
    })
    .map(b => `${card.dataset.id}: ${b.textContent}`);
})"""


# File names of tiles: one line, cut in the middle with an ellipsis (never broken mid-word onto a
# second line), the whole name in the card's title and text.
_TILE_NAMES_JS = """cards => cards.map(card => {
  const name = card.querySelector('.card-title--file');
  const head = name.querySelector('.fname-head');
  const lineHeight = parseFloat(getComputedStyle(name).lineHeight);
  return {
    id: card.dataset.id,
    title: card.title,
    text: name.textContent,
    lines: Math.round(name.getBoundingClientRect().height / lineHeight),
    cut: Boolean(head) && head.scrollWidth > head.clientWidth,
    inside: name.getBoundingClientRect().right <= card.getBoundingClientRect().right + 0.5,
  };
})"""


def test_media_tiles_fit_their_badges_and_names(workbench):
    _, app = workbench(TICKET)
    search(app, "trail", kind="media")
    expect(app.locator(f"{CARD}[data-kind='media'] [data-testid='badge']").first).to_be_visible()

    overflowing = app.locator(CARD).evaluate_all(_OVERFLOWING_BADGES_JS)
    assert overflowing == [], f"{len(overflowing)} badges overflow their card, e.g. {overflowing[:3]}"
    # The long "200 downloads left" badge is really there (wrapped, not dropped).
    expect(app.locator(f"{CARD} [data-badge='downloads_left']").first).to_be_visible()

    names = app.locator(f"{CARD}[data-kind='media']").evaluate_all(_TILE_NAMES_JS)
    assert names
    for tile in names:
        assert tile["text"] == tile["title"], tile
        assert tile["lines"] == 1 and tile["inside"], tile
    long_names = [tile for tile in names if tile["cut"]]
    assert long_names, "the seeded 'trail' images have names too long for a tile"


# --------------------------------------------------------------------------- details


# Top of the line box of the previous step's last fragment and of the current step's first one.
_CRUMB_LINES_JS = """nav => {
  const current = nav.querySelector('[aria-current="page"]');
  const previous = current.closest('li').previousElementSibling.lastElementChild;
  const prevRects = previous.getClientRects();
  return [prevRects[prevRects.length - 1].top, current.getClientRects()[0].top];
}"""


def test_gallery_detail_breadcrumb_grants_media_and_load_more(workbench, server):
    gallery = gallery_detail(server, SEEDED_STATES["token"])
    media_total = gallery["media"]["paging"]["total"]
    _, app = workbench(TICKET)

    detail = open_gallery(app, gallery)

    crumbs = detail.get_by_test_id("breadcrumb")
    for step in gallery["path"]:
        expect(crumbs).to_contain_text(step["name"])
    expect(crumbs.locator('[aria-current="page"]')).to_have_text(gallery["name"])
    expect(detail.locator("h2")).to_have_text(gallery["name"])
    # The last step starts on the line its separator is on (it wraps at its own spaces if need be).
    assert len(gallery["path"]) > 1
    last_line_of_previous, first_line_of_current = crumbs.evaluate(_CRUMB_LINES_JS)
    assert abs(last_line_of_previous - first_line_of_current) < 2
    # Once the gallery arrived, focus moved from Back to its heading.
    expect(detail.locator("h2")).to_be_focused()

    grants = detail.get_by_test_id("grant-row")
    expect(grants).to_have_count(len(gallery["grants"]))
    expect(grants.first).to_have_attribute("data-grant-type", gallery["grants"][0]["type"])

    tiles = detail.locator(f'{CARD}[data-kind="media"]')
    expect(tiles.first).to_have_attribute("data-id", gallery["media"]["items"][0]["id"])
    first_page = tiles.count()
    assert first_page < media_total, "the seeded lookbook should need a second page"
    expect(detail.locator('[data-section="children"] .count')).to_have_text(str(media_total))
    # "Select all" only takes the loaded images, and says so while more are still to load.
    expect(detail.get_by_test_id("select-all")).to_have_text(f"Select the {first_page} shown")
    load_more = detail.get_by_test_id("load-more")
    load_more.click()
    expect(tiles).to_have_count(min(media_total, 2 * first_page))
    expect(load_more).to_be_visible(visible=2 * first_page < media_total)
    # The view moves focus to the first newly loaded image.
    expect(tiles.nth(first_page)).to_be_focused()


def test_media_preview_shows_file_name_dimensions_and_keywords(workbench, server, snapshot):
    _, app = workbench(TICKET)
    search(app, "trail", kind="media")
    first = app.locator(CARD).first
    media_id = first.get_attribute("data-id")
    media = server.get(f"/api/v1/media/{media_id}").json()

    first.click()
    preview = app.get_by_test_id("media-preview")
    expect(preview).to_have_attribute("data-id", media_id)
    expect(preview.locator("h2")).to_have_text(media["file_name"])
    dims = preview.locator("dt", has_text="Dimensions").locator("xpath=following-sibling::dd[1]")
    expect(dims).to_have_text(f"{media['width']:,} \u00d7 {media['height']:,} px")
    keywords = media["iptc"]["keywords"]
    assert keywords
    expect(preview.get_by_test_id("keyword")).to_have_text(keywords)
    assert wait_image_loaded(preview.locator("img").first) > 0, "the preview image did not load"
    snapshot("preview")

    preview.get_by_test_id("back-button").click()
    expect(app.get_by_test_id("media-preview")).to_have_count(0)
    expect(card(app, media_id)).to_be_focused()


# --------------------------------------------------------------------------- actions


def test_troubleshoot_expired_link_explains_the_cause(workbench, server):
    gallery = gallery_detail(server, SEEDED_STATES["expired"], per_page=1)
    link = gallery["link"]
    expected = server.post("/api/v1/troubleshoot", json={"url": link}).json()
    assert expected["cause"] == "expired"
    _, app = workbench(TICKET)

    app.get_by_test_id("troubleshoot-toggle").click()
    field = app.get_by_test_id("troubleshoot-input")
    expect(field).to_be_focused()
    field.fill(link)
    app.get_by_test_id("troubleshoot-submit").click()

    result = app.get_by_test_id("troubleshoot-result")
    expect(result).to_have_attribute("data-cause", "expired")
    expect(result).to_have_attribute("data-works", "false")
    reason = result.locator(".callout-text")
    expect(reason).to_have_text(expected["reason"])
    text = reason.inner_text()
    assert re.search(r"\bexpired\b", text, re.I), text
    assert not re.search(r"[{}_]|\b[A-Z]{2,}\d", text), f"reason is not plain language: {text!r}"
    expect(result.get_by_test_id("troubleshoot-item")).to_have_attribute("data-id", gallery["id"])


def test_insert_link_puts_the_gallery_link_in_the_composer(workbench, server):
    gallery = gallery_detail(server, SEEDED_STATES["public_listed"], per_page=1)
    page, app = workbench(TICKET)
    composer = page.get_by_test_id("composer")
    expect(composer.locator("a")).to_have_count(0)

    open_gallery(app, gallery)
    app.get_by_test_id("insert-link").click()

    anchor = composer.locator("a")
    expect(anchor).to_have_count(1)
    expect(anchor).to_have_attribute("href", gallery["link"])
    expect(anchor).to_have_text(gallery["name"])
    state = page.evaluate("() => window.workbench.state()")
    assert gallery["link"] in state["composerHtml"]


def test_media_link_action_follows_the_image_access(workbench, server, snapshot):
    """Open images get Insert link (their preview URL); gated ones get Share, with the reason."""
    found = server.get("/api/v1/search", params={"q": "trail", "kind": "media", "per_page": 24}).json()
    by_status = {}
    for item in found["items"]:
        by_status.setdefault(item["access"]["status"], item)
    gated, open_ = by_status["password"], by_status["public_unlisted"]
    page, app = workbench(TICKET)
    search(app, "trail", kind="media")

    card(app, open_["id"]).click()
    preview = app.get_by_test_id("media-preview")
    expect(preview).to_have_attribute("data-id", open_["id"])
    expect(preview.get_by_test_id("insert-link")).to_be_visible()
    expect(preview.get_by_test_id("share-media")).to_have_count(0)
    preview.get_by_test_id("back-button").click()

    card(app, gated["id"]).click()
    preview = app.get_by_test_id("media-preview")
    expect(preview).to_have_attribute("data-id", gated["id"])
    expect(preview.locator("h2")).to_be_focused()
    page.keyboard.press("Shift+Tab")  # Back stays one step away
    expect(preview.get_by_test_id("back-button")).to_be_focused()
    expect(preview.get_by_test_id("share-hint")).to_have_attribute("data-reason", "password")
    expect(preview.get_by_test_id("insert-link")).to_have_count(0)
    snapshot("share-instead")
    preview.get_by_test_id("share-media").click()
    panel = app.locator('[data-testid="delivery-panel"][data-mode="share"]')
    expect(panel.get_by_test_id("delivery-file")).to_have_attribute("data-id", gated["id"])
    expect(page.get_by_test_id("composer").locator("a")).to_have_count(0)


def tab_until(page: Page, target: Locator, limit: int = 12) -> int:
    """Press Tab until `target` (a locator matching the focused element) matches; the presses."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if target.count():
            return presses
    raise AssertionError(f"{limit} presses of Tab never reached {target}")


def test_keyboard_tab_enter_escape(workbench):
    page, app = workbench(TICKET)
    page.get_by_test_id("app-iframe").focus()  # as if the agent tabbed into the app panel

    box = app.get_by_test_id("search-input")
    tab_until(page, app.locator('[data-testid="search-input"]:focus'))
    page.keyboard.type("trail")
    page.keyboard.press("Enter")
    settle(app)
    expect(box).to_be_focused()

    tab_until(page, app.locator(f"{CARD}:focus"))
    first_card = app.locator(CARD).first
    expect(first_card).to_be_focused()  # nothing in the tab order skips the top result
    card_id = first_card.get_attribute("data-id")

    page.keyboard.press("Enter")
    detail = app.get_by_test_id("gallery-detail")
    expect(detail).to_have_attribute("data-id", card_id)
    expect(detail.locator("h2")).to_be_visible()
    expect(detail.locator(":focus")).to_have_count(1)  # focus moved into the opened view

    page.keyboard.press("Escape")
    expect(app.get_by_test_id("gallery-detail")).to_have_count(0)
    expect(box).to_have_value("trail")
    expect(card(app, card_id)).to_be_focused()


# --------------------------------------------------------------------------- failures


def test_upstream_failure_shows_error_and_retry_recovers(workbench, server, snapshot):
    _, app = workbench(TICKET)
    server.faults(fail_next=50, error_status=503)
    search(app, "trail")

    error = app.get_by_test_id("error-state")
    expect(error).to_be_visible()
    backend = server.get("/api/v1/search", params={"q": "trail"})
    assert backend.status_code in (502, 503, 504)
    message = backend.json()["error"]["message"]
    expect(error).to_have_attribute("data-status", str(backend.status_code))
    expect(error).to_contain_text(message)
    retry = error.get_by_test_id("retry-button")
    expect(retry).to_be_visible()
    expect(app.locator(CARD)).to_have_count(0)
    snapshot("error")

    server.faults()
    retry.click()
    expect(app.locator(CARD).first).to_be_visible()
    expect(app.get_by_test_id("error-state")).to_have_count(0)
    expect(app.get_by_test_id("result-count")).to_contain_text("trail")
