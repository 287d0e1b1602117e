"""The tenant directory: which Zendesk accounts this backend serves and with which credentials.

A tenant is one Zendesk account (looked up by subdomain, the `iss` of its JWTs). Its shared secret
verifies the sidebar's tokens; its PhotoShelter credentials never leave the backend. Today tenants
come from configuration (one demo or single-tenant install); the directory is the seam where a
database-backed registry plugs in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from backend.config import Settings


@dataclass(frozen=True)
class PhotoShelterCredentials:
    """How one tenant signs in to PhotoShelter (session login or OAuth bearer)."""

    base_url: str
    api_key: str = field(repr=False)
    email: str = ""
    password: str = field(default="", repr=False)
    org_id: str = ""
    access_token: str = field(default="", repr=False)
    refresh_token: str = field(default="", repr=False)
    oauth_client_id: str = ""
    oauth_client_secret: str = field(default="", repr=False)
    cdn_url: str = ""


@dataclass(frozen=True)
class ZendeskCredentials:
    """How the backend calls one tenant's Zendesk REST API (API token or OAuth)."""

    base_url: str
    email: str = ""
    api_token: str = field(default="", repr=False)
    oauth_token: str = field(default="", repr=False)


@dataclass(frozen=True)
class Tenant:
    """One Zendesk account served by this backend."""

    subdomain: str
    shared_secret: str = field(repr=False)
    photoshelter: PhotoShelterCredentials
    zendesk: ZendeskCredentials

    @property
    def issuer(self) -> str:
        """The `iss` claim the sidebar's JWTs carry for this account."""
        return f"{self.subdomain}.zendesk.com"


class TenantDirectory:
    """Look tenants up by subdomain."""

    def __init__(self, tenants: list[Tenant]):
        self._by_subdomain = {t.subdomain: t for t in tenants}

    def get(self, subdomain: str) -> Tenant | None:
        """Return the tenant for a subdomain, or None when this backend does not serve it."""
        return self._by_subdomain.get(subdomain)

    def all(self) -> list[Tenant]:
        """Every tenant (for readiness checks and periodic jobs)."""
        return list(self._by_subdomain.values())


DEMO_SUBDOMAIN = "demo"


def tenants_from_settings(
    settings: Settings,
    demo_photoshelter: PhotoShelterCredentials | None = None,
    demo_zendesk: ZendeskCredentials | None = None,
) -> TenantDirectory:
    """Build the directory from settings: the demo tenant in demo mode, else the configured one."""
    if settings.DEMO:
        assert demo_photoshelter and demo_zendesk, "demo mode needs the simulators' credentials"
        return TenantDirectory(
            [Tenant(DEMO_SUBDOMAIN, settings.DEMO_SHARED_SECRET, demo_photoshelter, demo_zendesk)]
        )
    return TenantDirectory(
        [
            Tenant(
                subdomain=settings.ZENDESK_SUBDOMAIN,
                shared_secret=settings.SHARED_SECRET,
                photoshelter=PhotoShelterCredentials(
                    base_url=settings.PHOTOSHELTER_BASE_URL,
                    api_key=settings.PHOTOSHELTER_API_KEY,
                    email=settings.PHOTOSHELTER_EMAIL,
                    password=settings.PHOTOSHELTER_PASSWORD,
                    org_id=settings.PHOTOSHELTER_ORG_ID,
                    access_token=settings.PHOTOSHELTER_ACCESS_TOKEN,
                    refresh_token=settings.PHOTOSHELTER_REFRESH_TOKEN,
                    oauth_client_id=settings.PHOTOSHELTER_OAUTH_CLIENT_ID,
                    oauth_client_secret=settings.PHOTOSHELTER_OAUTH_CLIENT_SECRET,
                    cdn_url=settings.PHOTOSHELTER_CDN_URL,
                ),
                zendesk=ZendeskCredentials(
                    base_url=settings.ZENDESK_BASE_URL or f"https://{settings.ZENDESK_SUBDOMAIN}.zendesk.com",
                    email=settings.ZENDESK_EMAIL,
                    api_token=settings.ZENDESK_API_TOKEN,
                    oauth_token=settings.ZENDESK_OAUTH_TOKEN,
                ),
            )
        ]
    )
