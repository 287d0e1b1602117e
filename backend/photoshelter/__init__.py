"""PhotoShelter API v4.0 integration: typed client, records and errors."""

from backend.photoshelter.client import PhotoShelterClient
from backend.photoshelter.errors import (
    PhotoShelterAuthError,
    PhotoShelterBadRequestError,
    PhotoShelterError,
    PhotoShelterNotFoundError,
    PhotoShelterPermissionError,
    PhotoShelterRateLimitedError,
    PhotoShelterTimeoutError,
    PhotoShelterUnavailableError,
)
from backend.photoshelter.models import (
    ChildCount,
    ChildRef,
    Collection,
    Container,
    Gallery,
    Grant,
    InheritedPermissions,
    Iptc,
    Media,
    MediaDownload,
    Page,
    Paging,
    Permissions,
)

__all__ = [
    "ChildCount",
    "ChildRef",
    "Collection",
    "Container",
    "Gallery",
    "Grant",
    "InheritedPermissions",
    "Iptc",
    "Media",
    "MediaDownload",
    "Page",
    "Paging",
    "Permissions",
    "PhotoShelterAuthError",
    "PhotoShelterBadRequestError",
    "PhotoShelterClient",
    "PhotoShelterError",
    "PhotoShelterNotFoundError",
    "PhotoShelterPermissionError",
    "PhotoShelterRateLimitedError",
    "PhotoShelterTimeoutError",
    "PhotoShelterUnavailableError",
]
