"""The workbench page: seeded tickets, picker, sidebar iframe, host data, and no secret in sight."""

from __future__ import annotations

import html
import json
import re
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest

from backend.sandbox.workbench import tickets

from .conftest import INSTALLATION, SECRET, stage_app

API_TOKEN = INSTALLATION["api_token"]


def render(client, query: str = "") -> str:
    response = client.get("/" + query)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def host_data(text: str) -> dict:
    match = re.search(r'<script id="workbench-data" type="application/json">(.*?)</script>', text, re.S)
    assert match, "host data script missing"
    return json.loads(match.group(1))


def block_of(text: str, testid: str) -> str:
    match = re.search(rf'<[^>]*data-testid="{testid}"[^>]*>(.*?)</', text, re.S)
    assert match, f"{testid} missing"
    return match.group(0)


def iframe_src(text: str) -> str:
    match = re.search(r'<iframe[^>]*data-testid="app-iframe"[^>]*src="([^"]+)"', text) or re.search(
        r'<iframe[^>]*src="([^"]+)"[^>]*data-testid="app-iframe"', text
    )
    assert match, "app iframe missing"
    return html.unescape(match.group(1))


def test_at_least_five_seeded_tickets():
    assert len(tickets.TICKETS) >= 5
    assert {101, 102, 103, 104, 105} <= set(tickets.TICKETS)


@pytest.mark.parametrize("ticket_id", sorted(tickets.TICKETS))
def test_each_seeded_ticket_renders(wb, ticket_id):
    ticket = tickets.TICKETS[ticket_id]
    text = render(wb, f"?ticket={ticket_id}")
    assert ticket.subject in html.unescape(block_of(text, "ticket-subject"))
    requester = text[text.index('data-testid="requester"') :][:800]
    assert html.escape(ticket.requester.name) in requester and ticket.requester.email in requester
    ccs = re.findall(r'data-testid="cc" data-user-id="(\d+)"', text)
    assert ccs == [str(cc.id) for cc in ticket.ccs]
    for cc in ticket.ccs:
        assert html.escape(cc.name) in text and cc.email in text
    organization = text[text.index('data-testid="organization"') :][:600]
    if ticket.organization:
        assert html.escape(ticket.organization.name) in organization
        assert f'data-tier="{ticket.organization.tier}"' in organization
    else:
        assert "No organization" in organization
    chips = re.findall(r'data-testid="tag" data-tag="([^"]+)"', text)
    assert chips == list(ticket.tags)
    assert re.search(rf'data-testid="priority" data-value="{ticket.priority or ""}"', text)
    assert text.count('data-testid="comment"') == len(ticket.comments)
    for testid in ("conversation", "composer", "tag-list", "app-iframe", "toasts", "ticket-picker"):
        assert f'data-testid="{testid}"' in text


def test_default_ticket_is_101(wb):
    assert host_data(render(wb))["context"]["ticketId"] == 101


def test_picker_lists_every_ticket_and_selects_the_current_one(wb):
    text = render(wb, "?ticket=103")
    picker = text[text.index('data-testid="ticket-picker"') : text.index("</select>")]
    values = re.findall(r'<option value="(\d+)"', picker)
    assert len(values) >= 5 and set(map(int, values)) == set(tickets.TICKETS)
    assert re.search(r'<option value="103" selected>', picker)


def test_unknown_ticket_is_a_404_with_the_picker(wb):
    response = wb.get("/?ticket=999")
    assert response.status_code == 404
    text = response.get_data(as_text=True)
    assert 'data-testid="ticket-not-found"' in text and 'data-testid="ticket-picker"' in text


def test_iframe_src_carries_origin_and_app_guid(wb):
    text = render(wb, "?ticket=102")
    src = urlsplit(iframe_src(text))
    assert src.path == "/app/assets/iframe.html"
    query = parse_qs(src.query)
    assert query["origin"] == ["http://localhost"]
    guid = query["app_guid"][0]
    assert str(uuid.UUID(guid)) == guid
    data = host_data(text)
    assert data["appGuid"] == guid and data["context"]["instanceGuid"] == guid
    assert data["appOrigin"] == "http://localhost"


def test_each_load_gets_a_new_app_guid(wb):
    assert host_data(render(wb))["appGuid"] != host_data(render(wb))["appGuid"]


def test_registration_data(wb):
    data = host_data(render(wb, "?ticket=104&locale=de"))
    assert data["context"] == {
        "instanceGuid": data["appGuid"],
        "product": "support",
        "account": {"subdomain": "demo"},
        "location": "ticket_sidebar",
        "ticketId": 104,
    }
    meta = data["metadata"]
    assert meta["name"] == "PhotoShelter for Zendesk" and meta["version"] == "1.2.3"
    assert {"appId", "installationId"} <= set(meta)
    assert meta["settings"] == {
        "backend_url": "http://127.0.0.1:5000",
        "expiring_soon_days": 5,
        "default_share_days": 14,
        "approved_only": True,
    }
    assert data["currentUser"]["role"] == "agent" and data["currentUser"]["locale"] == "de"
    assert data["currentAccount"]["subdomain"] == "demo"
    ticket = data["ticket"]
    assert ticket["organization"]["tier"] == "enterprise" and "vip" in ticket["tags"]
    assert ticket["requester"]["email"] == "morgan.blake@summitandco.example"
    assert data["flexible"] is True


def test_missing_build_shows_how_to_build(make_workbench, tmp_path):
    app_dir = stage_app(tmp_path / "empty", built=False)
    text = render(make_workbench(app_dir=app_dir).test_client())
    assert 'data-testid="app-missing"' in text and "make app" in text
    assert 'data-testid="app-iframe"' not in text


def test_missing_app_folder_altogether(make_workbench, tmp_path):
    client = make_workbench(app_dir=tmp_path / "nowhere").test_client()
    assert "make app" in render(client)
    assert client.get("/app/assets/iframe.html").status_code == 404


def test_sidebar_location_follows_the_manifest(make_workbench, tmp_path):
    manifest = {"location": {"support": {"ticket_sidebar": "assets/sidebar.html"}}}
    app_dir = stage_app(tmp_path / "custom", manifest=manifest, built=False)
    (app_dir / "assets").mkdir()
    (app_dir / "assets" / "sidebar.html").write_text("<p>x</p>")
    src = iframe_src(render(make_workbench(app_dir=app_dir).test_client()))
    assert urlsplit(src).path == "/app/assets/sidebar.html"


def test_staged_app_files_are_served_and_confined(wb, app_dir):
    (app_dir / "assets" / "main.js").write_text("console.log('hi')")
    assert wb.get("/app/assets/iframe.html").status_code == 200
    assert wb.get("/app/assets/main.js").get_data(as_text=True) == "console.log('hi')"
    assert wb.get("/app/../conftest.py").status_code == 404
    assert wb.get("/app/%2e%2e/%2e%2e/etc/passwd").status_code == 404


def test_host_script_and_styles_are_served(wb):
    script = wb.get("/static/host.js")
    assert script.status_code == 200 and b"iframe.handshake" in script.data
    assert wb.get("/static/workbench.css").status_code == 200


def test_no_secure_setting_reaches_the_page(wb):
    for ticket_id in tickets.TICKETS:
        text = render(wb, f"?ticket={ticket_id}")
        assert SECRET not in text and API_TOKEN not in text
        assert "shared_secret" not in text and "api_token" not in text


def test_gallery_links_fill_the_placeholders(make_zendesk, make_workbench):
    # The links come from the Zendesk API, which resolves the seed's placeholders itself.
    link = "http://127.0.0.1:5000/sandbox/photoshelter/site/gallery/media-day/G0000e4F0ZPx2gH7"
    sim = make_zendesk(gallery_links={"expired": link})
    text = render(make_workbench(zendesk_base_url=sim.base_url).test_client(), "?ticket=102")
    assert f'<a href="{link}"' in text
    assert link in json.dumps(host_data(text)["ticket"]["comments"])
    assert "{{gallery:" not in text


def test_gallery_placeholders_have_plausible_defaults(wb):
    text = render(wb, "?ticket=102")
    assert re.search(
        r'href="http://127\.0\.0\.1:\d+/sandbox/photoshelter/site/gallery/[a-z0-9-]+/G0000\w{11}"', text
    )
    assert "{{gallery:" not in text


def test_seed_fallback_fills_the_placeholders_from_config_or_defaults(seed_workbench):
    link = "http://127.0.0.1:5000/sandbox/photoshelter/site/gallery/media-day/G0000e4F0ZPx2gH7"
    text = render(seed_workbench(gallery_links={"expired": link}).test_client(), "?ticket=102")
    assert f'<a href="{link}"' in text and "{{gallery:" not in text
    text = render(seed_workbench().test_client(), "?ticket=102")
    assert re.search(
        r'href="http://localhost/sandbox/photoshelter/site/gallery/[a-z0-9-]+/G0000\w{11}"', text
    )


def test_comment_text_is_escaped_and_linkified():
    from backend.sandbox.workbench import linkify

    out = str(linkify('<script>alert(1)</script> see https://ps.example/g/G1?a=1&b=2. "x"'))
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert '<a href="https://ps.example/g/G1?a=1&amp;b=2"' in out
    assert out.count("<a ") == 1


def test_responses_are_not_cached(wb):
    assert wb.get("/").headers["Cache-Control"] == "no-store"
