"""One JSON error envelope for every failure (design.md §5), never an HTML page or a stack trace.

`{"error": {"code": "...", "message": "...", "details": {...}}}` with the right status: 400 for
validation, 401 for tokens, 404, 405, 429 with Retry-After, 502/503/504 for upstream trouble.
"""

from __future__ import annotations

import logging
import math
import uuid
from typing import Any

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from backend.auth import TokenError
from backend.services.errors import ServiceError
from backend.vendor_http import (
    UpstreamAuthError,
    UpstreamError,
    UpstreamNotFoundError,
    UpstreamPermissionError,
    UpstreamRateLimitedError,
    UpstreamTimeoutError,
)

log = logging.getLogger(__name__)


def error_response(status: int, code: str, message: str, details: dict[str, Any] | None = None, headers=None):
    """Build the envelope response."""
    response = jsonify({"error": {"code": code, "message": message, "details": details or {}}})
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _http_error(exc: HTTPException):
    data = getattr(exc, "data", None) or {}
    messages = data.get("messages")
    if messages is not None:
        # webargs/flask-smorest validation failures: field errors keyed by location.
        fields = {}
        for location_errors in messages.values():
            fields.update(location_errors)
        return error_response(400, "validation_error", "Some parameters are invalid.", {"fields": fields})
    code = (exc.name or "error").lower().replace(" ", "_")
    headers = {}
    if exc.code == 405 and exc.valid_methods:
        headers["Allow"] = ", ".join(exc.valid_methods)
    return error_response(exc.code or 500, code, exc.description or exc.name, headers=headers)


def _token_error(exc: TokenError):
    return error_response(
        401, "invalid_token", str(exc), headers={"WWW-Authenticate": 'Bearer error="invalid_token"'}
    )


SERVICE_STATUS = {
    "invalid_input": 400,
    "not_found": 404,
    "conflict": 409,
    "request_in_progress": 409,
    "idempotency_key_reused": 422,
    "delivery_failed": 502,
}


def _service_error(exc: ServiceError):
    return error_response(SERVICE_STATUS.get(exc.code, 422), exc.code, exc.message, exc.details)


SERVICE_NAMES = {"photoshelter": "PhotoShelter", "zendesk": "Zendesk"}


def _upstream_error(exc: UpstreamError):
    service = SERVICE_NAMES.get(exc.service or "", "An upstream service")
    details = {"service": exc.service or "upstream", "upstream_status": exc.status, "upstream_code": exc.code}
    if isinstance(exc, UpstreamNotFoundError):
        return error_response(404, "not_found", exc.message or "Not found.", details)
    if isinstance(exc, UpstreamRateLimitedError):
        retry_after = max(1, math.ceil(exc.retry_after or 1))
        return error_response(
            429,
            "rate_limited",
            f"{service} is rate limiting requests; try again in {retry_after} s.",
            details | {"retry_after": retry_after},
            headers={"Retry-After": str(retry_after)},
        )
    if isinstance(exc, UpstreamTimeoutError):
        return error_response(504, "upstream_timeout", f"{service} did not answer in time.", details)
    if isinstance(exc, UpstreamAuthError):
        message = f"{service} rejected this integration's credentials; an admin must check them."
        return error_response(502, "upstream_auth_failed", message, details)
    if isinstance(exc, UpstreamPermissionError):
        return error_response(403, "upstream_forbidden", exc.message or "Not allowed.", details)
    status = 503 if exc.status == 503 else 502
    return error_response(status, "upstream_unavailable", f"{service} is having trouble; try again.", details)


def _unexpected(exc: Exception):
    if isinstance(exc, HTTPException):
        return _http_error(exc)
    incident = uuid.uuid4().hex[:12]
    log.exception("unhandled error (incident %s)", incident)
    return error_response(500, "internal_error", "Something went wrong on our side.", {"incident": incident})


def register_error_handlers(app: Flask) -> None:
    """Install the handlers (after flask-smorest so ours win)."""
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(TokenError, _token_error)
    app.register_error_handler(ServiceError, _service_error)
    app.register_error_handler(UpstreamError, _upstream_error)
    app.register_error_handler(Exception, _unexpected)
