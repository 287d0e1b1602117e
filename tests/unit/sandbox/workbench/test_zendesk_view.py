"""The ticket view reads and writes the Zendesk simulator over HTTP (live server), never the seed."""

from __future__ import annotations

import html
import json
import re

import pytest
import requests
import responses

from backend.sandbox import zendesk as zendesk_simulator
from backend.sandbox.workbench import tickets, view, zendesk_api

from .conftest import CREDENTIALS, SECRET, unused_url

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 2048


def page(client, query: str = "?ticket=101", status: int = 200) -> str:
    response = client.get("/" + query)
    assert response.status_code == status, response.status_code
    text = response.get_data(as_text=True)
    assert_no_credentials(text)
    return text


def ticket_json(client, ticket_id: int = 101, **params) -> dict:
    response = client.get(f"/api/ticket/{ticket_id}", query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert_no_credentials(response.get_data(as_text=True))
    return response.get_json()


def assert_no_credentials(text: str) -> None:
    for secret in (*CREDENTIALS, SECRET):
        assert secret not in text


def host_data(text: str) -> dict:
    match = re.search(r'<script id="workbench-data" type="application/json">(.*?)</script>', text, re.S)
    assert match
    return json.loads(match.group(1))


def attach_file(zendesk, ticket_id: int = 101, name: str = "launch-hero.png", public: bool = False) -> dict:
    """A comment with an attachment, added through the Zendesk API (as the backend does)."""
    upload = zendesk.upload(name, PNG)
    zendesk.comment(
        ticket_id,
        html_body="<p>Attached from PhotoShelter: <strong>launch hero</strong></p>",
        public=public,
        uploads=[upload["token"]],
    )
    return upload["attachment"]


# ------------------------------------------------------------------ reading


def test_the_page_shows_a_comment_added_through_the_api_with_its_attachment(wb, zendesk):
    attachment = attach_file(zendesk)
    text = page(wb)
    comments = re.findall(r'<li class="wb-comment[^"]*" data-testid="comment"[^>]*>', text)
    assert len(comments) == 4 and 'data-public="false"' in comments[-1]
    last = text[text.rindex('data-testid="comment"') :]
    assert "Northwind Integrations" in last  # the API user wrote it
    assert "Attached from PhotoShelter: <strong>launch hero</strong>" in last
    assert 'data-testid="comment-body"' in last
    item = re.search(r'<li class="wb-attachment[^"]*" data-testid="attachment"[^>]*>', last)
    assert item and 'data-file-name="launch-hero.png"' in item.group(0)
    url = attachment["content_url"]
    assert url.startswith(zendesk.base_url + "/attachments/")
    assert f'href="{url}"' in last and f'src="{url}"' in last
    assert 'data-testid="attachment-size">2.0 KB<' in last  # 2056 bytes
    assert requests.get(url, timeout=5).content == PNG
    comment = host_data(text)["ticket"]["comments"][-1]
    assert comment["attachments"][0]["fileName"] == "launch-hero.png"
    assert comment["imageAttachments"] == comment["attachments"] and comment["nonImageAttachments"] == []


def test_non_image_attachments_get_an_icon_instead_of_a_thumbnail(wb, zendesk):
    upload = zendesk.upload("rights.pdf", b"%PDF-1.4 x", "application/pdf")
    zendesk.comment(101, body="Usage rights attached", uploads=[upload["token"]])
    last = page(wb)
    last = last[last.rindex('data-testid="comment"') :]
    assert 'data-file-name="rights.pdf"' in last and "wb-attachment__icon" in last
    assert 'data-testid="attachment-thumbnail"' not in last


def test_the_page_shows_the_current_ticket_not_the_seed(wb, zendesk):
    zendesk.ok(
        "PUT",
        "/tickets/104",
        json={
            "ticket": {"subject": "Changed by the API", "priority": "low", "status": "open", "tags": ["x_y"]}
        },
    )
    text = page(wb, "?ticket=104")
    assert "Changed by the API" in text
    assert 'data-testid="priority" data-value="low"' in text
    assert re.findall(r'data-testid="tag" data-tag="([^"]+)"', text) == ["x_y"]
    data = host_data(text)
    assert data["source"] == "zendesk" and data["warning"] is None
    ticket = data["ticket"]
    assert (ticket["subject"], ticket["priority"], ticket["status"], ticket["tags"]) == (
        "Changed by the API",
        "low",
        "open",
        ["x_y"],
    )
    assert ticket["organization"]["tier"] == "enterprise"
    assert ticket["requester"]["organizations"][0]["name"] == "Summit & Co. Department Stores"
    assert ticket["assignee"]["user"]["name"] == tickets.AGENT.name
    assert ticket["customFields"] == {"custom_field_360001": "retail"}
    assert 'data-testid="zendesk-warning" role="alert" hidden' in text
    assert 'data-testid="data-source" data-value="zendesk"' in text


def test_the_picker_lists_the_simulators_tickets(wb, zendesk):
    created = zendesk.ok(
        "POST",
        "/tickets",
        json={
            "ticket": {
                "subject": "Made through the API",
                "comment": {"body": "Hello from a new requester"},
                "requester": {"email": "new.person@example.org", "name": "New Person"},
            }
        },
    )["ticket"]
    text = page(wb, "?ticket=101")
    picker = text[text.index('data-testid="ticket-picker"') : text.index("</select>")]
    ids = [int(v) for v in re.findall(r'<option value="(\d+)"', picker)]
    assert ids == [101, 102, 103, 104, 105, created["id"]]
    assert "Made through the API" in picker
    # And a ticket the seed never had renders like any other.
    text = page(wb, f"?ticket={created['id']}")
    assert "Made through the API" in text and "New Person" in text and "Hello from a new requester" in text
    assert 'data-testid="organization" data-org-id="">No organization' in text


def test_a_ticket_unknown_to_the_api_is_a_404_with_the_picker(wb, zendesk):
    text = page(wb, "?ticket=4242", status=404)
    assert 'data-testid="ticket-not-found"' in text and 'data-testid="ticket-picker"' in text
    assert wb.get("/api/ticket/4242").status_code == 404


def test_ticket_collaborators_are_the_simulators_ccs(wb, zendesk):
    """`get('ticket.collaborators')` answers `[{id, name, email}]` (host.js walks `ticket`), and the
    page lists the CCs under the requester."""
    raw = zendesk.ticket(101)
    expected = []
    for user_id in raw["email_cc_ids"]:
        user = zendesk.ok("GET", f"/users/{user_id}")["user"]
        expected.append({"id": user["id"], "name": user["name"], "email": user["email"]})
    assert len(expected) == 1
    text = page(wb, "?ticket=101")
    assert host_data(text)["ticket"]["collaborators"] == expected
    assert ticket_json(wb)["ticket"]["collaborators"] == expected
    cc = re.search(r'<li class="wb-person" data-testid="cc" data-user-id="(\d+)">(.*?)</li>', text, re.S)
    assert cc and int(cc.group(1)) == expected[0]["id"]
    assert html.escape(expected[0]["name"]) in cc.group(2) and expected[0]["email"] in cc.group(2)
    assert text.index('data-testid="requester"') < cc.start()

    # Whatever the simulator holds: users it does not know are left out; no CCs, no list.
    with zendesk.state.lock:
        zendesk.state.tickets[102].email_cc_ids = [7101, 999999]
    data = host_data(page(wb, "?ticket=102"))
    assert [c["email"] for c in data["ticket"]["collaborators"]] == ["jordan.ellis@trailpress.example"]
    text = page(wb, "?ticket=104")
    assert host_data(text)["ticket"]["collaborators"] == [] and 'data-testid="cc"' not in text


def test_ticket_collaborators_prefer_email_cc_ids_over_collaborator_ids():
    class Api:
        def user(self, user_id):
            return {"id": user_id, "name": f"User {user_id}", "email": f"u{user_id}@x.example", "role": "x"}

    both = {"email_cc_ids": [2], "collaborator_ids": [2, 3]}
    assert view.zaf_collaborators(both, Api()) == [{"id": 2, "name": "User 2", "email": "u2@x.example"}]
    assert [c["id"] for c in view.zaf_collaborators({"collaborator_ids": [3, 3]}, Api())] == [3]
    assert view.zaf_collaborators({}, Api()) == []


def test_ticket_json_carries_the_conversation_markup(wb, zendesk):
    before = ticket_json(wb)
    assert before["source"] == "zendesk" and before["warning"] is None
    assert before["conversationHtml"].count('data-testid="comment"') == 3
    attach_file(zendesk, public=True)
    after = ticket_json(wb)
    assert after["updatedAt"] != before["updatedAt"]
    assert after["conversationHtml"].count('data-testid="comment"') == 4
    assert 'data-testid="attachment" data-file-name="launch-hero.png"' in after["conversationHtml"]
    assert after["ticket"]["comments"][-1]["isPublic"] is True


def test_since_answers_unchanged_until_the_ticket_changes(wb, zendesk):
    stamp = ticket_json(wb)["updatedAt"]
    assert ticket_json(wb, since=stamp) == {
        "source": "zendesk",
        "warning": None,
        "updatedAt": stamp,
        "unchanged": True,
    }
    zendesk.ok("PUT", "/tickets/101/tags", json={"tags": ["fresh"]})
    changed = ticket_json(wb, since=stamp)
    assert "unchanged" not in changed and "fresh" in changed["ticket"]["tags"]


def test_comment_markup_is_sanitised_and_links_open_a_new_tab(wb, zendesk):
    zendesk.comment(
        101, html_body='<p onclick="x()">See <a href="https://ps.example/g/1" target="_self">this</a></p>'
    )
    data = ticket_json(wb)
    html_body = data["conversationHtml"]
    assert "onclick" not in html_body
    assert '<a href="https://ps.example/g/1" target="_blank" rel="noopener noreferrer">this</a>' in html_body
    cleaned = view.clean_html('<script>alert(1)</script><a href="javascript:x()">y</a>')
    assert "alert" not in cleaned and "javascript" not in cleaned and ">y</a>" in cleaned


# ------------------------------------------------------------------ writing


def put(client, path: str, body, method: str = "PUT"):
    response = client.open(path, method=method, json=body)
    assert_no_credentials(response.get_data(as_text=True))
    return response


def test_tag_changes_go_to_the_simulator(wb, zendesk):
    response = put(wb, "/api/ticket/101/tags", {"tags": ["Needs_Review", "launch"]})
    assert response.status_code == 200
    assert zendesk.ticket(101)["tags"] == ["press_request", "launch", "needs_review"]
    assert response.get_json()["ticket"]["tags"] == ["press_request", "launch", "needs_review"]
    response = put(wb, "/api/ticket/101/tags", {"tags": ["press_request"]}, method="DELETE")
    assert response.status_code == 200
    assert zendesk.ticket(101)["tags"] == ["launch", "needs_review"]


def test_priority_status_subject_and_custom_fields_go_to_the_simulator(wb, zendesk):
    body = {
        "priority": "urgent",
        "status": "pending",
        "subject": "Renamed",
        "customFields": {"custom_field_360001": "licensing"},
    }
    response = put(wb, "/api/ticket/101", body)
    assert response.status_code == 200
    ticket = zendesk.ticket(101)
    assert (ticket["priority"], ticket["status"], ticket["subject"]) == ("urgent", "pending", "Renamed")
    assert ticket["custom_fields"] == [{"id": 360001, "value": "licensing"}]
    shown = response.get_json()["ticket"]
    assert (shown["priority"], shown["status"]) == ("urgent", "pending")
    assert put(wb, "/api/ticket/101", {"priority": None}).status_code == 200
    assert zendesk.ticket(101)["priority"] is None


def test_submit_saves_the_composer_as_the_agents_comment(wb, zendesk):
    html_body = '<p>Here you go: <a href="https://ps.example/g/2">gallery</a></p>'
    response = put(
        wb, "/api/ticket/102", {"status": "solved", "comment": {"html": html_body, "public": False}}
    )
    assert response.status_code == 200
    comment = zendesk.comments(102)[-1]
    assert comment["author_id"] == tickets.AGENT.id and comment["public"] is False
    assert 'href="https://ps.example/g/2"' in comment["html_body"]
    assert zendesk.ticket(102)["status"] == "solved"
    shown = response.get_json()
    assert shown["ticket"]["comments"][-1]["author"]["name"] == tickets.AGENT.name
    assert 'data-public="false"' in shown["conversationHtml"].rsplit('data-testid="comment"', 1)[-1]
    # An empty composer saves no comment.
    count = len(zendesk.comments(102))
    assert (
        put(wb, "/api/ticket/102", {"status": "open", "comment": {"html": "  ", "public": True}}).status_code
        == 200
    )
    assert len(zendesk.comments(102)) == count and zendesk.ticket(102)["status"] == "open"


@pytest.mark.parametrize(
    "body",
    [
        {"priority": "whenever"},
        {"status": "done"},
        {"subject": 3},
        {"customFields": {"tier": "x"}},
        {"customFields": []},
        {"comment": "text"},
        {"comment": {"html": "x", "public": "yes"}},
        [],
    ],
)
def test_malformed_updates_are_refused_before_reaching_zendesk(wb, zendesk, body):
    stamp = zendesk.ticket(101)["updated_at"]
    response = put(wb, "/api/ticket/101", body)
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "bad_request"
    assert zendesk.ticket(101)["updated_at"] == stamp


def test_bad_tag_bodies_and_non_json_are_refused(wb):
    assert put(wb, "/api/ticket/101/tags", {"tags": [1]}).status_code == 400
    assert wb.put("/api/ticket/101", data="priority=low").status_code == 400
    assert wb.post("/api/ticket/101/tags", json={"tags": ["x"]}).status_code == 405


def test_zendesk_refusals_pass_through(wb, zendesk):
    response = put(wb, "/api/ticket/4242", {"priority": "low"})
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"
    zendesk.ok("PUT", "/tickets/105", json={"ticket": {"status": "closed"}})
    response = put(wb, "/api/ticket/105/tags", {"tags": ["late"]})
    assert response.status_code == 422
    assert "closed" in response.get_json()["error"]["message"].lower()


# ------------------------------------------------------------------ the proxy's relative /api/v2 requests


def proxy(client, options) -> dict:
    response = client.post("/proxy", json={"options": options})
    assert response.status_code == 200
    assert_no_credentials(response.get_data(as_text=True))
    return response.get_json()


def test_relative_api_requests_reach_the_simulator_as_the_agent(wb, zendesk):
    envelope = proxy(wb, {"url": "/api/v2/tickets/103.json", "dataType": "json"})
    assert envelope["status"] == 200 and envelope["headers"]["content-type"] == "application/json"
    assert json.loads(envelope["body"])["ticket"]["subject"] == tickets.TICKETS[103].subject
    me = json.loads(proxy(wb, {"url": "/api/v2/users/me.json"})["body"])["user"]
    assert me["role"] == "agent"
    envelope = proxy(
        wb,
        {
            "url": "/api/v2/tickets/103/tags.json",
            "type": "PUT",
            "contentType": "application/json",
            "data": json.dumps({"tags": ["from_the_app"]}),
        },
    )
    assert envelope["status"] == 200 and "from_the_app" in zendesk.ticket(103)["tags"]


def test_relative_api_errors_come_back_as_zendesk_sent_them(wb, zendesk):
    envelope = proxy(wb, {"url": "/api/v2/tickets/4242.json"})
    assert envelope["status"] == 404 and json.loads(envelope["body"])["error"] == "RecordNotFound"
    assert proxy(wb, {"url": "/sandbox/zendesk/_faults"})["proxyError"] == "bad_url"


def test_the_apps_api_requests_meet_faults_but_the_agent_interface_does_not(wb, zendesk):
    """Fault switches are for API traffic: the page's own reads never consume them."""
    zendesk.faults(fail_next=1, error_status=503)
    assert "Trailrunner GTX" in page(wb)
    assert ticket_json(wb)["source"] == "zendesk"
    assert put(wb, "/api/ticket/101/tags", {"tags": ["still_works"]}).status_code == 200
    assert zendesk.faults()["fail_next"] == 0  # (cleared here; it was still pending until now)
    zendesk.faults(fail_next=1, error_status=503)
    assert proxy(wb, {"url": "/api/v2/tickets/101.json"})["status"] == 503
    assert proxy(wb, {"url": "/api/v2/tickets/101.json"})["status"] == 200


def test_the_agent_interface_is_not_charged_to_the_rate_budget(wb, zendesk):
    zendesk.faults(rate_limit_per_minute=3)
    for _ in range(3):
        assert ticket_json(wb)["source"] == "zendesk"
    assert proxy(wb, {"url": "/api/v2/tickets/101.json"})["status"] == 200
    response = zendesk.api("GET", "/tickets/101.json")
    assert response.status_code == 200 and response.headers["X-Rate-Limit-Remaining"] == "1"


def test_the_agent_interface_header_matches_the_simulator():
    assert zendesk_api.AGENT_UI_HEADER == zendesk_simulator.AGENT_UI_HEADER


# ------------------------------------------------------------------ outage and fallback


def test_an_unreachable_simulator_shows_the_warning_and_the_seed(make_workbench):
    wb = make_workbench(zendesk_base_url=unused_url(), zendesk_timeout=2).test_client()
    text = page(wb, "?ticket=104")
    warning = re.search(
        r'<div class="wb-banner" data-testid="zendesk-warning" role="alert">(.*?)</div>', text, re.S
    )
    assert warning, "the warning banner is missing or hidden"
    assert "unavailable" in warning.group(1) and "seeded" in warning.group(1)
    assert html.escape(tickets.TICKETS[104].subject, quote=False) in text
    assert text.count('data-testid="comment"') == len(tickets.TICKETS[104].comments)
    data = host_data(text)
    assert data["source"] == "seed" and "unavailable" in data["warning"]
    assert 'data-testid="data-source" data-value="seed"' in text
    as_json = ticket_json(wb, 104)
    assert as_json["source"] == "seed" and as_json["warning"] and as_json["ticket"]["id"] == 104
    assert ticket_json(wb, 104, since="2026-01-01T00:00:00Z")["source"] == "seed"
    response = put(wb, "/api/ticket/104", {"priority": "low"})
    assert response.status_code == 503 and response.get_json()["error"]["code"] == "zendesk_unavailable"
    assert proxy(wb, {"url": "/api/v2/tickets/104.json"})["status"] == 502
    assert page(wb, "?ticket=999", status=404).count('data-testid="zendesk-warning" role="alert">') == 1


def test_refused_credentials_fall_back_without_leaking_them(make_workbench, zendesk):
    wb = make_workbench(zendesk_api_token="wrong-token-0123456789").test_client()
    text = page(wb)
    assert "wrong-token-0123456789" not in text
    assert "credentials" in host_data(text)["warning"]
    data = ticket_json(wb)
    assert data["source"] == "seed" and "wrong-token-0123456789" not in json.dumps(data)


def test_a_wrong_base_url_falls_back(make_zendesk, make_workbench):
    sim = make_zendesk()
    wb = make_workbench(zendesk_base_url=sim.base_url + "/nowhere").test_client()
    data = host_data(page(wb))
    assert data["source"] == "seed" and "404" in data["warning"]


@pytest.mark.parametrize("status", [500, 503, 429])
def test_a_failing_api_falls_back(make_workbench, status):
    wb = make_workbench(zendesk_base_url="http://zendesk.test/sandbox/zendesk").test_client()
    with responses.RequestsMock() as mocked:
        mocked.add(responses.GET, re.compile(r"http://zendesk\.test/.*"), status=status, body="oops")
        data = host_data(page(wb))
        assert data["source"] == "seed" and str(status) in data["warning"]
        assert ticket_json(wb)["source"] == "seed"


def test_without_a_zendesk_api_the_seed_is_shown_with_a_warning(seed_workbench):
    wb = seed_workbench().test_client()
    data = host_data(page(wb, "?ticket=105"))
    assert data["source"] == "seed" and "No Zendesk simulator is configured" in data["warning"]
    seeded = host_data(page(wb, "?ticket=101"))["ticket"]["collaborators"]
    assert seeded == [{"id": cc.id, "name": cc.name, "email": cc.email} for cc in tickets.TICKETS[101].ccs]
    assert put(wb, "/api/ticket/105", {"priority": "low"}).status_code == 503


def test_the_host_script_polls_and_refreshes_after_writes(wb):
    script = wb.get("/static/host.js").get_data(as_text=True)
    for needle in ("ticketApiUrl", "pollIntervalMs", "visibilityState", "WRITE_METHODS", "ticket.updated"):
        assert needle in script
    data = host_data(page(wb))
    assert data["ticketApiUrl"] == "/api/ticket/101" and data["tagsApiUrl"] == "/api/ticket/101/tags"
    assert data["pollIntervalMs"] == 2000
