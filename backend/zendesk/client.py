"""Typed client for the Zendesk Support REST API v2 (ref: shared/reference/zendesk-zaf.md §4).

One `ZendeskClient` per tenant credential (API token or OAuth bearer). Every public method makes
one HTTP call (listings follow `next_page` to the end, bounded by `max_pages`) and returns the
typed records of `backend.zendesk.models`. The client is safe to share between threads.

Retry policy (the transport retries connection errors, timeouts and 5xx for idempotent methods
and short 429s for every method):

- reads (GET) and idempotent writes — `add_tags` (PUT = add), `remove_tags` (DELETE),
  `update_ticket` (PUT of field values), `delete_upload` — are retried by the transport;
- `create_ticket` is a POST but carries an `Idempotency-Key`, so Zendesk answers a repeat with
  the ticket it already created: it is retried like an idempotent call;
- `upload` (POST) and `add_comment` (a PUT that appends a comment, so *not* idempotent) are sent
  once: a timeout or 5xx may have been processed, and repeating it would create a second upload
  or a duplicate comment. Only a 429 (Zendesk did not process the request) is repeated, after
  its `Retry-After`, and only when the body can be replayed (not for a streamed iterator).
  Any other failure surfaces to the caller (a job), which reconciles and reschedules.
"""

from __future__ import annotations

import base64
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

import requests

from backend.vendor_http import Transport, UpstreamError, json_object, parse_or_raise
from backend.zendesk.errors import (
    ERROR_CLASSES,
    ZendeskError,
    ZendeskRateLimitedError,
    error_from_response,
)
from backend.zendesk.models import Comment, Organization, Ticket, Upload, User

logger = logging.getLogger(__name__)

T = TypeVar("T")

API_PREFIX = "/api/v2"

# --- Attachments (ref §4.3) ------------------------------------------------------------------
# ref §4.3: raw file bytes as the body, ?filename=<name>[&token=<first upload's token>] → 201
UPLOADS_URL = "/api/v2/uploads"
# ref §4.3: discard an unused upload token and its files → 204
UPLOAD_URL = "/api/v2/uploads/{token}"

# --- Tickets and comments (ref §4.2, §4.4) ---------------------------------------------------
# ref §4.2: POST create (201 + Location; Idempotency-Key ref §4.4); GET ?external_id= (ref §4.4)
TICKETS_URL = "/api/v2/tickets"
# ref §4.2: GET one ticket; PUT update (comment, fields, safe_update + updated_stamp → 409)
TICKET_URL = "/api/v2/tickets/{ticket_id}"
# ref §4.2: GET comments, offset pagination with next_page
TICKET_COMMENTS_URL = "/api/v2/tickets/{ticket_id}/comments"

# --- Tags (ref §4.5): GET list, POST set (replace: never used), PUT add, DELETE remove --------
TICKET_TAGS_URL = "/api/v2/tickets/{ticket_id}/tags"

# --- Users and organizations -----------------------------------------------------------------
# ref §4.1: the authenticated user (credential check)
CURRENT_USER_URL = "/api/v2/users/me"
# requester data for entitlement (design §2 flow 5)
USER_URL = "/api/v2/users/{user_id}"
# organization tags and fields (tier) for entitlement and routing
ORGANIZATION_URL = "/api/v2/organizations/{organization_id}"

#: Largest `per_page` Zendesk accepts for offset pagination.
PER_PAGE = 100
#: Idempotency keys longer than this are refused by Zendesk (ref §4.4).
MAX_IDEMPOTENCY_KEY = 255
#: Ticket fields `update_ticket` refuses: comments are not idempotent (use `add_comment`), `tags`
#: replaces every tag (use `add_tags`/`remove_tags` or `additional_tags`/`remove_tags` keys).
_RESERVED_FIELDS = frozenset({"comment", "tags", "safe_update", "updated_stamp"})
PRIORITIES = ("low", "normal", "high", "urgent")


class ZendeskTransport(Transport):
    """`Transport` that raises `Zendesk*Error` classes parsed from Zendesk error bodies."""

    service = "zendesk"
    error_classes = ERROR_CLASSES

    def error_from_response(self, response: requests.Response) -> UpstreamError:
        """Map a failed response (JSON `error`/`description`/`details`, or plain text)."""
        return error_from_response(response)


def _check_id(value: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"malformed {what} id: {value!r}")
    return value


def _check_tags(tags: Iterable[str]) -> list[str]:
    if isinstance(tags, str):
        raise ValueError("tags must be a list of strings, not one string")
    out = [str(t).strip() for t in tags]
    if not out or any(not t or any(c.isspace() for c in t) for t in out):
        raise ValueError("tags must be non-empty strings without spaces")
    return out


def _normalise_base_url(base_url: str) -> str:
    base = base_url.strip().rstrip("/")
    if base.endswith(API_PREFIX):
        base = base[: -len(API_PREFIX)]
    if not base.startswith(("http://", "https://")):
        raise ValueError("base_url must be an http(s) URL, e.g. https://acme.zendesk.com")
    return base


class ZendeskClient:
    """Zendesk Support API v2 client returning typed records.

    Authentication is an API token (`email` + `api_token`: HTTP Basic `{email}/token:{api_token}`)
    or an OAuth access token (`oauth_token`: `Authorization: Bearer`). Errors are `Zendesk*Error`
    (also `Upstream*Error`); malformed arguments raise `ValueError` before any HTTP call.
    Credentials never reach logs, `repr()` or exception messages.
    """

    def __init__(
        self,
        *,
        base_url: str,
        email: str | None = None,
        api_token: str | None = None,
        oauth_token: str | None = None,
        timeout: float | tuple[float, float] = (5.0, 30.0),
        max_retries: int = 3,
        backoff: float = 0.2,
        max_retry_after: float = 2.0,
        sleep: Callable[[float], None] = time.sleep,
        session: requests.Session | None = None,
        max_pages: int = 50,
    ) -> None:
        """Configure the client; no HTTP call happens until the first request.

        `base_url` is the account URL (`https://acme.zendesk.com`; a trailing `/api/v2` is
        accepted) or the simulator's (`http://host/sandbox/zendesk`). `max_pages` bounds how many
        pages a listing follows.
        """
        if not base_url:
            raise ValueError("base_url is required")
        if oauth_token and (email or api_token):
            raise ValueError("give either email + api_token or oauth_token, not both")
        if not oauth_token and not (email and api_token):
            raise ValueError("email + api_token or oauth_token is required")
        if max_pages < 1:
            raise ValueError("max_pages must be >= 1")
        self.base_url = _normalise_base_url(base_url)
        self.auth_mode = "oauth" if oauth_token else "api_token"
        self.max_pages = max_pages
        self.sleep = sleep
        self.max_retries = max_retries
        self.max_retry_after = max_retry_after
        if oauth_token:
            self._authorization = f"Bearer {oauth_token}"
        else:
            basic = base64.b64encode(f"{email}/token:{api_token}".encode()).decode("ascii")
            self._authorization = f"Basic {basic}"
        self._transport = ZendeskTransport(
            self.base_url,
            timeout=timeout,
            max_retries=max_retries,
            backoff=backoff,
            max_retry_after=max_retry_after,
            sleep=sleep,
            session=session,
        )
        # Same pool, no retries: for the calls that must be sent once (module docstring).
        self._once = ZendeskTransport(
            self.base_url,
            timeout=timeout,
            max_retries=0,
            backoff=backoff,
            max_retry_after=max_retry_after,
            sleep=sleep,
            session=self._transport.session,
        )

    def __repr__(self) -> str:
        return f"ZendeskClient(base_url={self.base_url!r}, auth_mode={self.auth_mode!r})"

    def close(self) -> None:
        """Close the pooled connections."""
        self._transport.close()

    # ------------------------------------------------------------------------------------------
    # Request plumbing
    # ------------------------------------------------------------------------------------------

    def _headers(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        headers = {"Authorization": self._authorization, "Accept": "application/json"}
        headers.update(extra or {})
        return headers

    def _request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        headers = self._headers(kwargs.pop("headers", None))
        return self._transport.request(method, path, headers=headers, **kwargs)

    def _send_once(self, method: str, path: str, *, replayable: bool, **kwargs: Any) -> requests.Response:
        """Send a non-idempotent write once; repeat only a short 429 (not processed by Zendesk)."""
        headers = self._headers(kwargs.pop("headers", None))
        attempt = 0
        while True:
            try:
                return self._once.request(method, path, headers=headers, **kwargs)
            except ZendeskRateLimitedError as err:
                wait = err.retry_after
                if (
                    not replayable
                    or attempt >= self.max_retries
                    or wait is None
                    or wait > self.max_retry_after
                ):
                    raise
                self.sleep(wait)
                attempt += 1

    @staticmethod
    def _json(response: requests.Response) -> dict[str, Any]:
        return json_object(response, ZendeskError)

    @staticmethod
    def _parse(parse: Callable[[Any], T], value: Any) -> T:
        return parse_or_raise(parse, value, ZendeskError)

    def _member(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        value = body.get(key)
        if not isinstance(value, dict):
            raise ZendeskError(f"response has no {key} object")
        return value

    def _check_next_page(self, url: str) -> str:
        """Follow `next_page` only on our own host: the request carries our credentials."""
        ours, theirs = urlsplit(self.base_url), urlsplit(url)
        if theirs.scheme not in ("http", "https") or theirs.netloc.lower() != ours.netloc.lower():
            raise ZendeskError("next_page points outside the Zendesk base URL; refusing to follow it")
        return url

    def _pages(self, path: str, key: str, params: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
        """Yield the objects under `key` of every page, following `next_page` (≤ `max_pages`)."""
        url: str | None = path
        query: Mapping[str, Any] | None = params
        for _ in range(self.max_pages):
            body = self._json(self._request("GET", url, params=query))
            items = body.get(key) or []
            if not isinstance(items, list):
                raise ZendeskError(f"response {key} is not a list")
            yield from items
            next_page = body.get("next_page")
            if not next_page:
                return
            url, query = self._check_next_page(str(next_page)), None
        raise ZendeskError(f"listing {path} has more than {self.max_pages} pages; stopped")

    # ------------------------------------------------------------------------------------------
    # Account
    # ------------------------------------------------------------------------------------------

    def current_user(self) -> User:
        """The user the credentials belong to (GET /api/v2/users/me); a cheap credential check."""
        body = self._json(self._request("GET", CURRENT_USER_URL))
        return self._parse(User.from_json, self._member(body, "user"))

    # ------------------------------------------------------------------------------------------
    # Uploads
    # ------------------------------------------------------------------------------------------

    def upload(
        self,
        filename: str,
        data: bytes | Iterable[bytes],
        content_type: str,
        *,
        token: str | None = None,
    ) -> Upload:
        """Upload one file (POST /api/v2/uploads?filename=[&token=]) and return its token.

        To put several files on one comment, pass the first upload's `token` to the next ones.
        `data` is the whole file or an iterable of chunks (streamed with chunked encoding).
        Never retried after a timeout or 5xx (it would create a second upload); a 429 is
        repeated only for `bytes` data.
        """
        name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
        if not name or name in (".", ".."):
            raise ValueError("filename is required")
        if not content_type:
            raise ValueError("content_type is required")
        params = {"filename": name}
        if token:
            params["token"] = token
        replayable = isinstance(data, bytes | bytearray | memoryview)
        body = bytes(data) if replayable else data  # type: ignore[arg-type]
        response = self._send_once(
            "POST",
            UPLOADS_URL,
            replayable=replayable,
            params=params,
            content=body,
            headers={"Content-Type": content_type},
        )
        return self._parse(Upload.from_json, self._member(self._json(response), "upload"))

    def delete_upload(self, token: str) -> None:
        """Discard an unused upload token and its files (DELETE /api/v2/uploads/{token})."""
        if not token:
            raise ValueError("token is required")
        self._request("DELETE", UPLOAD_URL.format(token=quote(token, safe=""))).close()

    # ------------------------------------------------------------------------------------------
    # Tickets and comments
    # ------------------------------------------------------------------------------------------

    def get_ticket(self, ticket_id: int) -> Ticket:
        """One ticket (GET /api/v2/tickets/{id})."""
        path = TICKET_URL.format(ticket_id=_check_id(ticket_id, "ticket"))
        body = self._json(self._request("GET", path))
        return self._parse(Ticket.from_json, self._member(body, "ticket"))

    def ticket_comments(self, ticket_id: int) -> list[Comment]:
        """Every comment of a ticket, oldest first (GET …/comments, following `next_page`)."""
        path = TICKET_COMMENTS_URL.format(ticket_id=_check_id(ticket_id, "ticket"))
        items = self._pages(path, "comments", {"per_page": PER_PAGE, "sort_order": "asc"})
        return [self._parse(Comment.from_json, item) for item in items]

    def find_tickets_by_external_id(self, external_id: str) -> list[Ticket]:
        """Tickets whose `external_id` matches (GET /api/v2/tickets?external_id=); not unique."""
        if not external_id:
            raise ValueError("external_id is required")
        items = self._pages(TICKETS_URL, "tickets", {"external_id": external_id, "per_page": PER_PAGE})
        return [self._parse(Ticket.from_json, item) for item in items]

    def add_comment(
        self,
        ticket_id: int,
        *,
        html_body: str,
        public: bool = False,
        uploads: Iterable[str | Upload] = (),
        author_id: int | None = None,
        safe_update_stamp: str | None = None,
    ) -> Ticket:
        """Add a comment (internal note unless `public`) with uploaded files (PUT /tickets/{id}).

        `uploads` are upload tokens (or `Upload` records; a shared token counts once). With
        `safe_update_stamp` (the ticket's `updated_stamp`) Zendesk refuses the write if the ticket
        changed meanwhile (`ZendeskConflictError`). Sent once (a repeat would duplicate it).
        """
        path = TICKET_URL.format(ticket_id=_check_id(ticket_id, "ticket"))
        if not html_body or not html_body.strip():
            raise ValueError("html_body is required")
        tokens: list[str] = []
        for item in uploads:
            value = item.token if isinstance(item, Upload) else str(item)
            if not value:
                raise ValueError("empty upload token")
            if value not in tokens:
                tokens.append(value)
        comment: dict[str, Any] = {"html_body": html_body, "public": bool(public)}
        if tokens:
            comment["uploads"] = tokens
        if author_id is not None:
            comment["author_id"] = _check_id(author_id, "author")
        ticket: dict[str, Any] = {"comment": comment}
        if safe_update_stamp:
            ticket.update(safe_update=True, updated_stamp=safe_update_stamp)
        response = self._send_once("PUT", path, replayable=True, json={"ticket": ticket})
        return self._parse(Ticket.from_json, self._member(self._json(response), "ticket"))

    def create_ticket(
        self,
        *,
        subject: str,
        html_body: str,
        requester_id: int | None = None,
        requester_email: str | None = None,
        priority: str | None = None,
        tags: Iterable[str] = (),
        external_id: str | None = None,
        public: bool = False,
        idempotency_key: str,
    ) -> Ticket:
        """Create a ticket (POST /api/v2/tickets) with an `Idempotency-Key` header.

        Repeating the call with the same key and body returns the ticket created the first
        time, so it is retried on transient failures. The same key with a different body is
        refused (`ZendeskBadRequestError`, IdempotentRequestError). Without a requester the
        ticket is requested by the API user.
        """
        if not subject or not subject.strip():
            raise ValueError("subject is required")
        if not html_body or not html_body.strip():
            raise ValueError("html_body is required")
        if not idempotency_key or len(idempotency_key) > MAX_IDEMPOTENCY_KEY:
            raise ValueError(f"idempotency_key must be 1..{MAX_IDEMPOTENCY_KEY} characters")
        if requester_id is not None and requester_email:
            raise ValueError("give requester_id or requester_email, not both")
        if priority is not None and priority not in PRIORITIES:
            raise ValueError(f"priority must be one of {', '.join(PRIORITIES)}")
        ticket: dict[str, Any] = {
            "subject": subject,
            "comment": {"html_body": html_body, "public": bool(public)},
        }
        if requester_id is not None:
            ticket["requester_id"] = _check_id(requester_id, "requester")
        elif requester_email:
            ticket["requester"] = {"email": requester_email}
        if priority is not None:
            ticket["priority"] = priority
        tag_list = list(tags)
        if tag_list:
            ticket["tags"] = _check_tags(tag_list)
        if external_id is not None:
            ticket["external_id"] = external_id
        response = self._request(
            "POST",
            TICKETS_URL,
            json={"ticket": ticket},
            headers={"Idempotency-Key": idempotency_key},
            retry_unsafe=True,
        )
        lookup = response.headers.get("x-idempotency-lookup", "-")
        result = self._parse(Ticket.from_json, self._member(self._json(response), "ticket"))
        logger.info("zendesk.ticket_created id=%s idempotency_lookup=%s", result.id, lookup)
        return result

    def update_ticket(
        self, ticket_id: int, *, fields: Mapping[str, Any], updated_stamp: str | None
    ) -> Ticket:
        """Set ticket fields (PUT /api/v2/tickets/{id}), as a safe update when a stamp is given.

        `fields` are ticket properties (`priority`, `status`, `custom_fields`, `additional_tags`,
        `remove_tags`…). `comment` and `tags` are refused: use `add_comment` (not idempotent) and
        `add_tags`/`remove_tags` (`tags` would replace every tag). A stale `updated_stamp` raises
        `ZendeskConflictError`.
        """
        path = TICKET_URL.format(ticket_id=_check_id(ticket_id, "ticket"))
        reserved = sorted(_RESERVED_FIELDS & set(fields))
        if reserved:
            raise ValueError(f"update_ticket does not set {', '.join(reserved)}")
        if not fields:
            raise ValueError("fields is empty")
        ticket: dict[str, Any] = dict(fields)
        if updated_stamp:
            ticket.update(safe_update=True, updated_stamp=updated_stamp)
        body = self._json(self._request("PUT", path, json={"ticket": ticket}))
        return self._parse(Ticket.from_json, self._member(body, "ticket"))

    # ------------------------------------------------------------------------------------------
    # Tags
    # ------------------------------------------------------------------------------------------

    def add_tags(self, ticket_id: int, tags: Iterable[str]) -> list[str]:
        """Add tags, keeping the others (PUT /api/v2/tickets/{id}/tags); returns all tags."""
        path = TICKET_TAGS_URL.format(ticket_id=_check_id(ticket_id, "ticket"))
        body = self._json(self._request("PUT", path, json={"tags": _check_tags(tags)}))
        return self._parse(lambda b: list(_tag_list(b)), body)

    def remove_tags(self, ticket_id: int, tags: Iterable[str]) -> list[str]:
        """Remove tags, keeping the others (DELETE /api/v2/tickets/{id}/tags with a JSON body).

        Returns the remaining tags. Zendesk answers `200 {"tags": [...]}`; should it answer
        `204 No Content` instead (as its OpenAPI file allows), the tags are read back with one
        GET (the removal itself is idempotent, so nothing is lost either way).
        """
        path = TICKET_TAGS_URL.format(ticket_id=_check_id(ticket_id, "ticket"))
        response = self._request("DELETE", path, json={"tags": _check_tags(tags)})
        if response.status_code == 204 or not response.content:
            response.close()
            response = self._request("GET", path)
        return self._parse(lambda b: list(_tag_list(b)), self._json(response))

    # ------------------------------------------------------------------------------------------
    # Users and organizations
    # ------------------------------------------------------------------------------------------

    def get_user(self, user_id: int) -> User:
        """One user with tags and user fields (GET /api/v2/users/{id})."""
        path = USER_URL.format(user_id=_check_id(user_id, "user"))
        body = self._json(self._request("GET", path))
        return self._parse(User.from_json, self._member(body, "user"))

    def get_organization(self, organization_id: int) -> Organization:
        """One organization with tags and organization fields (GET /api/v2/organizations/{id})."""
        path = ORGANIZATION_URL.format(organization_id=_check_id(organization_id, "organization"))
        body = self._json(self._request("GET", path))
        return self._parse(Organization.from_json, self._member(body, "organization"))


def _tag_list(body: dict[str, Any]) -> tuple[str, ...]:
    tags = body["tags"]
    if not isinstance(tags, list):
        raise ValueError("tags is not a list")
    return tuple(str(t) for t in tags)
