"""Constants and realistic v4 response bodies for the PhotoShelter client tests."""

from __future__ import annotations

from typing import Any

BASE = "https://ps.example.test/psapi/v4.0"
API_KEY = "ps-api-key-SECRET-1"
ACCESS_TOKEN = "access-token-SECRET-2"
REFRESH_TOKEN = "refresh-token-SECRET-3"
SESSION_TOKEN = "session-token-SECRET-4"
EMAIL = "agent@example.test"
PASSWORD = "login-password-SECRET-5"

ORG = "O0000aBcDeFgHiJk"
G1 = "G0000sPrInG.2026"
G2 = "G0000pReSs_KiT01"
C1 = "C0000bRaNdAsSeTs"
C2 = "C0000cAmPaIgNs01"
I1 = "I0000hErO.ShOt01"
I2 = "I0000lOgO_PrImE1"

BEARER_HEADERS = {"X-PS-Api-Key": API_KEY, "Authorization": f"Bearer {ACCESS_TOKEN}"}
SESSION_HEADERS = {"X-PS-Api-Key": API_KEY, "X-PS-Auth-Token": SESSION_TOKEN}


class FakeCache:
    """Minimal flask-caching stand-in that records what was stored and for how long."""

    def __init__(self) -> None:
        self.store: dict[str, Any] = {}
        self.timeouts: dict[str, int | None] = {}

    def get(self, key: str) -> Any:
        return self.store.get(key)

    def set(self, key: str, value: Any, timeout: int | None = None) -> bool:
        self.store[key] = value
        self.timeouts[key] = timeout
        return True


def url(path: str) -> str:
    return BASE + path


def meta(
    total: int | None = None, page: int = 1, per_page: int = 50, has_next: bool = False
) -> dict[str, Any]:
    m: dict[str, Any] = {"rate_limit": {"limit": 50, "current": 1, "expires": 1}}
    if total is not None:
        m["paging"] = {
            "total": total,
            "page": page,
            "per_page": per_page,
            "first": f"{BASE}/x?page=1",
            "last": f"{BASE}/x?page={max(1, -(-total // per_page))}",
            "next": f"{BASE}/x?page={page + 1}" if has_next else None,
            "prev": f"{BASE}/x?page={page - 1}" if page > 1 else None,
        }
    return m


def container(
    cid: str, name: str, *, type_: str | None = None, mode: str = "permission", **extra: Any
) -> dict[str, Any]:
    type_ = type_ or ("gallery" if cid.startswith("G") else "collection")
    attributes = {
        "name": name,
        "description": f"{name} description",
        "display_order": 1,
        "access_id": "A0000aCcEsS0001",
        "is_listed": True,
        "mode": mode,
        "effective_mode": mode,
        "access_inherit": False,
        "created_at": "2026-03-01T10:00:00Z",
        "modified_at": "2026-03-02T11:30:00Z",
    }
    attributes.update(extra)
    return {
        "id": cid,
        "type": type_,
        "attributes": attributes,
        "links": {"self": f"{BASE}/{type_}s/{cid}" if type_ != "gallery" else f"{BASE}/galleries/{cid}"},
    }


def media_resource(mid: str, file_name: str, **extra: Any) -> dict[str, Any]:
    attributes = {
        "owner_id": "U0000oWnEr00001",
        "organization_id": ORG,
        "file_name": file_name,
        "file_size": 2_345_678,
        "width": 4000,
        "height": 2667,
        "rating": 4,
        "views": 17,
        "searchable": True,
        "model_released": True,
        "property_released": False,
        "created_at": "2026-02-10T08:15:00Z",
        "modified_at": "2026-02-11T09:00:00Z",
    }
    attributes.update(extra)
    return {"id": mid, "type": "image", "attributes": attributes, "links": {"self": f"{BASE}/media/{mid}"}}


def grant(gid: str, type_: str, **attrs: Any) -> dict[str, Any]:
    base = {
        "expires": None,
        "max_downloads": None,
        "downloads": 0,
        "contact_id": None,
        "group_id": None,
        "access_level": None,
        "password": None,
        "token": None,
        "download_image_filetype": "original",
        "download_image_size": None,
    }
    base.update(attrs)
    return {"id": gid, "type": type_, "attributes": base}


def error_body(error_id: str, status: int, title: str, detail: str | None = None) -> dict[str, Any]:
    err: dict[str, Any] = {"id": error_id, "status": str(status), "title": title}
    if detail is not None:
        err["detail"] = detail
    return {"errors": [err]}
