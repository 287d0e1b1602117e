"""Errors the flows raise for problems a caller can act on; the API layer maps them to statuses."""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """Base for flow errors: a stable `code`, a human `message` and optional `details`."""

    code = "service_error"

    def __init__(self, message: str, details: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or {}


class InvalidInputError(ServiceError):
    """The input is well-formed JSON but cannot be understood (e.g. not a PhotoShelter link)."""

    code = "invalid_input"


class NotFoundError(ServiceError):
    """The thing asked for does not exist."""

    code = "not_found"
