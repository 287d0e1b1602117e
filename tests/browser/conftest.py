"""Real-browser fixtures: Debian's Chromium (pytest-playwright), one demo server, the workbench page.

The whole folder skips with a reason when Chromium or the staged sidebar (`make app`) is missing,
except when CI=true, where that is a failure. Every test leaves a full-page screenshot in
`test-artifacts/browser/<test name>.png`, taken whether it passed or failed.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import FrameLocator, Page, expect

from tests.browser.helpers import IFRAME_SETTLED_JS
from tests.conftest import DEMO_SECRET, IN_CI, LiveServer, start_live_server

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
APP_IFRAME_HTML = REPO_ROOT / "build" / "app" / "assets" / "iframe.html"
ARTIFACTS = REPO_ROOT / "test-artifacts" / "browser"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
VIEWPORT = {"width": 1280, "height": 800}
# Auto-waiting `expect` gives up after this long (the slowest path, an upstream failure with one
# retry against the simulator, answers in well under 2 s).
EXPECT_TIMEOUT_MS = 10_000

expect.set_options(timeout=EXPECT_TIMEOUT_MS)


def _missing_prerequisites() -> list[str]:
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} is missing (apt-get install -y chromium)")
    if not APP_IFRAME_HTML.exists():
        missing.append(f"{APP_IFRAME_HTML.relative_to(REPO_ROOT)} is missing (run `make app`)")
    return missing


@pytest.fixture(scope="session", autouse=True)
def _browser_prerequisites() -> None:
    """Skip the folder without Chromium or the built sidebar; in CI that is an error instead."""
    missing = _missing_prerequisites()
    if not missing:
        return
    if IN_CI:
        pytest.fail("browser tests are required when CI=true, but " + "; ".join(missing), pytrace=False)
    pytest.skip("browser tests cannot run: " + "; ".join(missing))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, _browser_prerequisites) -> dict:
    """Launch Debian's Chromium (no Playwright browser download)."""
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args) -> dict:
    """A desktop agent's window."""
    return {**browser_context_args, "viewport": VIEWPORT, "locale": "en-US"}


@pytest.fixture(scope="session")
def browser_server(tmp_path_factory, _browser_prerequisites) -> Iterator[LiveServer]:
    """One demo backend (simulators + workbench) for the folder.

    Caching is off so a search issued while faults are on really reaches the simulator, and the
    PhotoShelter client gives up quickly (2 s timeout, one retry) so failure paths stay fast.
    """
    db = tmp_path_factory.mktemp("browser-db") / "browser.sqlite"
    server, app, url = start_live_server(
        {
            "DEMO_SHARED_SECRET": DEMO_SECRET,
            "DATABASE_URL": f"sqlite:///{db}",
            "CACHE_TYPE": "NullCache",
            "HTTP_TIMEOUT_SECONDS": 2,
            "HTTP_MAX_RETRIES": 1,
        }
    )
    yield LiveServer(url, app)
    server.shutdown()


@pytest.fixture(scope="session")
def base_url(browser_server: LiveServer) -> str:
    """Relative `page.goto` paths resolve against the demo server.

    This also replaces pytest-playwright's fallback `base_url`, an instance-method session
    fixture that pytest 9 deprecates (a warning, which this project's settings turn into an error).
    """
    return browser_server.url


@pytest.fixture
def server(browser_server: LiveServer) -> Iterator[LiveServer]:
    """The browser server with the PhotoShelter simulator's faults cleared before and after."""
    browser_server.faults()
    yield browser_server
    browser_server.faults()


def _artifact_name(node_name: str) -> str:
    # Shots are overwritten by name, never wiped: a `-k` run (or a concurrent one) keeps the rest.
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", node_name).strip("_") + ".png"


# The workbench is a fixed-height page whose columns scroll; grow the window to the tallest
# scrolled content first so the full-page shot shows the whole sidebar, not its first screen.
_CONTENT_HEIGHT_JS = """() => {
  let bottom = document.documentElement.scrollHeight;
  for (const el of document.querySelectorAll('*')) {
    const style = getComputedStyle(el);
    if (el.scrollHeight > el.clientHeight && /(auto|scroll)/.test(style.overflowY)) {
      bottom = Math.max(bottom, el.getBoundingClientRect().top + el.scrollHeight + 24);
    }
  }
  return Math.ceil(bottom);
}"""


def _full_shot(page: Page, path: Path) -> None:
    """Screenshot with the window grown to the tallest scrolled column, then restored."""
    with contextlib.suppress(Exception):  # a shot of an unsettled page beats no shot
        page.wait_for_function(IFRAME_SETTLED_JS, timeout=2000)
    height = min(int(page.evaluate(_CONTENT_HEIGHT_JS)), 6000)
    if height > VIEWPORT["height"]:
        page.set_viewport_size({"width": VIEWPORT["width"], "height": height})
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        page.screenshot(path=str(path), full_page=True)
    finally:
        if height > VIEWPORT["height"]:
            page.set_viewport_size(VIEWPORT)


@pytest.fixture(autouse=True)
def _screenshot(request: pytest.FixtureRequest, page: Page) -> Iterator[None]:
    """After every test (passed or failed): a full-page PNG named after the test."""
    yield
    if page.is_closed():
        return
    try:
        _full_shot(page, ARTIFACTS / _artifact_name(request.node.name))
    except Exception as exc:  # a broken page must not hide the test's own outcome
        print(f"screenshot of {request.node.name} failed: {exc}")


@pytest.fixture
def snapshot(request: pytest.FixtureRequest, page: Page) -> Callable[[str], None]:
    """`snapshot("label")`: an extra mid-test shot, `<test name>--label.png` (the end state is
    taken anyway)."""

    def take(label: str) -> None:
        name = _artifact_name(request.node.name).removesuffix(".png") + f"--{label}.png"
        _full_shot(page, ARTIFACTS / name)

    return take


Workbench = Callable[[int], tuple[Page, FrameLocator]]


@pytest.fixture
def workbench(page: Page, server: LiveServer) -> Workbench:
    """`workbench(ticket_id)` opens the ticket page, waits for the ZAF handshake and for the
    sidebar's first listing to settle, and returns `(page, sidebar frame locator)`."""

    def open_ticket(ticket_id: int) -> tuple[Page, FrameLocator]:
        page.goto(f"/workbench/?ticket={ticket_id}")
        iframe = page.get_by_test_id("app-iframe")
        expect(iframe).to_have_attribute("data-registered", "true")
        app = page.frame_locator('[data-testid="app-iframe"]')
        settled = app.locator(
            '[data-testid="result-card"], [data-testid="empty-state"], [data-testid="error-state"]'
        )
        expect(settled.first).to_be_visible()
        expect(app.get_by_test_id("skeleton")).to_have_count(0)
        return page, app

    return open_ticket
