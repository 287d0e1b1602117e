"""Access status: the badge an agent sees for every combination of mode, grants and expiry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from backend.photoshelter.models import Container, Grant, InheritedPermissions, Permissions
from backend.services.access import AccessStatus, container_access, media_access

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def gallery(listed=True, mode="permission"):
    return Container(id="G0000aaaaaaaaaaa", type="gallery", name="Spring launch", is_listed=listed, mode=mode)


def perms(mode, grants=(), inherit=False, inherited=()):
    return Permissions("G0000aaaaaaaaaaa", mode, mode, inherit, list(grants), list(inherited))


def grant(kind="password", days=None, max_downloads=None, downloads=0):
    expires = NOW + timedelta(days=days) if days is not None else None
    return Grant(
        id="AR000aaaaaaaaaaa", type=kind, expires=expires, max_downloads=max_downloads, downloads=downloads
    )


def status(container, permissions):
    return container_access(container, permissions, NOW, expiring_soon_days=7)


def test_public_listed_and_unlisted():
    assert status(gallery(mode="everyone"), perms("everyone")).status == "public"
    unlisted = status(gallery(listed=False, mode="everyone"), perms("everyone"))
    assert unlisted.status == "public_unlisted"
    assert "not listed" in unlisted.reason


def test_private():
    result = status(gallery(mode="private"), perms("private"))
    assert result.status == "private" and not result.usable


def test_password_grant_without_expiry():
    result = status(gallery(), perms("permission", [grant("password")]))
    assert result.status == "password"
    assert result.expires_at is None and not result.expiring_soon and not result.expired


def test_token_grant_expiring_soon():
    result = status(gallery(), perms("permission", [grant("token", days=3)]))
    assert result.status == "restricted"
    assert result.expiring_soon and not result.expired
    assert result.expires_at == NOW + timedelta(days=3)
    assert "access ends on Dec 1, 2026" in result.reason


def test_far_expiry_is_not_soon():
    assert not status(gallery(), perms("permission", [grant("contact", days=30)])).expiring_soon


def test_all_grants_expired():
    result = status(gallery(), perms("permission", [grant("password", days=-2), grant("token", days=-10)]))
    assert result.expired and not result.usable
    assert result.status == "password"
    assert "expired on Nov 26, 2026" in result.reason


def test_one_live_grant_keeps_access_open_until_the_latest_expiry():
    result = status(gallery(), perms("permission", [grant("token", days=-1), grant("token", days=20)]))
    assert not result.expired and result.expires_at == NOW + timedelta(days=20)


def test_downloads_exhausted_and_left():
    exhausted = status(gallery(), perms("permission", [grant("password", max_downloads=5, downloads=5)]))
    assert exhausted.downloads_left == 0 and not exhausted.usable
    assert "download limit" in exhausted.reason
    some = status(gallery(), perms("permission", [grant("password", max_downloads=5, downloads=2)]))
    assert some.downloads_left == 3 and some.usable


def test_unlimited_grant_means_no_download_limit():
    result = status(gallery(), perms("permission", [grant(max_downloads=3, downloads=3), grant()]))
    assert result.downloads_left is None


def test_permission_without_grants():
    result = status(gallery(), perms("permission"))
    assert result.status == "restricted" and "no one has been granted" in result.reason


def test_inherited_grants_are_used_and_named():
    inherited = InheritedPermissions("C0000bbbbbbbbbbb", "permission", "permission", [grant("token", days=2)])
    result = status(gallery(), perms("permission", [], inherit=True, inherited=[inherited]))
    assert result.inherited_from == "C0000bbbbbbbbbbb"
    assert result.expiring_soon and "inherited" in result.reason


def test_media_takes_the_most_open_usable_gallery():
    statuses = {
        "G0000private0000": AccessStatus("private", "private"),
        "G0000expired0000": AccessStatus("public", "old", expired=True),
        "G0000password000": AccessStatus("password", "Viewing needs a password."),
    }
    result = media_access(statuses)
    assert result.status == "password" and result.via_gallery_id == "G0000password000"


def test_media_in_no_gallery_is_private():
    assert media_access({}).status == "private"
