"""The workbench's own line to the Zendesk REST API (the simulator): the agent interface's calls.

The workbench plays Zendesk's agent interface, so it reads and writes the ticket it shows through
the account's REST API over HTTP (`requests`), authenticated with the account's API token
(HTTP Basic `{email}/token:{api_token}`). The credentials stay on the server: nothing here ever
puts them in a value that reaches the page, and error messages never contain them.

Its calls carry `X-Workbench-Agent-UI: 1`, which the simulator honours by skipping its fault
switches and per-minute budget (the agent interface is not API traffic). Requests the sidebar app
makes through the proxy (`proxy.py`) use `ZendeskAccount.authorization()` without that header.

Failures come in two kinds: `ZendeskUnavailable` (unreachable, timed out, refused credentials,
5xx, throttled, not JSON) — the workbench falls back to its seed data — and `ZendeskRefused`
(a 4xx answer such as 404 or 422, with Zendesk's description), which it reports as such.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import requests

#: Marks the workbench's agent-interface calls (see `backend.sandbox.zendesk`).
AGENT_UI_HEADER = "X-Workbench-Agent-UI"
USER_AGENT = "Zendesk-Agent-Workspace (photoshelter-for-zendesk workbench)"
DEFAULT_TIMEOUT_SECONDS = 10.0
CONNECT_TIMEOUT_SECONDS = 3.0
MAX_PAGES = 20


class ZendeskUnavailable(Exception):
    """The simulator could not be used (network, credentials, 5xx, 429, bad JSON)."""


class ZendeskRefused(Exception):
    """The simulator answered a 4xx (other than 401/429): `status` and Zendesk's `description`."""

    def __init__(self, status: int, description: str, error: str = ""):
        super().__init__(description)
        self.status = status
        self.description = description
        self.error = error


@dataclass(frozen=True)
class ZendeskAccount:
    """Where the account's REST API lives and the API-token credentials (never shown)."""

    base_url: str
    email: str
    api_token: str = field(repr=False)
    timeout: float = DEFAULT_TIMEOUT_SECONDS

    def authorization(self) -> str:
        """The HTTP Basic `Authorization` value of the API token."""
        raw = f"{self.email}/token:{self.api_token}".encode()
        return "Basic " + base64.b64encode(raw).decode("ascii")

    def url(self, path: str) -> str:
        """Absolute URL of an API path (`/api/v2/...`)."""
        return self.base_url.rstrip("/") + path


class AgentUi:
    """The agent interface's REST calls for one page render or one JSON answer."""

    def __init__(self, account: ZendeskAccount, session: requests.Session | None = None):
        self.account = account
        self.session = session or requests.Session()
        self._users: dict[int, dict[str, Any] | None] = {}
        self._organizations: dict[int, dict[str, Any] | None] = {}

    def close(self) -> None:
        """Release pooled connections."""
        self.session.close()

    def __enter__(self) -> AgentUi:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ transport

    def call(
        self, method: str, path: str, *, json: Any = None, params: Mapping[str, Any] | None = None
    ) -> Any:
        """One API call; the parsed JSON answer, or `ZendeskUnavailable` / `ZendeskRefused`."""
        url = path if path.startswith(("http://", "https://")) else self.account.url(path)
        headers = {
            "Authorization": self.account.authorization(),
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
            AGENT_UI_HEADER: "1",
        }
        try:
            response = self.session.request(
                method,
                url,
                headers=headers,
                json=json,
                params=params,
                timeout=(min(CONNECT_TIMEOUT_SECONDS, self.account.timeout), self.account.timeout),
                allow_redirects=False,
            )
        except requests.Timeout:
            raise ZendeskUnavailable("the Zendesk API did not answer in time") from None
        except requests.RequestException:
            raise ZendeskUnavailable("the Zendesk API could not be reached") from None
        status = response.status_code
        if status == 401:
            raise ZendeskUnavailable("the Zendesk API refused the workbench's credentials")
        if status == 429:
            raise ZendeskUnavailable("the Zendesk API is throttling the workbench (429)")
        if status >= 500 or 300 <= status < 400:
            raise ZendeskUnavailable(f"the Zendesk API answered {status}")
        body = _json_or_none(response)
        if status >= 400:
            description = ""
            error = ""
            if isinstance(body, Mapping):
                error = str(body.get("error") or "")
                description = str(body.get("description") or error)
                details = body.get("details")
                if isinstance(details, Mapping):
                    reasons = [
                        str(item.get("description"))
                        for items in details.values()
                        if isinstance(items, list)
                        for item in items
                        if isinstance(item, Mapping) and item.get("description")
                    ]
                    if reasons:
                        description = "; ".join(reasons)
            raise ZendeskRefused(status, description or f"HTTP {status}", error)
        if status == 204:
            return None
        if body is None:
            raise ZendeskUnavailable("the Zendesk API answered something other than JSON")
        return body

    def _pages(self, path: str, key: str, params: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
        """Every item of an offset-paginated listing (follows `next_page`, bounded)."""
        url: str | None = path
        query: Mapping[str, Any] | None = params
        for _ in range(MAX_PAGES):
            if url is None:
                return
            body = self.call("GET", url, params=query)
            yield from _list(body, key)
            next_page = body.get("next_page") if isinstance(body, Mapping) else None
            # Credentials go only to the account itself: a `next_page` elsewhere ends the listing.
            same_site = isinstance(next_page, str) and next_page.startswith(self.account.url("/api/v2/"))
            url, query = (next_page if same_site else None), None

    # ------------------------------------------------------------------ reads

    def tickets(self) -> list[dict[str, Any]]:
        """Every ticket of the account (`GET /api/v2/tickets`), by id."""
        items = list(self._pages("/api/v2/tickets", "tickets", {"per_page": 100}))
        return sorted(items, key=lambda t: t.get("id") or 0)

    def ticket(self, ticket_id: int) -> dict[str, Any]:
        """`GET /api/v2/tickets/{id}` → the ticket object."""
        return _object(self.call("GET", f"/api/v2/tickets/{ticket_id}"), "ticket")

    def comments(self, ticket_id: int) -> list[dict[str, Any]]:
        """`GET /api/v2/tickets/{id}/comments`, oldest first (all pages)."""
        params = {"per_page": 100, "sort_order": "asc"}
        return list(self._pages(f"/api/v2/tickets/{ticket_id}/comments", "comments", params))

    def user(self, user_id: int | None) -> dict[str, Any] | None:
        """`GET /api/v2/users/{id}` (remembered for this render); None when unknown."""
        if user_id is None:
            return None
        if user_id not in self._users:
            try:
                self._users[user_id] = _object(self.call("GET", f"/api/v2/users/{user_id}"), "user")
            except ZendeskRefused:
                self._users[user_id] = None
        return self._users[user_id]

    def organization(self, organization_id: int | None) -> dict[str, Any] | None:
        """`GET /api/v2/organizations/{id}` (remembered for this render); None when unknown."""
        if organization_id is None:
            return None
        if organization_id not in self._organizations:
            try:
                answer = self.call("GET", f"/api/v2/organizations/{organization_id}")
                self._organizations[organization_id] = _object(answer, "organization")
            except ZendeskRefused:
                self._organizations[organization_id] = None
        return self._organizations[organization_id]

    # ------------------------------------------------------------------ writes

    def update_ticket(self, ticket_id: int, changes: Mapping[str, Any]) -> dict[str, Any]:
        """`PUT /api/v2/tickets/{id}` with `{"ticket": changes}` → the updated ticket."""
        answer = self.call("PUT", f"/api/v2/tickets/{ticket_id}", json={"ticket": dict(changes)})
        return _object(answer, "ticket")

    def change_tags(self, ticket_id: int, method: str, tags: list[str]) -> list[str]:
        """Tags endpoint: `PUT` adds, `DELETE` removes, `POST` replaces → the ticket's tags."""
        answer = self.call(method, f"/api/v2/tickets/{ticket_id}/tags", json={"tags": tags})
        return [str(t) for t in (answer or {}).get("tags") or []]


def _json_or_none(response: requests.Response) -> Any:
    if "json" not in (response.headers.get("Content-Type") or "").lower():
        return None
    try:
        return response.json()
    except ValueError:
        return None


def _object(body: Any, key: str) -> dict[str, Any]:
    value = body.get(key) if isinstance(body, Mapping) else None
    if not isinstance(value, dict):
        raise ZendeskUnavailable(f"the Zendesk API answer has no '{key}' object")
    return value


def _list(body: Any, key: str) -> list[dict[str, Any]]:
    value = body.get(key) if isinstance(body, Mapping) else None
    if not isinstance(value, list):
        raise ZendeskUnavailable(f"the Zendesk API answer has no '{key}' list")
    return [item for item in value if isinstance(item, dict)]
