"""Zendesk error bodies: `{"error": <id>, "description": <text>[, "details": {...}]}`.

Shapes as Zendesk sends them: 401 `{"error": "Couldn't authenticate you"}`, 404
`{"error": "RecordNotFound", "description": "Not found"}`, 422 `{"error": "RecordInvalid",
"description": "Record validation errors", "details": {field: [{"description", "error"}]}}`,
409 `{"error": "UpdateConflict", ...}`. Throttling answers may be plain text (`text=`).
"""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify

AUTH_FAILED = "Couldn't authenticate you"
UPDATE_CONFLICT_DESCRIPTION = (
    "Safe Update prevented the update due to outdated ticket data. "
    "Please fetch the latest ticket data and try again."
)

#: Default body per status for injected faults and routing errors.
_DEFAULTS: dict[int, tuple[str, str]] = {
    400: ("InvalidValue", "Bad request"),
    403: ("Forbidden", "You do not have access to this page. Please contact the account owner."),
    404: ("RecordNotFound", "Not found"),
    405: ("InvalidEndpoint", "Method not allowed"),
    409: ("UpdateConflict", UPDATE_CONFLICT_DESCRIPTION),
    413: ("RequestEntityTooLarge", "Request entity too large"),
    422: ("RecordInvalid", "Record validation errors"),
    429: ("APIRateLimitExceeded", "Number of allowed API requests per minute exceeded"),
    500: ("InternalError", "Something went wrong"),
    502: ("BadGateway", "Bad gateway"),
    503: ("ServiceUnavailable", "Service temporarily unavailable"),
    504: ("GatewayTimeout", "Gateway timeout"),
}


class ZendeskApiError(Exception):
    """An error answered in Zendesk's shape; `text` makes a plain-text body instead of JSON."""

    def __init__(
        self,
        status: int,
        error: str | None = None,
        description: str | None = None,
        *,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        text: str | None = None,
    ) -> None:
        default_error, default_description = _DEFAULTS.get(status, ("Error", "Error"))
        super().__init__(description or default_description)
        self.status = status
        self.error = error or default_error
        self.description = description if description is not None else default_description
        self.details = details
        self.headers = dict(headers or {})
        self.text = text

    def to_response(self) -> Response:
        """The HTTP response for this error."""
        if self.text is not None:
            response = Response(self.text + "\n", status=self.status, mimetype="text/plain")
        else:
            if self.status == 401:
                body: dict[str, Any] = {"error": AUTH_FAILED}
            else:
                body = {"error": self.error, "description": self.description}
                if self.details is not None:
                    body["details"] = self.details
            response = jsonify(body)
            response.status_code = self.status
        for name, value in self.headers.items():
            response.headers[name] = value
        return response


def unauthorized() -> ZendeskApiError:
    """401 `{"error": "Couldn't authenticate you"}` with Zendesk's `WWW-Authenticate`."""
    return ZendeskApiError(401, headers={"WWW-Authenticate": 'Basic realm="Web Password"'})


def not_found() -> ZendeskApiError:
    """404 RecordNotFound."""
    return ZendeskApiError(404, "RecordNotFound", "Not found")


def bad_request(description: str, error: str = "InvalidValue") -> ZendeskApiError:
    """400 with an error id and description."""
    return ZendeskApiError(400, error, description)


def record_invalid(field: str, description: str, error: str = "InvalidValue") -> ZendeskApiError:
    """422 RecordInvalid with one field problem in `details`."""
    return ZendeskApiError(
        422,
        "RecordInvalid",
        "Record validation errors",
        details={field: [{"description": description, "error": error}]},
    )


def update_conflict() -> ZendeskApiError:
    """409 UpdateConflict (safe update with a stale `updated_stamp`)."""
    return ZendeskApiError(409, "UpdateConflict", UPDATE_CONFLICT_DESCRIPTION)
