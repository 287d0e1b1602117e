"""Zendesk error classes and the mapping from Zendesk error bodies (ref zendesk-zaf.md §4).

Zendesk answers errors in a few shapes, all handled here:

- `{"error": "RecordNotFound", "description": "Not found"}` — an error id plus a description;
- `{"error": "RecordInvalid", "description": "Record validation errors", "details": {field:
  [{"description": "...", "error": "..."}]}}` — validation failures (422), details per field;
- `{"error": "Couldn't authenticate you"}` — a bare message (401);
- `{"error": {"title": "Forbidden", "message": "..."}}` — an object (some 403s);
- plain text or HTML (429 throttling, load-balancer 5xx pages).

Each class inherits from both `ZendeskError` and the matching transport-level `Upstream*Error`,
so callers may catch either the vendor-specific or the generic tree.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import requests

from backend.vendor_http import (
    UpstreamAuthError,
    UpstreamBadRequestError,
    UpstreamConflictError,
    UpstreamError,
    UpstreamNotFoundError,
    UpstreamPermissionError,
    UpstreamRateLimitedError,
    UpstreamTimeoutError,
    UpstreamUnavailableError,
    status_kind,
)

SERVICE = "zendesk"

# Zendesk error ids (ref §4.2, §4.4, §4.5)
RECORD_NOT_FOUND = "RecordNotFound"
RECORD_INVALID = "RecordInvalid"
UPDATE_CONFLICT = "UpdateConflict"
IDEMPOTENT_REQUEST_ERROR = "IdempotentRequestError"

#: Longest plain-text body kept as a message (HTML error pages are reduced to their text).
_MAX_TEXT = 200
_ERROR_ID = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_TAG = re.compile(r"<[^>]*>")


class ZendeskError(UpstreamError):
    """A Zendesk API call failed. `details` holds Zendesk's per-field validation details, if any."""

    default_service = SERVICE

    def __init__(self, message: str, *, details: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.details: dict[str, Any] = dict(details or {})


class ZendeskAuthError(ZendeskError, UpstreamAuthError):
    """Zendesk refused the credentials (401 "Couldn't authenticate you")."""


class ZendeskPermissionError(ZendeskError, UpstreamPermissionError):
    """The credentials are valid but may not do this (403)."""


class ZendeskNotFoundError(ZendeskError, UpstreamNotFoundError):
    """The ticket, user, organization or upload does not exist (404 RecordNotFound)."""


class ZendeskBadRequestError(ZendeskError, UpstreamBadRequestError):
    """Zendesk refused the request (400, 422 RecordInvalid, IdempotentRequestError…)."""


class ZendeskConflictError(ZendeskError, UpstreamConflictError):
    """A safe update lost the race: the ticket changed since `updated_stamp` (409 UpdateConflict)."""


class ZendeskRateLimitedError(ZendeskError, UpstreamRateLimitedError):
    """Zendesk throttled the account (429); see `retry_after`."""


class ZendeskUnavailableError(ZendeskError, UpstreamUnavailableError):
    """Zendesk is unreachable or failing (connection error, 5xx)."""


class ZendeskTimeoutError(ZendeskUnavailableError, UpstreamTimeoutError):
    """Zendesk did not answer in time."""


#: Error kind (see `backend.vendor_http.status_kind`, plus "conflict") → Zendesk class.
ERROR_CLASSES: Mapping[str, type[UpstreamError]] = {
    "error": ZendeskError,
    "auth": ZendeskAuthError,
    "permission": ZendeskPermissionError,
    "not_found": ZendeskNotFoundError,
    "bad_request": ZendeskBadRequestError,
    "conflict": ZendeskConflictError,
    "rate_limited": ZendeskRateLimitedError,
    "unavailable": ZendeskUnavailableError,
    "timeout": ZendeskTimeoutError,
}


def classify(status: int) -> type[ZendeskError]:
    """Pick the exception class for an HTTP status (409 is a conflict, not a bad request)."""
    kind = "conflict" if status == 409 else status_kind(status)
    return ERROR_CLASSES[kind]  # type: ignore[return-value]


def _describe_details(details: Mapping[str, Any]) -> str:
    """Flatten `{"field": [{"description": "..."}]}` into "field: description; …"."""
    parts: list[str] = []
    for field, problems in details.items():
        items = problems if isinstance(problems, list) else [problems]
        for problem in items:
            if isinstance(problem, dict):
                text = problem.get("description") or problem.get("error") or problem.get("message")
            else:
                text = problem
            if text:
                parts.append(f"{field}: {text}")
    return "; ".join(parts)


def _text_message(response: requests.Response) -> str | None:
    """A short, single-line message from a non-JSON body (plain text or an HTML error page)."""
    try:
        text = response.text
    except (UnicodeDecodeError, LookupError):
        return None
    text = " ".join(_TAG.sub(" ", text or "").split())
    if not text:
        return None
    return text if len(text) <= _MAX_TEXT else text[: _MAX_TEXT - 1] + "…"


def parse_error_body(response: requests.Response) -> tuple[str | None, str, dict[str, Any]]:
    """Return `(error id, message, details)` from any Zendesk error body shape (module docstring)."""
    reason = response.reason or f"HTTP {response.status_code}"
    try:
        body = response.json()
    except ValueError:
        return None, _text_message(response) or reason, {}
    if not isinstance(body, dict):
        return None, reason, {}
    error = body.get("error")
    description = body.get("description")
    details = body.get("details") if isinstance(body.get("details"), dict) else {}
    code: str | None = None
    message: str | None = None
    if isinstance(error, dict):
        code = error.get("title") or error.get("code")
        message = error.get("message") or error.get("description")
    elif isinstance(error, str) and error:
        if _ERROR_ID.fullmatch(error):
            code = error
        else:
            message = error  # e.g. 401 "Couldn't authenticate you": a message, not an id
    if isinstance(description, str) and description:
        message = description
    summary = _describe_details(details)
    if summary:
        message = f"{message}: {summary}" if message else summary
    if not message:
        message = str(body.get("message") or code or reason)
    return (str(code) if code else None), str(message), details


def error_from_response(response: requests.Response) -> ZendeskError:
    """Build the Zendesk exception for a failed response, keeping `error`/`description`/`details`."""
    code, message, details = parse_error_body(response)
    cls = classify(response.status_code)
    return cls(message, status=response.status_code, code=code, details=details)
