"""Build the services a request needs from the app's extension and the verified caller."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app

from backend.api.security import current_agent
from backend.services.catalog import Catalog, CatalogOptions
from backend.services.delivery import Caller, DeliveryOptions, DeliveryService
from backend.services.ticket_context import TicketContext
from backend.services.troubleshoot import Troubleshooter


def now() -> datetime:
    """The request's clock."""
    return datetime.now(UTC)


def catalog() -> Catalog:
    """The caller's library, read side."""
    ext = current_app.extensions["psz"]
    ps = ext.clients.photoshelter(current_agent().tenant)
    options = CatalogOptions(
        expiring_soon_days=ext.settings.EXPIRING_SOON_DAYS, workers=ext.settings.FANOUT_WORKERS
    )
    return Catalog(ps, now(), options)


def caller() -> Caller:
    """The tenant row and asserted agent of this request."""
    ext = current_app.extensions["psz"]
    agent = current_agent()
    return Caller(tenant_id=ext.tenant_row_id(agent.tenant.subdomain), agent_id=agent.asserted_agent_id)


def delivery_service() -> DeliveryService:
    """Attach/share/revoke for the caller's tenant."""
    ext = current_app.extensions["psz"]
    tenant = current_agent().tenant
    settings = ext.settings
    options = DeliveryOptions(
        public_url=settings.PUBLIC_URL,
        attachment_limit_bytes=settings.attachment_limit_bytes,
        rendition_long_edge=settings.RENDITION_LONG_EDGE,
        default_share_days=settings.DEFAULT_SHARE_DAYS,
        max_share_days=settings.MAX_SHARE_DAYS,
        expiring_soon_days=settings.EXPIRING_SOON_DAYS,
        workers=settings.FANOUT_WORKERS,
    )
    return DeliveryService(
        ext.clients.photoshelter(tenant), ext.clients.zendesk(tenant), ext.sessions, options, now()
    )


def ticket_context() -> TicketContext:
    """The ticket context assembler for the caller's tenant."""
    ext = current_app.extensions["psz"]
    return TicketContext(
        ext.clients.zendesk(current_agent().tenant), Troubleshooter(catalog()), delivery_service()
    )
