"""Flows 3 and 5 (read side): what the sidebar needs to know about a ticket before acting.

Requester and organization (with the fields and tags entitlement will use), the ticket's CCs (the
share recipients the agent may add), past deliveries, and every PhotoShelter link in the
conversation with its live status, so the agent sees why a customer's link fails without asking.
"""

from __future__ import annotations

import re
from typing import Any

from backend.services.catalog import fan_out
from backend.services.dates import human_date
from backend.services.delivery import Caller, DeliveryService
from backend.services.errors import InvalidInputError
from backend.services.troubleshoot import Troubleshooter
from backend.vendor_http import UpstreamNotFoundError
from backend.zendesk.client import ZendeskClient
from backend.zendesk.models import Ticket, User

URL_RE = re.compile(r"https?://[^\s\"'<>()]+")
MAX_LINKS = 10
#: At most this many CCs are looked up (one `GET /users/{id}` each, concurrently).
MAX_CCS = 20
CC_WORKERS = 8


class TicketContext:
    """Assemble one ticket's context."""

    def __init__(self, zd: ZendeskClient, troubleshooter: Troubleshooter, deliveries: DeliveryService):
        self.zd = zd
        self.troubleshooter = troubleshooter
        self.deliveries = deliveries

    def build(self, caller: Caller, ticket_id: int) -> dict[str, Any]:
        """Requester, CCs, organization, deliveries and checked links of one ticket."""
        ticket = self.zd.get_ticket(ticket_id)
        requester = self.zd.get_user(ticket.requester_id) if ticket.requester_id else None
        org_id = ticket.organization_id or (requester.organization_id if requester else None)
        organization = self.zd.get_organization(org_id) if org_id else None
        delivered = self.deliveries.list_for_ticket(caller, ticket_id)
        shares_by_link = {s["link"]: s for d in delivered for s in d["shares"]}
        links = [self._check(url, shares_by_link) for url in self._links(ticket_id)]
        return {
            "ticket": {
                "id": ticket.id,
                "subject": ticket.subject,
                "status": ticket.status,
                "priority": ticket.priority,
                "tags": list(ticket.tags),
            },
            "requester": {
                "id": requester.id,
                "name": requester.name,
                "email": requester.email,
                "tags": list(requester.tags),
            }
            if requester
            else None,
            "ccs": [{"id": cc.id, "name": cc.name, "email": cc.email} for cc in self._ccs(ticket)],
            "organization": {
                "id": organization.id,
                "name": organization.name,
                "tags": list(organization.tags),
                "fields": dict(organization.organization_fields),
            }
            if organization
            else None,
            "deliveries": delivered,
            "links": [link for link in links if link is not None],
            "limits": {
                "attachment_limit_bytes": self.deliveries.options.attachment_limit_bytes,
                "default_share_days": self.deliveries.options.default_share_days,
                "max_share_days": self.deliveries.options.max_share_days,
            },
        }

    def _ccs(self, ticket: Ticket) -> list[User]:
        """The ticket's CCs with an e-mail address, in the ticket's order (not the requester; users
        that no longer exist are left out). Bounded to `MAX_CCS` look-ups."""
        ids = [i for i in ticket.cc_ids if i != ticket.requester_id][:MAX_CCS]
        if len(ids) == 1:
            try:
                found = {ids[0]: self.zd.get_user(ids[0])}
            except UpstreamNotFoundError:
                found = {}
        else:
            found = fan_out(self.zd.get_user, ids, CC_WORKERS)
        return [found[i] for i in ids if i in found and found[i].email]

    def _links(self, ticket_id: int) -> list[str]:
        found: list[str] = []
        for comment in self.zd.ticket_comments(ticket_id):
            for url in URL_RE.findall(comment.html_body or comment.body or ""):
                url = url.rstrip(".,;:!?")
                if url not in found:
                    found.append(url)
        return found[-MAX_LINKS * 3 :]

    def _check(self, url: str, shares_by_link: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
        share = shares_by_link.get(url)
        if share is not None:
            works = share["status"] in {"active", "expiring"}
            return {
                "url": url,
                "source": "share",
                "share_id": share["id"],
                "works": works,
                "cause": "ok" if works else share["status"],
                "reason": _share_reason(share),
                "container_id": share["container_id"],
            }
        try:
            verdict = self.troubleshooter.diagnose(url)
        except InvalidInputError:
            return None  # not a PhotoShelter link
        return {
            "url": url,
            "source": "photoshelter",
            "works": verdict["works"],
            "cause": verdict["cause"],
            "reason": verdict["reason"],
            "advice": verdict["advice"],
            "kind": verdict["kind"],
            "id": verdict["id"],
            "container_id": (verdict.get("container") or {}).get("id"),
        }


def _share_reason(share: dict[str, Any]) -> str:
    return {
        "revoked": "This share link was revoked.",
        "expired": f"This share link expired on {human_date(share['expires_at'])}.",
        "exhausted": "This share link's download limit has been reached.",
        "expiring": f"This share link works until {human_date(share['expires_at'])}.",
    }.get(share["status"], "This share link works.")
