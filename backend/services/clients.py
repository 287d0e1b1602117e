"""Vendor clients per tenant, built lazily from the tenant's credentials and reused across requests."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from backend.config import Settings
from backend.photoshelter.client import PhotoShelterClient
from backend.store.tenants import Tenant
from backend.zendesk.client import ZendeskClient

C = TypeVar("C")


class ClientRegistry:
    """Build and keep one client per vendor and tenant (clients hold session tokens and pools)."""

    def __init__(self, settings: Settings, cache: Any):
        self._settings = settings
        self._cache = cache
        self._lock = threading.Lock()
        self._clients: dict[tuple[str, str], Any] = {}

    def _get(self, vendor: str, tenant: Tenant, build: Callable[[], C]) -> C:
        with self._lock:
            key = (vendor, tenant.subdomain)
            if key not in self._clients:
                self._clients[key] = build()
            return self._clients[key]

    def zendesk(self, tenant: Tenant) -> ZendeskClient:
        """The tenant's Zendesk REST client (not cached: ticket data must be live)."""
        creds = tenant.zendesk
        return self._get(
            "zendesk",
            tenant,
            lambda: ZendeskClient(
                base_url=creds.base_url,
                email=creds.email or None,
                api_token=creds.api_token or None,
                oauth_token=creds.oauth_token or None,
                timeout=self._settings.HTTP_TIMEOUT_SECONDS,
                max_retries=self._settings.HTTP_MAX_RETRIES,
            ),
        )

    def photoshelter(self, tenant: Tenant) -> PhotoShelterClient:
        """The tenant's PhotoShelter client; cache entries are namespaced by the tenant's subdomain."""
        creds = tenant.photoshelter
        return self._get(
            "photoshelter",
            tenant,
            lambda: PhotoShelterClient(
                base_url=creds.base_url,
                api_key=creds.api_key,
                email=creds.email or None,
                password=creds.password or None,
                org_id=creds.org_id or None,
                access_token=creds.access_token or None,
                refresh_token=creds.refresh_token or None,
                oauth_client_id=creds.oauth_client_id or None,
                oauth_client_secret=creds.oauth_client_secret or None,
                cdn_url=creds.cdn_url or None,
                timeout=self._settings.HTTP_TIMEOUT_SECONDS,
                max_retries=self._settings.HTTP_MAX_RETRIES,
                cache=self._cache,
                cache_prefix=tenant.subdomain,
                cache_ttl=self._settings.CACHE_TTL_SECONDS,
                permissions_ttl=self._settings.PERMISSIONS_TTL_SECONDS,
            ),
        )
