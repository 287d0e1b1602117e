"""v4 envelopes: `ApiError` + `errors[]` bodies, success `{data, meta}`, paging and parameter parsing."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import urlencode

from flask import Response, g, jsonify, request

from . import ids

API_PREFIX = "/psapi/v4.0"
DEFAULT_PER_PAGE = 50

T = TypeVar("T")

_ERROR_TITLES: dict[int, tuple[str, str]] = {
    400: ("BadRequestException", "Bad Request"),
    401: ("AcsPermissionException", "Invalid access to resource"),
    403: ("ApiKeyInvalidException", "Missing or invalid API key"),
    404: ("ResourceNotFoundException", "Resource not found"),
    405: ("MethodNotAllowedException", "Method Not Allowed"),
    429: ("TooManyRequestsException", "Too Many Requests"),
    500: ("InternalServerException", "Internal Server Error"),
    502: ("BadGatewayException", "Bad Gateway"),
    503: ("ServiceUnavailableException", "Service Unavailable"),
    504: ("GatewayTimeoutException", "Gateway Timeout"),
}


class ApiError(Exception):
    """An error answered in the v4 `errors[]` shape."""

    def __init__(
        self,
        status: int,
        error_id: str | None = None,
        title: str | None = None,
        detail: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        default_id, default_title = _ERROR_TITLES.get(status, ("HttpException", "Error"))
        super().__init__(title or default_title)
        self.status = status
        self.error_id = error_id or default_id
        self.title = title or default_title
        self.detail = detail
        self.headers = dict(headers or {})
        if status == 401:
            self.headers.setdefault("WWW-Authenticate", "Bearer")

    def to_response(self) -> Response:
        """The JSON response for this error."""
        error: dict[str, Any] = {"id": self.error_id, "status": str(self.status), "title": self.title}
        if self.detail is not None:
            error["detail"] = self.detail
        response = jsonify({"errors": [error]})
        response.status_code = self.status
        for name, value in self.headers.items():
            response.headers[name] = value
        return response


def bad_request(detail: str) -> ApiError:
    """400 BadRequestException."""
    return ApiError(400, detail=detail)


def not_found(what: str) -> ApiError:
    """404 ResourceNotFoundException."""
    return ApiError(404, detail=f"{what} not found")


def access_denied(kind: str, detail: str | None) -> ApiError:
    """401 AcsPermissionException "Invalid access to resource: <Kind>"."""
    return ApiError(401, "AcsPermissionException", f"Invalid access to resource: {kind}", detail)


def auth_required() -> ApiError:
    """401 AuthenticationException for member calls made without a session."""
    return ApiError(401, "AuthenticationException", "Authentication required", "Log in with /authenticate")


def oauth_error(detail: str) -> ApiError:
    """401 OAuthServerException (expired/unknown token); carries `WWW-Authenticate: Bearer`."""
    return ApiError(
        401,
        "OAuthServerException",
        "The resource owner or authorization server denied the request.",
        detail,
    )


# --------------------------------------------------------------------------- urls and times


def base_url() -> str:
    """Where the simulator is mounted, e.g. `http://host/sandbox/photoshelter`."""
    return request.host_url.rstrip("/") + request.script_root


def api_url(path: str) -> str:
    """Absolute URL of a v4 path (`/galleries/G…`)."""
    return base_url() + API_PREFIX + path


def iso(value: datetime | None) -> str | None:
    """ISO 8601 UTC with a `Z`, seconds precision."""
    if value is None:
        return None
    return value.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


# --------------------------------------------------------------------------- success


def success(data: Any, meta: dict[str, Any] | None = None, status: int = 200) -> Response:
    """`{"data": …, "meta": {…, "rate_limit": …}}`."""
    body_meta = dict(meta or {})
    body_meta["rate_limit"] = g.get("rate_limit") or {}
    response = jsonify({"data": data, "meta": body_meta})
    response.status_code = status
    return response


def plain(body: dict[str, Any]) -> Response:
    """A top-level body (authenticate, oauth/token) with `meta.rate_limit` added."""
    meta = dict(body.get("meta") or {})
    meta["rate_limit"] = g.get("rate_limit") or {}
    return jsonify({**body, "meta": meta})


# --------------------------------------------------------------------------- parameters


def int_param(name: str, default: int, minimum: int = 1, maximum: int | None = None) -> int:
    """An integer query parameter within bounds, else 400."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise bad_request(f"{name} must be an integer") from None
    if value < minimum or (maximum is not None and value > maximum):
        if maximum is None:
            raise bad_request(f"{name} must be at least {minimum}")
        raise bad_request(f"{name} must be between {minimum} and {maximum}")
    return value


def bool_param(name: str, default: bool | None) -> bool | None:
    """`true|false|1|0|t|f` (case-insensitive), else 400."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.lower()
    if lowered in ("true", "1", "t", "yes"):
        return True
    if lowered in ("false", "0", "f", "no"):
        return False
    raise bad_request(f"{name} must be true or false")


def choice_param(name: str, allowed: Sequence[str], default: str) -> str:
    """A query parameter restricted to `allowed`, else 400."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if raw not in allowed:
        raise bad_request(f"{name} must be one of {', '.join(allowed)}")
    return raw


def list_param(name: str) -> list[str]:
    """A comma-separated list parameter (empty items dropped)."""
    raw = request.args.get(name) or ""
    return [item.strip() for item in raw.split(",") if item.strip()]


def include_param(allowed: Sequence[str]) -> set[str]:
    """`include=a,b` restricted to `allowed`, else 400."""
    wanted = set(list_param("include"))
    unknown = sorted(wanted - set(allowed))
    if unknown:
        raise bad_request(f"include does not support: {', '.join(unknown)} (allowed: {', '.join(allowed)})")
    return wanted


def require_id(value: str, prefix: str, what: str) -> str:
    """400 unless `value` is a well-formed id with `prefix`."""
    if not ids.is_id(value, prefix):
        raise bad_request(f"Malformed {what} id: {value!r}")
    return value


# --------------------------------------------------------------------------- paging


def paginate(items: Sequence[T], max_per_page: int) -> tuple[list[T], dict[str, Any]]:
    """Cut one page out of `items` and build `meta.paging` (URLs, `next`/`prev` null at the ends)."""
    per_page = int_param("per_page", DEFAULT_PER_PAGE, 1, max_per_page)
    page = int_param("page", 1, 1)
    total = len(items)
    last = max(1, math.ceil(total / per_page))
    start = (page - 1) * per_page
    chunk = list(items[start : start + per_page])
    paging = {
        "total": total,
        "page": page,
        "per_page": per_page,
        "first": _page_url(1, per_page),
        "last": _page_url(last, per_page),
        "next": _page_url(page + 1, per_page) if page < last else None,
        "prev": _page_url(min(page - 1, last), per_page) if page > 1 else None,
    }
    return chunk, paging


def _page_url(page: int, per_page: int) -> str:
    args = request.args.to_dict(flat=False)
    args["page"] = [str(page)]
    args["per_page"] = [str(per_page)]
    return request.base_url + "?" + urlencode(args, doseq=True)


def listing(items: Sequence[Any], max_per_page: int, render: Any) -> Response:
    """Paginate, render each item of the page with `render(item)` and answer the list envelope."""
    chunk, paging = paginate(items, max_per_page)
    return success([render(item) for item in chunk], {"paging": paging})
