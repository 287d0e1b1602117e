"""Authentication, the seeded account (from the workbench tickets), users, organizations, fields."""

from __future__ import annotations

import base64

import pytest

from backend.sandbox.workbench import tickets as workbench
from backend.sandbox.zendesk import DEMO_AGENT_ID, DEMO_API_TOKEN, DEMO_EMAIL, DEMO_OAUTH_TOKEN
from tests.unit.sandbox.zendesk.conftest import ZdApi, zd_error


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_demo_credentials_look_real() -> None:
    assert DEMO_EMAIL == "agent@northwind.example"
    assert len(DEMO_API_TOKEN) == 40 and DEMO_API_TOKEN.isalnum()
    assert len(DEMO_OAUTH_TOKEN) >= 40


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        _basic(f"{DEMO_EMAIL}/token", "wrong-token"),
        _basic("someone@else.example/token", DEMO_API_TOKEN),
        _basic(DEMO_EMAIL, DEMO_API_TOKEN),  # password-style login without /token
        "Basic !!!not-base64!!!",
        "Bearer wrong",
        f"Token {DEMO_OAUTH_TOKEN}",
    ],
)
def test_bad_credentials_get_zendesks_401(zd: ZdApi, authorization: str | None) -> None:
    response = ZdApi(zd.app, authorization).get("/tickets/101")
    assert response.status_code == 401
    assert response.get_json() == {"error": "Couldn't authenticate you"}
    assert response.headers["WWW-Authenticate"].startswith("Basic")
    assert "X-Rate-Limit" in response.headers


def test_basic_token_and_bearer_both_work(zd: ZdApi) -> None:
    assert zd.ok("GET", "/users/me")["user"]["id"] == DEMO_AGENT_ID
    upper = _basic(f"{DEMO_EMAIL.upper()}/token", DEMO_API_TOKEN)
    assert ZdApi(zd.app, upper).get("/users/me").status_code == 200
    me = ZdApi(zd.app, f"Bearer {DEMO_OAUTH_TOKEN}").ok("GET", "/users/me")["user"]
    assert (me["email"], me["role"]) == (DEMO_EMAIL, "agent")


def test_custom_credentials(make_zd) -> None:
    app = make_zd(email="ops@acme.test", api_token="t0ken", oauth_token="bear")
    assert ZdApi(app, _basic("ops@acme.test/token", "t0ken")).get("/users/me").status_code == 200
    assert ZdApi(app, "Bearer bear").get("/users/me").status_code == 200
    assert ZdApi(app).get("/users/me").status_code == 401  # demo credentials no longer accepted


def test_seeded_tickets_mirror_the_workbench(zd: ZdApi) -> None:
    listing = zd.ok("GET", "/tickets")
    assert listing["count"] == len(workbench.TICKETS) == 5
    assert [t["id"] for t in listing["tickets"]] == [101, 102, 103, 104, 105]
    for seeded in workbench.TICKETS.values():
        ticket = zd.ok("GET", f"/tickets/{seeded.id}")["ticket"]
        assert ticket["subject"] == seeded.subject
        assert (ticket["status"], ticket["priority"], ticket["type"]) == (
            seeded.status,
            seeded.priority,
            seeded.type,
        )
        assert ticket["tags"] == list(seeded.tags)
        assert ticket["requester_id"] == seeded.requester.id
        assert ticket["organization_id"] == (seeded.organization.id if seeded.organization else None)
        assert ticket["updated_at"].endswith("Z") and ticket["created_at"] <= ticket["updated_at"]
        comments = zd.ok("GET", f"/tickets/{seeded.id}/comments")["comments"]
        assert [(c["id"], c["author_id"], c["public"]) for c in comments] == [
            (c.id, c.author.id, c.public) for c in seeded.comments
        ]
    ticket = zd.ok("GET", "/tickets/101")["ticket"]
    assert ticket["custom_fields"] == [{"id": 360001, "value": "press"}]
    assert ticket["url"] == "http://localhost/api/v2/tickets/101.json"


def test_tickets_101_and_103_copy_a_colleague_of_the_requester(zd: ZdApi) -> None:
    ccs = {}
    for seeded in workbench.TICKETS.values():
        ticket = zd.ok("GET", f"/tickets/{seeded.id}")["ticket"]
        assert ticket["email_cc_ids"] == ticket["collaborator_ids"] == [cc.id for cc in seeded.ccs]
        assert ticket["follower_ids"] == []
        ccs[seeded.id] = ticket["email_cc_ids"]
    assert {ticket_id: len(ids) for ticket_id, ids in ccs.items()} == {101: 1, 102: 0, 103: 1, 104: 0, 105: 0}
    for ticket_id, email_domain in ((101, "@trailpress.example"), (103, "@outdoordaily.example")):
        ticket = zd.ok("GET", f"/tickets/{ticket_id}")["ticket"]
        user = zd.ok("GET", f"/users/{ccs[ticket_id][0]}")["user"]
        assert user["id"] != ticket["requester_id"] and user["name"].count(" ") == 1
        assert user["email"].endswith(email_domain) and user["role"] == "end-user"
        assert user["organization_id"] == ticket["organization_id"]


def test_seed_is_deterministic(make_zd) -> None:
    first, second = ZdApi(make_zd()), ZdApi(make_zd())
    for path in ("/tickets", "/tickets/104/comments", "/users/7104", "/organizations/504"):
        assert first.ok("GET", path) == second.ok("GET", path)


def test_gallery_placeholders_become_links(zd: ZdApi, make_zd) -> None:
    body = zd.ok("GET", "/tickets/102/comments")["comments"][0]
    assert "{{gallery" not in body["body"]
    assert "http://localhost/sandbox/photoshelter/site/gallery/" in body["body"]
    assert '<a href="http://localhost/sandbox/photoshelter/site/gallery/' in body["html_body"]
    configured = ZdApi(make_zd(gallery_links={"expired": "https://ps.example/g/expired"}))
    text = configured.ok("GET", "/tickets/102")["ticket"]["description"]
    assert "https://ps.example/g/expired" in text


def test_users_with_organization_tags_and_fields(zd: ZdApi) -> None:
    user = zd.ok("GET", "/users/7101")["user"]
    assert user["name"] == "Jordan Ellis" and user["email"] == "jordan.ellis@trailpress.example"
    assert (user["organization_id"], user["role"], user["tags"], user["user_fields"]) == (
        501,
        "end-user",
        [],
        {},
    )
    agent = zd.ok("GET", f"/users/{workbench.AGENT.id}.json")["user"]
    assert (agent["role"], agent["email"]) == ("agent", workbench.AGENT.email)
    assert zd.ok("GET", f"/users/{DEMO_AGENT_ID}")["user"]["role"] == "agent"
    assert zd.ok("GET", "/users/7105")["user"]["organization_id"] is None


def test_organizations_carry_tier_and_tags(zd: ZdApi) -> None:
    org = zd.ok("GET", "/organizations/504")["organization"]
    assert org["name"] == "Summit & Co. Department Stores"
    assert org["tags"] == ["vip", "retail_partner"]
    assert org["organization_fields"] == {"tier": "enterprise"}
    assert zd.ok("GET", "/organizations/501")["organization"]["organization_fields"]["tier"] == "media"


def test_not_found_shapes(zd: ZdApi) -> None:
    for path in ("/tickets/999", "/users/1", "/organizations/2", "/tickets/999/comments"):
        assert zd_error(zd.get(path), 404, "RecordNotFound") == {
            "error": "RecordNotFound",
            "description": "Not found",
        }
    zd_error(zd.get("/no/such/endpoint"), 404, "InvalidEndpoint")
    assert zd.open("PATCH", "/tickets/101").status_code == 405


def test_ticket_fields(zd: ZdApi) -> None:
    fields = zd.ok("GET", "/ticket_fields")["ticket_fields"]
    category = next(f for f in fields if f["id"] == 360001)
    assert category["type"] == "tagger"
    assert {o["value"] for o in category["custom_field_options"]} >= {"press", "access", "retail"}
    assert {"subject", "status", "priority"} <= {f["type"] for f in fields}
