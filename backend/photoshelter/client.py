"""Typed client for the PhotoShelter API v4.0 (wire contract: docs/photoshelter-contract.md).

One `PhotoShelterClient` per tenant credential. Every public method makes one HTTP call (plus a
transparent re-authentication when a session/bearer token expired) and returns the typed records
of `backend.photoshelter.models`. GET reads are cached through an injected flask-caching-style
cache under a tenant prefix; downloads and CDN URLs are never cached. The client is safe to
share between threads.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime
from typing import Any, Literal, Protocol, TypeVar
from urllib.parse import quote, unquote, urlencode

import requests

from backend.photoshelter.errors import (
    ERROR_CLASSES,
    OAUTH_SERVER,
    PhotoShelterAuthError,
    PhotoShelterBadRequestError,
    PhotoShelterError,
    PhotoShelterNotFoundError,
    error_from_response,
)
from backend.photoshelter.models import (
    ChildCount,
    ChildRef,
    Container,
    Grant,
    Iptc,
    Media,
    MediaDownload,
    Page,
    Paging,
    Permissions,
)
from backend.vendor_http import Transport, UpstreamError, json_object, parse_or_raise

logger = logging.getLogger(__name__)

T = TypeVar("T")

API_VERSION_SUFFIX = "/psapi/v4.0"

# --- Authentication (ref §3) -----------------------------------------------------------------
# ref §3.4: password login, form email/password/mode=token[/org_id] → top-level `token`
AUTHENTICATE_URL = "/authenticate"
# ref §3.3: switch the session into an organization, form org_id
ORG_AUTHENTICATE_URL = "/organization/authenticate"
# ref §3.5: OAuth 2 token endpoint (refresh grant)
OAUTH_TOKEN_URL = "/oauth/token"  # noqa: S105 - a path, not a secret

# --- Galleries and collections (ref §5.1, §5.2, §5.6) ----------------------------------------
# ref §3.3: GET /user/session (opId userSession) — the current session and organization
USER_SESSION_URL = "/user/session"
# ref §5.1: root listing of the account library
LIBRARY_URL = "/library"
# Writes (ref §5.1/§5.2 list these only from an unverified client; contract marks them [choice])
GALLERY_GRANT_URL = "/galleries/{gallery_id}/permissions/{grant_id}"
# ref §5.1: list/search galleries
GALLERIES_URL = "/galleries"
# ref §5.1: one gallery
GALLERY_URL = "/galleries/{gallery_id}"
# ref §5.1: media in a gallery
GALLERY_CHILDREN_URL = "/galleries/{gallery_id}/children"
# ref §5.1: child counts in meta.children_count
GALLERY_CHILD_COUNT_URL = "/galleries/{gallery_id}/child-count"
# ref §5.1: breadcrumb, root first
GALLERY_PATH_URL = "/galleries/{gallery_id}/path"
# ref §5.2: visibility mode and access rights
GALLERY_PERMISSIONS_URL = "/galleries/{gallery_id}/permissions"
# ref §5.6: public share link
GALLERY_LINK_URL = "/galleries/{gallery_id}/link"
# ref §5.1: list/search collections
COLLECTIONS_URL = "/collections"
# ref §5.1: one collection
COLLECTION_URL = "/collections/{collection_id}"
# ref §5.1: galleries and collections in a collection
COLLECTION_CHILDREN_URL = "/collections/{collection_id}/children"
# ref §5.1: breadcrumb, root first
COLLECTION_PATH_URL = "/collections/{collection_id}/path"
# ref §5.2: visibility mode and access rights
COLLECTION_PERMISSIONS_URL = "/collections/{collection_id}/permissions"
# ref §5.6: public share link
COLLECTION_LINK_URL = "/collections/{collection_id}/link"

# --- Media (ref §5.3, §5.4, §5.5) ------------------------------------------------------------
# ref §5.3: media search
MEDIA_SEARCH_URL = "/media"
# ref §5.4: one media item
MEDIA_URL = "/media/{media_id}"
# ref §5.4: IPTC metadata
MEDIA_IPTC_URL = "/media/{media_id}/iptc"
# ref §5.4: galleries holding a media item (include=gallery)
MEDIA_GALLERIES_URL = "/media/{media_id}/galleries"
# ref §5.5: CDN preview link
MEDIA_LINK_URL = "/media/{media_id}/link"
# ref §5.5: binary download
MEDIA_DOWNLOAD_URL = "/media/{media_id}/download"
# ref §5.5: unsigned CDN image URL, built locally
THUMBNAIL_PATH = "/img-get2/{media_id}/{mode}={width}x{height}/{file_name}"

# --- Ids (ref §4.2): 16 chars, prefix + [a-zA-Z0-9._]{11} ------------------------------------
GALLERY_ID_RE = re.compile(r"G0000[a-zA-Z0-9._]{11}")
COLLECTION_ID_RE = re.compile(r"C0000[a-zA-Z0-9._]{11}")
MEDIA_ID_RE = re.compile(r"(?:I0000|VD000|AD000|DO000)[a-zA-Z0-9._]{11}")
ORG_ID_RE = re.compile(r"O0000[a-zA-Z0-9._]{11}")
IMAGE_SIZE_RE = re.compile(r"\d{1,5}x\d{1,5}|\d{1,5}|x\d{1,5}")

MAX_PER_PAGE = 500
IMAGE_MODES = ("fit", "fill")

#: Query parameters that carry access credentials; hashed before they enter a cache key.
CREDENTIAL_PARAMS = frozenset({"password", "token", "auth_token", "api_key"})

AuthMode = Literal["session", "oauth", "anonymous"]


class CacheLike(Protocol):
    """The subset of flask-caching's `Cache` the client uses."""

    def get(self, key: str) -> Any:
        """Return the cached value or None."""

    def set(self, key: str, value: Any, timeout: int | None = None) -> Any:
        """Store a value for `timeout` seconds."""

    def delete(self, key: str) -> Any:
        """Forget a value."""


class PhotoShelterTransport(Transport):
    """`Transport` that raises `PhotoShelter*Error` classes parsed from v4 `errors[]` bodies."""

    service = "photoshelter"
    error_classes = ERROR_CLASSES

    def error_from_response(self, response: requests.Response) -> UpstreamError:
        """Map a failed response with the contract's error ids (see `errors.classify`)."""
        return error_from_response(response)


def _check_id(value: str, pattern: re.Pattern[str], what: str) -> str:
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise ValueError(f"malformed {what} id: {value!r}")
    return value


def _check_paging(page: int, per_page: int) -> None:
    if page < 1:
        raise ValueError("page must be >= 1")
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise ValueError(f"per_page must be between 1 and {MAX_PER_PAGE}")


def _clean_params(params: Mapping[str, Any]) -> dict[str, str]:
    """Drop empty values and render booleans/lists the way the API expects."""
    out: dict[str, str] = {}
    for key, value in params.items():
        if value is None:
            continue
        if isinstance(value, bool):
            out[key] = "true" if value else "false"
        elif isinstance(value, list | tuple | set | frozenset):
            if value:
                out[key] = ",".join(str(v) for v in value)
        else:
            out[key] = str(value)
    return out


def _filename_from_disposition(value: str | None) -> str | None:
    """Return the file name of a `Content-Disposition` header (RFC 6266), without any path."""
    if not value:
        return None
    name: str | None = None
    extended = re.search(r"filename\*\s*=\s*([^']*)'[^']*'([^;]+)", value, re.IGNORECASE)
    if extended:
        charset = extended.group(1).strip() or "utf-8"
        try:
            name = unquote(extended.group(2).strip(), encoding=charset, errors="replace")
        except LookupError:
            name = unquote(extended.group(2).strip())
    else:
        plain = re.search(r'filename\s*=\s*"((?:[^"\\]|\\.)*)"', value, re.IGNORECASE) or re.search(
            r"filename\s*=\s*([^;]+)", value, re.IGNORECASE
        )
        if plain:
            name = plain.group(1).replace('\\"', '"').strip()
    if not name:
        return None
    # Never let a vendor-supplied name carry a directory part or control characters.
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name if name not in ("", ".", "..") else None


class PhotoShelterClient:
    """PhotoShelter v4.0 API client returning typed records.

    Authentication is one of: session token (`email` + `password`, optionally `org_id`, logged in
    lazily), OAuth bearer (`access_token`, optionally `refresh_token` + OAuth client settings), or
    none (API key only: public content). Expired tokens (401 `OAuthServerException`) are renewed
    once per call. Errors are `PhotoShelter*Error` (also `Upstream*Error`); malformed ids raise
    `ValueError` before any HTTP call.
    """

    def __init__(
        self,
        *,
        base_url: str,
        api_key: str,
        email: str | None = None,
        password: str | None = None,
        access_token: str | None = None,
        refresh_token: str | None = None,
        oauth_client_id: str | None = None,
        oauth_client_secret: str | None = None,
        oauth_redirect_uri: str | None = None,
        org_id: str | None = None,
        cdn_url: str | None = None,
        timeout: float | tuple[float, float] = 10.0,
        max_retries: int = 3,
        backoff: float = 0.2,
        max_retry_after: float = 2.0,
        sleep: Callable[[float], None] = time.sleep,
        cache: CacheLike | None = None,
        cache_prefix: str = "",
        cache_ttl: int = 300,
        permissions_ttl: int = 30,
        session: requests.Session | None = None,
        on_tokens: Callable[[str, str | None], None] | None = None,
    ) -> None:
        """Configure the client; no HTTP call happens until the first request.

        `on_tokens(access_token, refresh_token)` is called after an OAuth refresh so the caller
        can persist rotated tokens.
        """
        if not base_url:
            raise ValueError("base_url is required")
        if not api_key:
            raise ValueError("api_key is required")
        if (email or password) and (access_token or refresh_token):
            raise ValueError("give either email+password or access_token, not both")
        if bool(email) != bool(password):
            raise ValueError("email and password go together")
        if org_id is not None:
            _check_id(org_id, ORG_ID_RE, "organization")
        if cache is not None and not cache_prefix:
            raise ValueError("cache_prefix (the tenant key) is required when a cache is given")

        self.base_url = base_url.rstrip("/")
        self.org_id = org_id
        self.cdn_url = (cdn_url or self.base_url.removesuffix(API_VERSION_SUFFIX)).rstrip("/")
        self.cache = cache
        self.cache_prefix = cache_prefix
        self.cache_ttl = cache_ttl
        self.permissions_ttl = permissions_ttl

        self._api_key = api_key
        self._email = email
        self._password = password
        self._access_token = access_token
        self._refresh_token = refresh_token
        self._oauth_client_id = oauth_client_id
        self._oauth_client_secret = oauth_client_secret
        self._oauth_redirect_uri = oauth_redirect_uri
        self._on_tokens = on_tokens
        self._session_token: str | None = None
        self._lock = threading.Lock()
        self.auth_mode: AuthMode = (
            "session" if email else "oauth" if (access_token or refresh_token) else "anonymous"
        )
        self._transport = PhotoShelterTransport(
            self.base_url,
            timeout=timeout,
            max_retries=max_retries,
            backoff=backoff,
            max_retry_after=max_retry_after,
            sleep=sleep,
            session=session,
        )

    def __repr__(self) -> str:
        return f"PhotoShelterClient(base_url={self.base_url!r}, auth_mode={self.auth_mode!r})"

    # ------------------------------------------------------------------------------------------
    # Authentication
    # ------------------------------------------------------------------------------------------

    def authenticate(self, *, force: bool = False) -> None:
        """Make sure a usable credential is held (for readiness checks).

        Session mode logs in (plus organization authenticate) unless a token is already held;
        OAuth mode refreshes when no access token is held; `force=True` renews in both modes
        (OAuth only when a refresh token is known). API-key-only clients do nothing.

        :raises PhotoShelterAuthError: the credentials were refused.
        """
        with self._lock:
            if self.auth_mode == "session" and (force or self._session_token is None):
                self._login()
            elif self.auth_mode == "oauth" and (
                self._access_token is None or (force and self._refresh_token)
            ):
                self._refresh()

    def ping(self) -> dict[str, Any]:
        """One uncached authenticated call (`GET /user/session`) proving PhotoShelter answers.

        :raises PhotoShelterError: PhotoShelter is unreachable or refuses the credentials.
        """
        return self._json(self._request("GET", USER_SESSION_URL))

    def _credential(self) -> str | None:
        return self._session_token if self.auth_mode == "session" else self._access_token

    def _ensure_authenticated(self) -> None:
        if self.auth_mode == "anonymous" or self._credential() is not None:
            return
        with self._lock:
            if self._credential() is None:
                if self.auth_mode == "session":
                    self._login()
                else:
                    self._refresh()

    def _headers(self) -> dict[str, str]:
        headers = {"X-PS-Api-Key": self._api_key}
        if self.auth_mode == "session" and self._session_token:
            headers["X-PS-Auth-Token"] = self._session_token
        elif self.auth_mode == "oauth" and self._access_token:
            headers["Authorization"] = f"Bearer {self._access_token}"
        return headers

    def _login(self) -> None:
        """POST /authenticate then /organization/authenticate; caller holds the lock."""
        form = {"email": self._email, "password": self._password, "mode": "token"}
        if self.org_id:
            form["org_id"] = self.org_id
        # Logging in twice is harmless, so the POST may be retried on transient failures.
        response = self._transport.request(
            "POST",
            AUTHENTICATE_URL,
            data=form,
            headers={"X-PS-Api-Key": self._api_key},
            retry_unsafe=True,
        )
        body = self._json(response)
        data = body.get("data") if isinstance(body.get("data"), dict) else {}
        token = body.get("token") or data.get("token") or (data.get("attributes") or {}).get("token")
        if not token:
            raise PhotoShelterAuthError(
                "login succeeded without a session token (two-factor or SSO account?)",
                status=response.status_code,
            )
        if self.org_id:
            self._transport.request(
                "POST",
                ORG_AUTHENTICATE_URL,
                data={"org_id": self.org_id},
                headers={"X-PS-Api-Key": self._api_key, "X-PS-Auth-Token": str(token)},
                retry_unsafe=True,
            ).close()
        # Publish the token only once it is org-authenticated, so other threads never use a
        # token that cannot see org content yet.
        self._session_token = str(token)
        logger.info("photoshelter.authenticated mode=session org=%s", self.org_id or "-")

    def _refresh(self) -> None:
        """POST /oauth/token with the refresh grant; caller holds the lock."""
        if not self._refresh_token:
            raise PhotoShelterAuthError(
                "OAuth access token expired or invalid and no refresh token is known", code=OAUTH_SERVER
            )
        form = {
            "grant_type": "refresh_token",
            "refresh_token": self._refresh_token,
            "client_id": self._oauth_client_id,
            "client_secret": self._oauth_client_secret,
            "redirect_uri": self._oauth_redirect_uri,
        }
        try:
            # Not retried: a refresh token may be single-use.
            response = self._transport.request(
                "POST",
                OAUTH_TOKEN_URL,
                data={k: v for k, v in form.items() if v},
                headers={"X-PS-Api-Key": self._api_key},
            )
        except PhotoShelterBadRequestError as err:
            raise PhotoShelterAuthError(
                f"OAuth refresh refused: {err.message}", status=err.status, code=err.code
            ) from None
        body = self._json(response)
        tokens = body
        if "access_token" not in body and isinstance(body.get("data"), dict):
            tokens = body["data"].get("attributes") or body["data"]
        access = tokens.get("access_token")
        if not access:
            raise PhotoShelterAuthError("OAuth refresh answered without an access token")
        self._access_token = str(access)
        self._refresh_token = str(tokens.get("refresh_token") or self._refresh_token)
        logger.info("photoshelter.authenticated mode=oauth-refresh")
        if self._on_tokens is not None:
            self._on_tokens(self._access_token, self._refresh_token)

    def _reauthenticate(self, stale: str | None) -> None:
        with self._lock:
            if self._credential() != stale:
                return  # another thread already renewed the token
            logger.info("photoshelter.reauthenticate mode=%s", self.auth_mode)
            if self.auth_mode == "session":
                self._session_token = None
                self._login()
            else:
                self._refresh()

    # ------------------------------------------------------------------------------------------
    # Request plumbing
    # ------------------------------------------------------------------------------------------

    def _request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        stream: bool = False,
        data: Mapping[str, str] | None = None,
    ) -> requests.Response:
        """Send an authenticated call; renew an expired token once and repeat it."""

        def send() -> requests.Response:
            return self._transport.request(
                method, path, params=params, data=data, headers=self._headers(), stream=stream
            )

        self._ensure_authenticated()
        used = self._credential()
        try:
            return send()
        except PhotoShelterAuthError as err:
            renewable = self.auth_mode == "session" or (self.auth_mode == "oauth" and self._refresh_token)
            if err.code != OAUTH_SERVER or not renewable:
                raise
        self._reauthenticate(used)
        return send()

    @staticmethod
    def _json(response: requests.Response) -> dict[str, Any]:
        return json_object(response, PhotoShelterError)

    def _cache_key(self, path: str, params: Mapping[str, str]) -> str:
        items = []
        for key, value in sorted(params.items()):
            if key in CREDENTIAL_PARAMS:
                # Keyed hash: distinct per credential, not reversible from the cache contents.
                digest = hmac.new(self._api_key.encode(), f"{key}={value}".encode(), hashlib.sha256)
                value = "h." + digest.hexdigest()[:32]
            items.append((key, value))
        return f"ps:{self.cache_prefix}:{path}?{urlencode(items)}"

    def _ttl_for(self, path: str, params: Mapping[str, str]) -> int:
        includes = params.get("include", "").split(",")
        if path.endswith("/permissions") or "permissions" in includes:
            return self.permissions_ttl
        return self.cache_ttl

    def _get(self, path: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """GET a JSON body, through the cache when one is configured."""
        clean = _clean_params(params or {})
        key = self._cache_key(path, clean) if self.cache is not None else None
        if key is not None:
            try:
                cached = self.cache.get(key)  # type: ignore[union-attr]
            except Exception:
                logger.warning("photoshelter.cache.get_failed path=%s", path, exc_info=True)
                cached = None
            if isinstance(cached, dict):
                return cached
        body = self._json(self._request("GET", path, params=clean))
        if key is not None:
            try:
                self.cache.set(key, body, timeout=self._ttl_for(path, clean))  # type: ignore[union-attr]
            except Exception:
                logger.warning("photoshelter.cache.set_failed path=%s", path, exc_info=True)
        return body

    @staticmethod
    def _parse(parse: Callable[[Any], T], value: Any) -> T:
        return parse_or_raise(parse, value, PhotoShelterError)

    def _resource(self, body: dict[str, Any]) -> dict[str, Any]:
        data = body.get("data")
        if not isinstance(data, dict):
            raise PhotoShelterError("response has no data object")
        return data

    def _resources(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        data = body.get("data")
        if data is None:
            return []
        if not isinstance(data, list):
            raise PhotoShelterError("response data is not a list")
        return data

    def _page(
        self, body: dict[str, Any], parse: Callable[[dict[str, Any]], T], page: int, per_page: int
    ) -> Page[T]:
        items = [self._parse(parse, r) for r in self._resources(body)]
        paging = self._parse(
            lambda m: Paging.from_meta(m, page, per_page, len(items)), body.get("meta") or {}
        )
        return Page(items=items, paging=paging)

    def _link(self, body: dict[str, Any]) -> str:
        link = (self._resource(body).get("attributes") or {}).get("link")
        if not isinstance(link, str) or not link:
            raise PhotoShelterError("link response has no link")
        return link

    # ------------------------------------------------------------------------------------------
    # Library, galleries, collections
    # ------------------------------------------------------------------------------------------

    def library(self, page: int = 1, per_page: int = 50) -> Page[Container]:
        """List the root collections and galleries of the library (GET /library)."""
        _check_paging(page, per_page)
        body = self._get(LIBRARY_URL, {"page": page, "per_page": per_page})
        return self._page(body, Container.from_resource, page, per_page)

    def galleries(
        self,
        *,
        name: str | None = None,
        parent: str | None = None,
        sort_by: str = "name",
        sort_direction: str = "ascending",
        include: Iterable[str] = (),
        page: int = 1,
        per_page: int = 50,
    ) -> Page[Container]:
        """List or search galleries (GET /galleries); `parent` is a collection id."""
        return self._containers(GALLERIES_URL, name, parent, sort_by, sort_direction, include, page, per_page)

    def gallery(self, gallery_id: str, *, include: Iterable[str] = ()) -> Container:
        """Return one gallery (GET /galleries/{id})."""
        _check_id(gallery_id, GALLERY_ID_RE, "gallery")
        body = self._get(GALLERY_URL.format(gallery_id=gallery_id), {"include": tuple(include)})
        return self._parse(Container.from_resource, self._resource(body))

    def gallery_children(
        self,
        gallery_id: str,
        *,
        page: int = 1,
        per_page: int = 50,
        sort_by: str | None = None,
        sort_direction: str | None = None,
        password: str | None = None,
        token: str | None = None,
    ) -> Page[ChildRef]:
        """List the media of a gallery (GET /galleries/{id}/children); password/token grant access."""
        _check_id(gallery_id, GALLERY_ID_RE, "gallery")
        _check_paging(page, per_page)
        params = {
            "page": page,
            "per_page": per_page,
            "sort_by": sort_by,
            "sort_direction": sort_direction,
            "password": password,
            "token": token,
        }
        body = self._get(GALLERY_CHILDREN_URL.format(gallery_id=gallery_id), params)
        return self._page(body, ChildRef.from_resource, page, per_page)

    def gallery_child_count(self, gallery_id: str) -> ChildCount:
        """Count a gallery's children by type (GET /galleries/{id}/child-count)."""
        _check_id(gallery_id, GALLERY_ID_RE, "gallery")
        body = self._get(GALLERY_CHILD_COUNT_URL.format(gallery_id=gallery_id))
        raw = (body.get("meta") or {}).get("children_count")
        if not isinstance(raw, dict):
            raise PhotoShelterError("child-count response has no meta.children_count")

        def parse(counts: dict[str, Any]) -> ChildCount:
            return ChildCount(
                total=int(counts.get("total") or 0),
                counts={k: int(v or 0) for k, v in counts.items() if k != "total"},
            )

        return self._parse(parse, raw)

    def gallery_path(self, gallery_id: str) -> list[Container]:
        """Return the breadcrumb of a gallery, root collection first (GET /galleries/{id}/path)."""
        _check_id(gallery_id, GALLERY_ID_RE, "gallery")
        body = self._get(GALLERY_PATH_URL.format(gallery_id=gallery_id))
        return [self._parse(Container.from_resource, r) for r in self._resources(body)]

    def gallery_permissions(self, gallery_id: str) -> Permissions:
        """Return a gallery's mode and access grants (GET /galleries/{id}/permissions)."""
        _check_id(gallery_id, GALLERY_ID_RE, "gallery")
        body = self._get(GALLERY_PERMISSIONS_URL.format(gallery_id=gallery_id))
        return self._parse(Permissions.from_resource, self._resource(body))

    def gallery_link(self, gallery_id: str) -> str:
        """Return the public page URL of a gallery (GET /galleries/{id}/link)."""
        _check_id(gallery_id, GALLERY_ID_RE, "gallery")
        return self._link(self._get(GALLERY_LINK_URL.format(gallery_id=gallery_id)))

    def collections(
        self,
        *,
        name: str | None = None,
        parent: str | None = None,
        sort_by: str = "name",
        sort_direction: str = "ascending",
        include: Iterable[str] = (),
        page: int = 1,
        per_page: int = 50,
    ) -> Page[Container]:
        """List or search collections (GET /collections); `parent` is a collection id."""
        return self._containers(
            COLLECTIONS_URL, name, parent, sort_by, sort_direction, include, page, per_page
        )

    def collection(self, collection_id: str, *, include: Iterable[str] = ()) -> Container:
        """Return one collection (GET /collections/{id})."""
        _check_id(collection_id, COLLECTION_ID_RE, "collection")
        body = self._get(COLLECTION_URL.format(collection_id=collection_id), {"include": tuple(include)})
        return self._parse(Container.from_resource, self._resource(body))

    def collection_children(self, collection_id: str, *, page: int = 1, per_page: int = 50) -> Page[ChildRef]:
        """List the galleries and collections in a collection (GET /collections/{id}/children)."""
        _check_id(collection_id, COLLECTION_ID_RE, "collection")
        _check_paging(page, per_page)
        body = self._get(
            COLLECTION_CHILDREN_URL.format(collection_id=collection_id), {"page": page, "per_page": per_page}
        )
        return self._page(body, ChildRef.from_resource, page, per_page)

    def collection_path(self, collection_id: str) -> list[Container]:
        """Return the breadcrumb of a collection, root first (GET /collections/{id}/path)."""
        _check_id(collection_id, COLLECTION_ID_RE, "collection")
        body = self._get(COLLECTION_PATH_URL.format(collection_id=collection_id))
        return [self._parse(Container.from_resource, r) for r in self._resources(body)]

    def collection_permissions(self, collection_id: str) -> Permissions:
        """Return a collection's mode and access grants (GET /collections/{id}/permissions)."""
        _check_id(collection_id, COLLECTION_ID_RE, "collection")
        body = self._get(COLLECTION_PERMISSIONS_URL.format(collection_id=collection_id))
        return self._parse(Permissions.from_resource, self._resource(body))

    def collection_link(self, collection_id: str) -> str:
        """Return the public page URL of a collection (GET /collections/{id}/link)."""
        _check_id(collection_id, COLLECTION_ID_RE, "collection")
        return self._link(self._get(COLLECTION_LINK_URL.format(collection_id=collection_id)))

    def _containers(
        self,
        path: str,
        name: str | None,
        parent: str | None,
        sort_by: str,
        sort_direction: str,
        include: Iterable[str],
        page: int,
        per_page: int,
    ) -> Page[Container]:
        if parent is not None:
            _check_id(parent, COLLECTION_ID_RE, "parent collection")
        _check_paging(page, per_page)
        params = {
            "name": name or None,
            "parent": parent,
            "sort_by": sort_by,
            "sort_direction": sort_direction,
            "include": tuple(include),
            "page": page,
            "per_page": per_page,
        }
        return self._page(self._get(path, params), Container.from_resource, page, per_page)

    # ------------------------------------------------------------------------------------------
    # Media
    # ------------------------------------------------------------------------------------------

    def search_media(
        self,
        terms: str = "",
        *,
        galleries: Iterable[str] = (),
        collections: Iterable[str] = (),
        media_type: str | None = None,
        orientation: str | None = None,
        match_all_terms: bool = True,
        sort_by: str = "relevance",
        sort_dir: str = "desc",
        page: int = 1,
        per_page: int = 50,
    ) -> Page[Media]:
        """Search media by terms and filters (GET /media); sends `org_id` when configured."""
        gallery_ids = [_check_id(g, GALLERY_ID_RE, "gallery") for g in galleries]
        collection_ids = [_check_id(c, COLLECTION_ID_RE, "collection") for c in collections]
        _check_paging(page, per_page)
        params = {
            "terms": terms.strip() or None,
            "match_all_terms": match_all_terms,
            "galleries": gallery_ids,
            "collections": collection_ids,
            "media_type": media_type,
            "orientation": orientation,
            "org_id": self.org_id,
            "sort_by": sort_by,
            "sort_dir": sort_dir,
            "page": page,
            "per_page": per_page,
        }
        return self._page(self._get(MEDIA_SEARCH_URL, params), Media.from_resource, page, per_page)

    def media(self, media_id: str, *, include: Iterable[str] = ()) -> Media:
        """Return one media item (GET /media/{id}); `include=("gallery",)` fills `gallery_ids`."""
        _check_id(media_id, MEDIA_ID_RE, "media")
        body = self._get(MEDIA_URL.format(media_id=media_id), {"include": tuple(include)})
        return self._parse(Media.from_resource, self._resource(body))

    def media_iptc(self, media_id: str) -> Iptc:
        """Return a media item's IPTC metadata (GET /media/{id}/iptc)."""
        _check_id(media_id, MEDIA_ID_RE, "media")
        body = self._get(MEDIA_IPTC_URL.format(media_id=media_id))
        return self._parse(Iptc.from_resource, self._resource(body))

    def media_galleries(self, media_id: str) -> list[Container]:
        """Return the galleries holding a media item (GET /media/{id}/galleries?include=gallery)."""
        _check_id(media_id, MEDIA_ID_RE, "media")
        body = self._get(MEDIA_GALLERIES_URL.format(media_id=media_id), {"include": "gallery"})

        def parse(item: dict[str, Any]) -> Container:
            included = ((item.get("includes") or {}).get("gallery") or {}).get("data")
            return Container.from_resource(included if isinstance(included, dict) else item)

        return [self._parse(parse, r) for r in self._resources(body)]

    def media_link(self, media_id: str, *, size: str = "600x600", mode: str = "fit") -> str:
        """Return a CDN preview URL from the API (GET /media/{id}/link); size `WxH`, `W` or `xH`."""
        _check_id(media_id, MEDIA_ID_RE, "media")
        if not IMAGE_SIZE_RE.fullmatch(size):
            raise ValueError(f"malformed image size: {size!r}")
        if mode not in IMAGE_MODES:
            raise ValueError(f"image mode must be one of {IMAGE_MODES}")
        body = self._get(MEDIA_LINK_URL.format(media_id=media_id), {"image_size": size, "image_mode": mode})
        return self._link(body)

    def media_download(
        self,
        media_id: str,
        *,
        filetype: str = "original",
        image_size: int | None = None,
        gallery_id: str | None = None,
        password: str | None = None,
        token: str | None = None,
    ) -> MediaDownload:
        """Stream a media file (GET /media/{id}/download); never cached.

        Consume it with `chunks()`/`read()` or release it with `close()`.
        """
        _check_id(media_id, MEDIA_ID_RE, "media")
        if gallery_id is not None:
            _check_id(gallery_id, GALLERY_ID_RE, "gallery")
        if image_size is not None and image_size < 1:
            raise ValueError("image_size must be positive")
        params = _clean_params(
            {
                "download_filetype": filetype,
                "image_size": image_size,
                "gallery_id": gallery_id,
                "password": password,
                "token": token,
            }
        )
        response = self._request(
            "GET", MEDIA_DOWNLOAD_URL.format(media_id=media_id), params=params, stream=True
        )
        try:
            size: int | None = int(response.headers["Content-Length"])
        except (KeyError, ValueError):
            size = None
        return MediaDownload(
            filename=_filename_from_disposition(response.headers.get("Content-Disposition")) or media_id,
            content_type=response.headers.get("Content-Type", "application/octet-stream"),
            size=size,
            _response=response,
        )

    def thumbnail_url(
        self, media_id: str, file_name: str, *, width: int = 300, height: int = 300, mode: str = "fit"
    ) -> str:
        """Build an (unsigned) CDN image URL locally; no HTTP call (ref §5.5)."""
        _check_id(media_id, MEDIA_ID_RE, "media")
        if mode not in IMAGE_MODES:
            raise ValueError(f"image mode must be one of {IMAGE_MODES}")
        if width < 1 or height < 1:
            raise ValueError("width and height must be positive")
        path = THUMBNAIL_PATH.format(
            media_id=media_id,
            mode=mode,
            width=int(width),
            height=int(height),
            file_name=quote(file_name, safe=""),
        )
        return self.cdn_url + path

    # ------------------------------------------------------------------------------------------
    # Pagination
    # ------------------------------------------------------------------------------------------

    # ------------------------------------------------------------------------------------------
    # Writes used by the sharing flows (never retried: they are not idempotent)
    # ------------------------------------------------------------------------------------------

    def create_gallery(
        self, name: str, *, parent: str | None = None, mode: str = "permission", description: str = ""
    ) -> Container:
        """Create an unlisted gallery (POST /galleries), e.g. to hold a selection being shared."""
        if parent is not None:
            _check_id(parent, COLLECTION_ID_RE, "collection")
        form = _clean_params({"name": name, "parent": parent, "mode": mode, "description": description})
        form["is_listed"] = "false"
        body = self._json(self._request("POST", GALLERIES_URL, data=form))
        return self._parse(Container.from_resource, self._resource(body))

    def add_gallery_media(self, gallery_id: str, media_ids: Iterable[str]) -> None:
        """Put media into a gallery (POST /galleries/{id}/children)."""
        _check_id(gallery_id, GALLERY_ID_RE, "gallery")
        wanted = [_check_id(m, MEDIA_ID_RE, "media") for m in media_ids]
        self._request(
            "POST", GALLERY_CHILDREN_URL.format(gallery_id=gallery_id), data={"media_ids": ",".join(wanted)}
        ).close()

    def create_gallery_grant(
        self,
        gallery_id: str,
        *,
        kind: str,
        credential: str,
        expires: datetime | None,
        max_downloads: int | None = None,
        allow_download: bool = True,
    ) -> Grant:
        """Add a password or token grant with expiry (POST /galleries/{id}/permissions)."""
        _check_id(gallery_id, GALLERY_ID_RE, "gallery")
        if kind not in ("password", "token"):
            raise ValueError("grant kind must be 'password' or 'token'")
        form = _clean_params(
            {
                "type": kind,
                kind: credential,
                "expires": expires.isoformat() if expires else None,
                # PhotoShelter has no "view only" flag on a grant: zero downloads expresses it.
                "max_downloads": max_downloads if allow_download else 0,
            }
        )
        path = GALLERY_PERMISSIONS_URL.format(gallery_id=gallery_id)
        body = self._json(self._request("POST", path, data=form))
        self._forget(path)
        return self._parse(Grant.from_resource, self._resource(body))

    def delete_gallery_grant(self, gallery_id: str, grant_id: str) -> None:
        """Remove a grant (DELETE /galleries/{id}/permissions/{grant_id}); a missing one is fine."""
        _check_id(gallery_id, GALLERY_ID_RE, "gallery")
        if not re.fullmatch(r"AR000[a-zA-Z0-9._]{11}", grant_id):
            raise ValueError(f"malformed access right id: {grant_id!r}")
        try:
            self._request(
                "DELETE", GALLERY_GRANT_URL.format(gallery_id=gallery_id, grant_id=grant_id)
            ).close()
        except PhotoShelterNotFoundError:
            pass
        self._forget(GALLERY_PERMISSIONS_URL.format(gallery_id=gallery_id))

    def _forget(self, path: str) -> None:
        """Drop the cached unparameterised read of `path` after a write changed it."""
        if self.cache is None:
            return
        try:
            self.cache.delete(self._cache_key(path, {}))
        except Exception:
            logger.warning("photoshelter.cache.delete_failed path=%s", path, exc_info=True)

    def iter_all(
        self,
        method: Callable[..., Page[T]],
        *args: Any,
        per_page: int = 100,
        max_pages: int = 1000,
        **kwargs: Any,
    ) -> Iterator[T]:
        """Yield every item of a paged method (`client.galleries`, ...) page after page.

        Follows `paging.has_next`, stops on an empty page, and never fetches more than
        `max_pages` pages. A `page=` keyword sets the first page.
        """
        page = int(kwargs.pop("page", 1))
        for _ in range(max_pages):
            result = method(*args, page=page, per_page=per_page, **kwargs)
            yield from result.items
            if not result.paging.has_next or not result.items:
                return
            page += 1

    def close(self) -> None:
        """Release pooled connections."""
        self._transport.close()
