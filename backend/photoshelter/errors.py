"""PhotoShelter error classes and the mapping from v4 error bodies (contract "Envelopes").

Each class inherits from both `PhotoShelterError` and the matching transport-level
`Upstream*Error`, so callers may catch either the vendor-specific or the generic tree.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import requests

from backend.vendor_http import (
    UpstreamAuthError,
    UpstreamBadRequestError,
    UpstreamError,
    UpstreamNotFoundError,
    UpstreamPermissionError,
    UpstreamRateLimitedError,
    UpstreamTimeoutError,
    UpstreamUnavailableError,
    status_kind,
)

SERVICE = "photoshelter"

# Vendor error ids (contract "Envelopes", ref §4.2).
API_KEY_INVALID = "ApiKeyInvalidException"
OAUTH_SERVER = "OAuthServerException"
AUTHENTICATION = "AuthenticationException"
ACS_PERMISSION = "AcsPermissionException"


class PhotoShelterError(UpstreamError):
    """A PhotoShelter API call failed."""

    default_service = SERVICE


class PhotoShelterAuthError(PhotoShelterError, UpstreamAuthError):
    """Bad API key (403 ApiKeyInvalidException), bad login, or expired/unknown token (401)."""


class PhotoShelterPermissionError(PhotoShelterError, UpstreamPermissionError):
    """Access to the resource refused (401 AcsPermissionException, other 403s)."""


class PhotoShelterNotFoundError(PhotoShelterError, UpstreamNotFoundError):
    """The gallery, collection or media does not exist (404)."""


class PhotoShelterBadRequestError(PhotoShelterError, UpstreamBadRequestError):
    """PhotoShelter rejected a parameter or id (400 BadRequestException)."""


class PhotoShelterRateLimitedError(PhotoShelterError, UpstreamRateLimitedError):
    """Too many requests (429 TooManyRequestsException); see `retry_after`."""


class PhotoShelterUnavailableError(PhotoShelterError, UpstreamUnavailableError):
    """PhotoShelter is unreachable or failing (connection error, 5xx)."""


class PhotoShelterTimeoutError(PhotoShelterUnavailableError, UpstreamTimeoutError):
    """PhotoShelter did not answer in time."""


#: Error kind (see `backend.vendor_http.status_kind`) → PhotoShelter class.
ERROR_CLASSES: Mapping[str, type[UpstreamError]] = {
    "error": PhotoShelterError,
    "auth": PhotoShelterAuthError,
    "permission": PhotoShelterPermissionError,
    "not_found": PhotoShelterNotFoundError,
    "bad_request": PhotoShelterBadRequestError,
    "rate_limited": PhotoShelterRateLimitedError,
    "unavailable": PhotoShelterUnavailableError,
    "timeout": PhotoShelterTimeoutError,
}


def _first_error(body: Any) -> dict[str, Any]:
    """Return the first error object of a body; tolerate the draft's `error` / object variants."""
    if not isinstance(body, dict):
        return {}
    errors = body.get("errors", body.get("error"))
    if isinstance(errors, list):
        errors = errors[0] if errors else None
    return errors if isinstance(errors, dict) else {}


def classify(status: int, error_id: str | None) -> type[PhotoShelterError]:
    """Pick the exception class for an HTTP status and a vendor error id."""
    if status == 403 and error_id == API_KEY_INVALID:
        return PhotoShelterAuthError
    if status == 401:
        return PhotoShelterPermissionError if error_id == ACS_PERMISSION else PhotoShelterAuthError
    return ERROR_CLASSES[status_kind(status)]  # type: ignore[return-value]


def error_from_response(response: requests.Response) -> PhotoShelterError:
    """Build the PhotoShelter exception for a failed response (`{"errors": [...]}` or no body).

    The vendor `detail` becomes the message when present, else `title`, else the HTTP reason.
    """
    try:
        body = response.json()
    except ValueError:
        body = None
    first = _first_error(body)
    error_id = first.get("id") or None
    message = first.get("detail") or first.get("title") or response.reason or f"HTTP {response.status_code}"
    cls = classify(response.status_code, error_id)
    return cls(
        str(message),
        status=response.status_code,
        code=str(error_id) if error_id else None,
    )
