"""The backend factory mounts the workbench in demo mode, wired to the demo tenant."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import requests
import responses

from backend import create_app
from backend.sandbox.workbench import demo_installation, load_installation
from backend.sandbox.zendesk import seed as zendesk_seed
from tests.conftest import DEMO_SECRET, LiveServer, start_live_server

PUBLIC_URL = "http://127.0.0.1:5000"


@pytest.fixture
def demo_app(tmp_path):
    return create_app(
        {"DEMO_SHARED_SECRET": DEMO_SECRET, "DATABASE_URL": f"sqlite:///{tmp_path / 'wb.sqlite'}"}
    )


def host_data(text: str) -> dict:
    match = re.search(r'<script id="workbench-data" type="application/json">(.*?)</script>', text, re.S)
    assert match
    return json.loads(match.group(1))


def test_installation_file_holds_no_secret():
    settings = load_installation()
    assert "shared_secret" not in settings
    assert {"backend_url", "expiring_soon_days", "default_share_days", "approved_only"} <= set(settings)


def test_demo_installation_defaults_backend_url_and_adds_the_secret(tmp_path):
    settings = demo_installation(PUBLIC_URL + "/", "s" * 40)
    assert settings["backend_url"] == PUBLIC_URL and settings["shared_secret"] == "s" * 40
    custom = tmp_path / "installation.json"
    custom.write_text(json.dumps({"backend_url": "https://psz.example.com", "approved_only": True}))
    assert demo_installation(PUBLIC_URL, "s" * 40, custom)["backend_url"] == "https://psz.example.com"


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory) -> Iterator[LiveServer]:
    """The whole demo backend on a live threaded server (the workbench calls the simulator over HTTP)."""
    db = tmp_path_factory.mktemp("wb-live") / "wb.sqlite"
    server, app, url = start_live_server(
        {"DEMO_SHARED_SECRET": DEMO_SECRET, "DATABASE_URL": f"sqlite:///{db}", "CACHE_TYPE": "NullCache"}
    )
    yield LiveServer(url, app)
    server.shutdown()


def test_workbench_is_mounted_in_demo_mode(demo_server):
    response = requests.get(f"{demo_server.url}/workbench/?ticket=103", timeout=30)
    assert response.status_code == 200
    text = response.text
    assert DEMO_SECRET not in text and zendesk_seed.DEMO_API_TOKEN not in text
    data = host_data(text)
    assert data["metadata"]["settings"]["backend_url"] == demo_server.url
    assert "shared_secret" not in data["metadata"]["settings"]
    assert data["context"]["account"]["subdomain"] == "demo"
    assert data["proxyUrl"] == "/workbench/proxy"
    assert data["ticketApiUrl"] == "/workbench/api/ticket/103"
    # Read from the Zendesk simulator mounted on the same server, not from the seed.
    assert data["source"] == "zendesk" and data["warning"] is None
    assert requests.get(f"{demo_server.url}/workbench/static/host.js", timeout=10).status_code == 200


def test_an_attachment_made_by_the_backend_shows_in_the_workbench(demo_server):
    """The whole loop: backend API → Zendesk simulator (upload + comment) → workbench JSON."""
    media = demo_server.get("/api/v1/search?kind=media&per_page=2").json()["items"]
    ids = [item["id"] for item in media[:2]]
    before = requests.get(f"{demo_server.url}/workbench/api/ticket/105", timeout=30).json()
    response = demo_server.post("/api/v1/tickets/105/attachments", json={"media_ids": ids})
    assert response.status_code < 300, response.text
    deadline = time.monotonic() + 15
    while True:
        after = requests.get(
            f"{demo_server.url}/workbench/api/ticket/105", params={"since": before["updatedAt"]}, timeout=30
        ).json()
        if not after.get("unchanged") or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert after["source"] == "zendesk" and not after.get("unchanged")
    comment = after["ticket"]["comments"][-1]
    assert len(comment["attachments"]) == 2
    for attachment in comment["attachments"]:
        assert attachment["contentUrl"].startswith(f"{demo_server.url}/sandbox/zendesk/attachments/")
        assert f'data-file-name="{attachment["fileName"]}"' in after["conversationHtml"]
        image = requests.get(attachment["contentUrl"], timeout=10)
        assert image.status_code == 200 and image.headers["Content-Type"].startswith("image/")
    assert zendesk_seed.DEMO_API_TOKEN not in json.dumps(after)


def test_not_mounted_outside_demo_mode(tmp_path):
    app = create_app(
        {
            "DEMO": False,
            "ZENDESK_SUBDOMAIN": "acme",
            "SHARED_SECRET": "p" * 40,
            "PHOTOSHELTER_API_KEY": "k" * 32,
            "PHOTOSHELTER_ACCESS_TOKEN": "t" * 32,
            "ZENDESK_OAUTH_TOKEN": "z" * 40,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite'}",
        }
    )
    assert app.test_client().get("/workbench/").status_code == 404


def test_proxy_token_is_accepted_by_the_backend(demo_app):
    """End to end in process: the proxy's JWT reaches the real backend (routed into its test client)."""
    backend = demo_app.test_client()

    def into_backend(request):
        parts = urlsplit(request.url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        answer = backend.open(path, method=request.method, headers=dict(request.headers), data=request.body)
        return answer.status_code, dict(answer.headers), answer.get_data()

    options = {
        "url": f"{PUBLIC_URL}/api/v1/galleries/not-a-gallery-id",
        "secure": True,
        "headers": {"Authorization": "Bearer {{jwt.token}}"},
        "jwt": {
            "algorithm": "HS256",
            "secret_key": "{{setting.shared_secret}}",
            "expiry": 3600,
            "claims": {"iss": "demo.zendesk.com", "aud": "photoshelter-for-zendesk", "sub": "9001"},
        },
    }
    with responses.RequestsMock() as mocked:
        mocked.add_callback(
            responses.GET, re.compile(rf"{re.escape(PUBLIC_URL)}/api/v1/.*"), callback=into_backend
        )
        envelope = backend.post("/workbench/proxy", json={"options": options}).get_json()
        unsigned = backend.post("/workbench/proxy", json={"options": {**options, "secure": False}}).get_json()
    # The token verified: the request got past authentication to the id check (400, not 401).
    assert envelope["status"] == 400, envelope
    assert json.loads(envelope["body"])["error"]["code"] != "invalid_token"
    # Without `secure`, nothing is minted: the literal placeholder is refused.
    assert unsigned["status"] == 401
