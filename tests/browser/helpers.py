"""Helpers the browser tests share: searching and opening items in the sidebar, reading the
workbench's conversation, and the Zendesk simulator's fault switches."""

from __future__ import annotations

import requests
from playwright.sync_api import FrameLocator, Locator, Page, expect

CARD = '[data-testid="result-card"]'
SETTLED = '[data-testid="result-card"], [data-testid="empty-state"], [data-testid="error-state"]'

# The sidebar reports its height debounced (resize.js), so right after a view change the iframe
# can still have the previous view's height; wait (briefly, best effort) until it caught up.
IFRAME_SETTLED_JS = """() => {
  const frame = document.querySelector('[data-testid="app-iframe"]');
  const root = frame && frame.contentDocument && frame.contentDocument.getElementById('app');
  if (!root || !frame.dataset.height) return true;
  const wanted = Math.max(120, Math.ceil(root.getBoundingClientRect().height));
  return Math.abs(parseFloat(frame.dataset.height) - wanted) <= 1;
}"""


def settle(app: FrameLocator) -> None:
    """Wait until the search view finished loading (its skeleton is mounted synchronously)."""
    expect(app.get_by_test_id("skeleton")).to_have_count(0)
    expect(app.locator(SETTLED).first).to_be_visible()


def search(app: FrameLocator, query: str, kind: str | None = None) -> None:
    """Type a query and run it (by picking `kind`, which searches at once, or with Enter)."""
    box = app.get_by_test_id("search-input")
    box.fill(query)
    if kind is not None:
        app.get_by_test_id("kind-filter").select_option(kind)
    else:
        box.press("Enter")
    settle(app)


def card(app: FrameLocator, item_id: str) -> Locator:
    return app.locator(f'{CARD}[data-id="{item_id}"]')


def gallery_detail(server, gallery_id: str, per_page: int = 12) -> dict:
    response = server.get(f"/api/v1/galleries/{gallery_id}", params={"per_page": per_page})
    assert response.status_code == 200, response.text
    return response.json()


def open_gallery(app: FrameLocator, gallery: dict) -> Locator:
    """Find a gallery by its full name (Galleries filter) and open its card."""
    search(app, gallery["name"], kind="gallery")
    card(app, gallery["id"]).click()
    detail = app.get_by_test_id("gallery-detail")
    expect(detail).to_have_attribute("data-id", gallery["id"])
    expect(detail.get_by_test_id("breadcrumb")).to_be_visible()
    return detail


# --------------------------------------------------------------------------- the workbench


def comments(page: Page) -> Locator:
    """The comments of the workbench's conversation, oldest first."""
    return page.get_by_test_id("conversation").get_by_test_id("comment")


def reread_ticket(page: Page) -> None:
    """Make the workbench re-read the ticket from Zendesk now (instead of waiting for its poll)."""
    page.evaluate("() => window.workbench.refresh()")


def zendesk_faults(base_url: str, **settings) -> None:
    """Set (or with no arguments, clear) the Zendesk simulator's fault injection."""
    url = base_url + "/sandbox/zendesk/_faults"
    response = requests.post(url, json=settings, timeout=5) if settings else requests.delete(url, timeout=5)
    response.raise_for_status()
