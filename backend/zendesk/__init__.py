"""Zendesk Support REST API v2 integration: typed client, records and errors."""

from backend.zendesk.client import ZendeskClient
from backend.zendesk.errors import (
    ZendeskAuthError,
    ZendeskBadRequestError,
    ZendeskConflictError,
    ZendeskError,
    ZendeskNotFoundError,
    ZendeskPermissionError,
    ZendeskRateLimitedError,
    ZendeskTimeoutError,
    ZendeskUnavailableError,
)
from backend.zendesk.models import Attachment, Comment, Organization, Ticket, Upload, User

__all__ = [
    "Attachment",
    "Comment",
    "Organization",
    "Ticket",
    "Upload",
    "User",
    "ZendeskAuthError",
    "ZendeskBadRequestError",
    "ZendeskClient",
    "ZendeskConflictError",
    "ZendeskError",
    "ZendeskNotFoundError",
    "ZendeskPermissionError",
    "ZendeskRateLimitedError",
    "ZendeskTimeoutError",
    "ZendeskUnavailableError",
]
