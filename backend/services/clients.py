"""One PhotoShelter client per tenant, built lazily from the tenant's credentials and shared cache."""

from __future__ import annotations

import threading
from typing import Any

from backend.config import Settings
from backend.photoshelter.client import PhotoShelterClient
from backend.store.tenants import Tenant
from backend.zendesk.client import ZendeskClient


class ClientRegistry:
    """Build and keep vendor clients per tenant (clients hold session tokens, so they are reused)."""

    def __init__(self, settings: Settings, cache: Any):
        self._settings = settings
        self._cache = cache
        self._lock = threading.Lock()
        self._photoshelter: dict[str, PhotoShelterClient] = {}
        self._zendesk: dict[str, ZendeskClient] = {}

    def zendesk(self, tenant: Tenant) -> ZendeskClient:
        """The tenant's Zendesk REST client (never cached: ticket data must be live)."""
        with self._lock:
            client = self._zendesk.get(tenant.subdomain)
            if client is None:
                creds = tenant.zendesk
                client = ZendeskClient(
                    base_url=creds.base_url,
                    email=creds.email or None,
                    api_token=creds.api_token or None,
                    oauth_token=creds.oauth_token or None,
                    timeout=self._settings.HTTP_TIMEOUT_SECONDS,
                    max_retries=self._settings.HTTP_MAX_RETRIES,
                )
                self._zendesk[tenant.subdomain] = client
            return client

    def photoshelter(self, tenant: Tenant) -> PhotoShelterClient:
        """The tenant's PhotoShelter client; cache entries are namespaced by the tenant's subdomain."""
        with self._lock:
            client = self._photoshelter.get(tenant.subdomain)
            if client is None:
                creds = tenant.photoshelter
                client = PhotoShelterClient(
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
                )
                self._photoshelter[tenant.subdomain] = client
            return client
