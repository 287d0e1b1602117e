"""DeliveryService branches that need a precisely timed upstream failure or unusual limits.

The service runs with real clients against the live simulators; where a failure must hit one
exact call (the comment after a successful upload), the Zendesk client is subclassed to fail that
call only — the code under test is the service, not the client.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import requests

from backend.sandbox.photoshelter.seed import SEEDED_STATES
from backend.sandbox.zendesk import seed as zendesk_seed
from backend.services.delivery import Caller, DeliveryFailedError, DeliveryOptions, DeliveryService
from backend.zendesk.client import ZendeskClient
from backend.zendesk.errors import ZendeskUnavailableError

ZD_AUTH = (f"{zendesk_seed.DEMO_EMAIL}/token", zendesk_seed.DEMO_API_TOKEN)


class CommentFails(ZendeskClient):
    """Uploads work; the comment write fails (the upstream is down at that moment)."""

    def add_comment(self, ticket_id, **kwargs):
        raise ZendeskUnavailableError("Zendesk is down", service="zendesk", status=503)


class CommentLandsButAnswerIsLost(ZendeskClient):
    """The comment is written, then the connection drops before the answer arrives."""

    def add_comment(self, ticket_id, **kwargs):
        super().add_comment(ticket_id, **kwargs)
        raise ZendeskUnavailableError("connection reset", service="zendesk")


def zendesk(live, cls=ZendeskClient):
    return cls(
        base_url=f"{live.url}/sandbox/zendesk",
        email=zendesk_seed.DEMO_EMAIL,
        api_token=zendesk_seed.DEMO_API_TOKEN,
    )


def service(live, zd=None, now=None, **options):
    ext = live.app.extensions["psz"]
    tenant = ext.tenants.get("demo")
    return DeliveryService(
        ext.clients.photoshelter(tenant),
        zd or zendesk(live),
        ext.sessions,
        DeliveryOptions(public_url=live.url, **options),
        now or datetime.now(UTC),
    )


@pytest.fixture
def caller(live):
    return Caller(tenant_id=live.app.extensions["psz"].tenant_row_id("demo"), agent_id="7")


def comments(live, ticket_id):
    url = f"{live.url}/sandbox/zendesk/api/v2/tickets/{ticket_id}/comments"
    return requests.get(url, auth=ZD_AUTH, timeout=10).json()["comments"]


def media_ids(live, count):
    body = live.get("/api/v1/search", params={"kind": "media", "per_page": count}).json()
    return [item["id"] for item in body["items"]]


def upload_state(live, token):
    """Whether Zendesk still holds an upload token (a comment can use it)."""
    response = requests.put(
        f"{live.url}/sandbox/zendesk/api/v2/tickets/105",
        json={"ticket": {"comment": {"body": "probe", "uploads": [token], "public": False}}},
        auth=ZD_AUTH,
        timeout=10,
    )
    return response.status_code


def test_comment_failure_after_upload_cleans_up_and_retry_completes_once(live, caller):
    ids = media_ids(live, 2)
    before = len(comments(live, 104))
    with pytest.raises(DeliveryFailedError) as info:
        service(live, zendesk(live, CommentFails)).attach(caller, 104, ids, public=False, note="")
    delivery_id = info.value.details["delivery"]["id"]
    listed = {d["id"]: d for d in service(live).list_for_ticket(caller, 104)}
    assert listed[delivery_id]["status"] == "failed"
    assert "down" in listed[delivery_id]["error"]["message"]
    assert len(comments(live, 104)) == before
    # The orphan upload was deleted: Zendesk no longer accepts its token.
    from backend.store.models import Delivery
    from backend.store.session import session_scope

    with session_scope(live.app.extensions["psz"].sessions) as session:
        tokens = session.query(Delivery).filter_by(public_id=delivery_id).one().upload_tokens
    assert tokens and upload_state(live, tokens[0]) == 422
    retried = service(live).retry(caller, delivery_id)
    assert retried["status"] == "delivered"
    after = comments(live, 104)
    assert len(after) == before + 1 and len(after[-1]["attachments"]) == 2


def test_comment_that_landed_despite_an_error_is_not_posted_twice(live, caller):
    ids = media_ids(live, 1)
    before = len(comments(live, 103))
    result = service(live, zendesk(live, CommentLandsButAnswerIsLost)).attach(
        caller, 103, ids, public=False, note=""
    )
    assert result["status"] == "delivered"
    assert len(comments(live, 103)) == before + 1


def test_files_over_the_attachment_limit_are_shared_as_a_link_instead(live, caller):
    ids = media_ids(live, 2)
    tiny = service(live, attachment_limit_bytes=10_000)
    result = tiny.attach(caller, 105, ids, public=False, note="")
    assert result["fallback_to_link"] is True
    assert result["shares"] and result["shares"][0]["status"] == "active"
    comment = comments(live, 105)[-1]
    assert (
        "Too large to attach" in comment["html_body"] and result["shares"][0]["link"] in comment["html_body"]
    )
    assert comment["attachments"] == []


def test_large_original_is_attached_as_a_smaller_rendition(live, caller):
    search = live.get("/api/v1/search", params={"kind": "media", "per_page": 100}).json()["items"]
    big = next(item for item in search if item["file_size"] > 7 * 1024 * 1024)
    result = service(live).attach(caller, 105, [big["id"]], public=False, note="")
    assert result["fallback_to_link"] is False
    attachment = comments(live, 105)[-1]["attachments"][0]
    assert 0 < attachment["size"] <= 7 * 1024 * 1024


def test_expired_share_link_shows_the_expiry_page(live, caller):
    past = datetime.now(UTC) - timedelta(days=5)
    result = service(live, now=past).share(
        caller,
        101,
        gallery_id=SEEDED_STATES["public_listed"],
        media_ids=[],
        recipients=["press@example.com"],
        expires_in_days=1,
        allow_download=True,
        max_downloads=None,
        note="",
        post_note=False,
    )
    page = requests.get(result["link"], allow_redirects=False, timeout=10)
    assert page.status_code == 410 and "expired" in page.text
    listed = service(live).list_for_ticket(caller, 101)
    share = next(s for d in listed for s in d["shares"] if s["id"] == result["shares"][0]["id"])
    assert share["status"] == "expired"


def test_grant_removed_in_photoshelter_shows_as_revoked(live, caller):
    svc = service(live)
    result = svc.share(
        caller,
        102,
        gallery_id=SEEDED_STATES["public_unlisted"],
        media_ids=[],
        recipients=[],
        expires_in_days=5,
        allow_download=True,
        max_downloads=None,
        note="",
        post_note=True,
    )
    from backend.store import shares
    from backend.store.session import session_scope

    with session_scope(live.app.extensions["psz"].sessions) as session:
        grant = shares.get_grant(session, caller.tenant_id, result["shares"][0]["id"])
    svc.ps.delete_gallery_grant(grant.container_id, grant.photoshelter_grant_id)
    listed = svc.list_for_ticket(caller, 102)
    share = next(s for d in listed for s in d["shares"] if s["id"] == result["shares"][0]["id"])
    assert share["status"] == "revoked"
    assert requests.get(result["link"], allow_redirects=False, timeout=10).status_code == 410


def test_failed_share_retry_completes_the_same_delivery_with_one_link(live, caller):
    from backend.photoshelter.client import PhotoShelterClient
    from backend.photoshelter.errors import PhotoShelterUnavailableError
    from backend.sandbox.photoshelter import seed

    class GrantFails(PhotoShelterClient):
        def create_gallery_grant(self, *args, **kwargs):
            raise PhotoShelterUnavailableError("PhotoShelter is down", service="photoshelter", status=503)

    failing = GrantFails(
        base_url=f"{live.url}/sandbox/photoshelter/psapi/v4.0",
        api_key=seed.DEMO_API_KEY,
        email=seed.DEMO_EMAIL,
        password=seed.DEMO_PASSWORD,
        org_id=seed.DEMO_ORG_ID,
    )
    svc = service(live)
    broken = DeliveryService(failing, svc.zd, svc.sessions, svc.options, svc.now)
    with pytest.raises(DeliveryFailedError) as info:
        broken.share(
            caller,
            103,
            gallery_id=None,
            media_ids=media_ids(live, 2),
            recipients=["a@example.com"],
            expires_in_days=3,
            allow_download=False,
            max_downloads=None,
            note="Selects",
            post_note=True,
        )
    delivery_id = info.value.details["delivery"]["id"]
    retried = svc.retry(caller, delivery_id)
    assert retried["id"] == delivery_id and retried["status"] == "delivered"
    assert len(retried["shares"]) == 1
    share = retried["shares"][0]
    assert share["allow_download"] is False and share["status"] == "expiring"  # 3 days, as first requested
    mine = [d for d in svc.list_for_ticket(caller, 103) if d["id"] == delivery_id]
    assert len(mine) == 1 and len(mine[0]["shares"]) == 1
    assert requests.get(share["link"], allow_redirects=False, timeout=10).status_code == 302
