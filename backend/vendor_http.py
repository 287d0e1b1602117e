"""Shared HTTP transport and error hierarchy for the vendor API clients (PhotoShelter, Zendesk).

Every vendor call goes through `Transport.request`, the single choke point that:

- builds the URL from `base_url` and sends it through one pooled `requests.Session`;
- retries connection errors, timeouts and 5xx answers with exponential backoff (idempotent
  methods only, unless the caller says the call is safe to repeat);
- honours `429 Retry-After` by sleeping in-process when the wait is short, and otherwise raises
  `UpstreamRateLimitedError` so a job queue can reschedule instead of blocking a web worker;
- maps the final failure onto a small exception hierarchy (`error_from_response`, overridable so
  vendor subclasses can read their own error bodies);
- logs one line per HTTP attempt with method, path, status and duration — never headers, bodies,
  credentials, or the values of secret-looking query parameters.
"""

from __future__ import annotations

import email.utils
import logging
import math
import random
import re
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any, ClassVar, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit

import requests
from requests.adapters import HTTPAdapter

T = TypeVar("T")

logger = logging.getLogger(__name__)

#: Methods that may be repeated without changing the outcome (RFC 9110 §9.2.2).
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})

#: Query parameter names whose values never reach a log line.
_SECRET_PARAM = re.compile(r"key|token|password|passw|secret|auth|code|signature|session", re.IGNORECASE)

_REDACTED = "***"


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------


class UpstreamError(Exception):
    """A vendor API call failed; base of every error the transport raises.

    Attributes: `service` (e.g. "photoshelter"), `status` (HTTP status or None when no answer
    arrived), `code` (the vendor's error id, e.g. "ResourceNotFoundException"), `message`
    (human readable, no secrets), `retry_after` (seconds, when the vendor said so), and the
    redacted `method`/`path` of the call.
    """

    default_service: ClassVar[str] = "upstream"

    def __init__(
        self,
        message: str,
        *,
        service: str | None = None,
        status: int | None = None,
        code: str | None = None,
        retry_after: float | None = None,
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.service = service or self.default_service
        self.status = status
        self.code = code
        self.retry_after = retry_after
        self.method = method
        self.path = path

    def __str__(self) -> str:
        parts = [self.service]
        if self.status is not None:
            parts.append(f"HTTP {self.status}")
        if self.code:
            parts.append(f"({self.code})")
        text = " ".join(parts) + f": {self.message}"
        if self.method and self.path:
            text += f" [{self.method} {self.path}]"
        if self.retry_after is not None:
            text += f" retry after {self.retry_after:g}s"
        return text

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only attributes would be lost by Exception's default pickling (job queues
        # pickle task errors), so rebuild from the message and restore the attribute dict.
        return (type(self), (self.message,), self.__dict__.copy())


class UpstreamAuthError(UpstreamError):
    """The vendor rejected our credentials (API key, session token, bearer token, login)."""


class UpstreamPermissionError(UpstreamError):
    """Credentials are fine but the resource is not accessible to them."""


class UpstreamNotFoundError(UpstreamError):
    """The resource does not exist (or is hidden as if it did not)."""


class UpstreamBadRequestError(UpstreamError):
    """The vendor refused the request as malformed or invalid (4xx other than auth/404/429)."""


class UpstreamConflictError(UpstreamError):
    """The vendor refused a write because the resource changed meanwhile (409, e.g. a safe update)."""


class UpstreamRateLimitedError(UpstreamError):
    """The vendor throttled us; `retry_after` says how long to wait, when known."""


class UpstreamUnavailableError(UpstreamError):
    """The vendor could not be reached or failed (connection error, 5xx)."""


class UpstreamTimeoutError(UpstreamUnavailableError):
    """The vendor did not answer in time (connect or read timeout)."""


#: Error kind → class; the keys are what `status_kind` returns plus "timeout" and "conflict"
#: (`status_kind` maps 409 to "bad_request"; vendors with a meaningful 409 pick "conflict" themselves).
DEFAULT_ERROR_CLASSES: Mapping[str, type[UpstreamError]] = {
    "error": UpstreamError,
    "auth": UpstreamAuthError,
    "permission": UpstreamPermissionError,
    "not_found": UpstreamNotFoundError,
    "bad_request": UpstreamBadRequestError,
    "conflict": UpstreamConflictError,
    "rate_limited": UpstreamRateLimitedError,
    "unavailable": UpstreamUnavailableError,
    "timeout": UpstreamTimeoutError,
}


def status_kind(status: int) -> str:
    """Map an HTTP error status to an error kind (a key of `DEFAULT_ERROR_CLASSES`)."""
    if status == 401:
        return "auth"
    if status == 403:
        return "permission"
    if status in (404, 410):
        return "not_found"
    if status == 429:
        return "rate_limited"
    if status == 408 or status >= 500:
        return "unavailable"
    if 400 <= status < 500:
        return "bad_request"
    return "error"


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Parse a `Retry-After` header (delay-seconds or HTTP-date) into seconds >= 0.

    Returns None for a missing or unparseable value instead of raising: vendors send garbage.
    """
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        if not math.isfinite(seconds):
            return None
        return max(seconds, 0.0)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = now or datetime.now(UTC)
    return max((when - current).total_seconds(), 0.0)


def redact_query(query: str) -> str:
    """Return a query string with the values of secret-looking parameters replaced by ***."""
    if not query:
        return ""
    pairs = parse_qsl(query, keep_blank_values=True)
    return urlencode(
        [(k, _REDACTED if _SECRET_PARAM.search(k) else v) for k, v in pairs],
        safe="*,",
    )


# Path segments that are credentials themselves (Zendesk upload tokens).
SECRET_PATH_SEGMENT = re.compile(r"(/uploads/)[^/?]+")


def loggable_path(url: str, params: Mapping[str, Any] | None = None) -> str:
    """Return the path of `url` plus its (redacted) query and `params`, without scheme or host."""
    parts = urlsplit(url)
    query_items = parse_qsl(parts.query, keep_blank_values=True)
    for key, value in (params or {}).items():
        if value is None:
            continue
        values = value if isinstance(value, list | tuple) else [value]
        query_items.extend((key, str(v)) for v in values)
    query = redact_query(urlencode(query_items)) if query_items else ""
    return SECRET_PATH_SEGMENT.sub(r"\1***", parts.path) + (f"?{query}" if query else "")


def _response_message(response: requests.Response) -> tuple[str | None, str]:
    """Extract `(code, message)` from a generic JSON error body, falling back to the reason."""
    reason = response.reason or f"HTTP {response.status_code}"
    try:
        body = response.json()
    except ValueError:
        return None, reason
    if not isinstance(body, dict):
        return None, reason
    errors = body.get("errors")
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        first = errors[0]
        code = first.get("id") or first.get("code")
        message = first.get("detail") or first.get("title") or first.get("message") or reason
        return (str(code) if code else None), str(message)
    error = body.get("error")
    if isinstance(error, dict):
        code = error.get("code") or error.get("id") or error.get("title")
        message = error.get("message") or error.get("detail") or error.get("title") or reason
        return (str(code) if code else None), str(message)
    message = body.get("description") or body.get("message") or body.get("detail") or reason
    return (str(error) if isinstance(error, str) else None), str(message)


# --------------------------------------------------------------------------------------------
# Transport
# --------------------------------------------------------------------------------------------


class Transport:
    """Pooled, retrying, rate-limit-aware HTTP transport for one vendor API.

    Thread-safe for concurrent `request` calls (one session, a connection pool of 32).
    Subclasses set `service` and `error_classes`, and may override `error_from_response`.
    """

    service: str = "upstream"
    error_classes: ClassVar[Mapping[str, type[UpstreamError]]] = DEFAULT_ERROR_CLASSES
    pool_maxsize: ClassVar[int] = 32

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float | tuple[float, float] = (5.0, 30.0),
        max_retries: int = 3,
        backoff: float = 0.2,
        max_retry_after: float = 2.0,
        sleep: Callable[[float], None] = time.sleep,
        session: requests.Session | None = None,
        service: str | None = None,
    ) -> None:
        if max_retries < 0:
            raise ValueError("max_retries must be >= 0")
        self.base_url = base_url.rstrip("/")
        if isinstance(timeout, int | float):
            timeout = (float(timeout), float(timeout))
        self.timeout: tuple[float, float] = (float(timeout[0]), float(timeout[1]))
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_retry_after = max_retry_after
        self.sleep = sleep
        if service:
            self.service = service
        if session is None:
            session = requests.Session()
            adapter = HTTPAdapter(pool_connections=4, pool_maxsize=self.pool_maxsize)
            session.mount("https://", adapter)
            session.mount("http://", adapter)
        self.session = session

    # -- public ------------------------------------------------------------------------------

    def request(
        self,
        method: str,
        path_or_url: str,
        *,
        params: Mapping[str, Any] | None = None,
        data: Mapping[str, Any] | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        stream: bool = False,
        content: bytes | Iterable[bytes] | None = None,
        retry_unsafe: bool = False,
    ) -> requests.Response:
        """Send one logical request and return the successful (< 400) response.

        `data` is a form body, `json` a JSON body, `content` raw bytes or an iterable of byte
        chunks (streamed with chunked transfer encoding; not replayable, so the caller must not
        let such a call be retried) — give at most one.
        Connection errors, timeouts and 5xx are retried up to `max_retries` times for
        idempotent methods (any method when `retry_unsafe=True`); a 429 is retried after its
        `Retry-After` when that is at most `max_retry_after` seconds (the request was not
        processed, so this is safe for every method). 401/403/404 are never retried.

        :raises UpstreamError: a subclass describing the final failure.
        """
        if sum(x is not None for x in (data, json, content)) > 1:
            raise ValueError("give at most one of data, json, content")
        method = method.upper()
        url = self.url_for(path_or_url)
        log_path = loggable_path(url, params)
        retryable = retry_unsafe or method in IDEMPOTENT_METHODS
        attempt = 0
        while True:
            started = time.monotonic()
            try:
                response = self.session.request(
                    method,
                    url,
                    params=params,
                    data=content if content is not None else data,
                    json=json,
                    headers=dict(headers or {}),
                    stream=stream,
                    timeout=self.timeout,
                )
            except (requests.Timeout, requests.ConnectionError) as exc:
                elapsed = _ms(started)
                is_timeout = isinstance(exc, requests.Timeout)
                self._log(logging.INFO, method, log_path, type(exc).__name__, elapsed, attempt)
                if retryable and attempt < self.max_retries:
                    self.sleep(self.backoff_delay(attempt))
                    attempt += 1
                    continue
                kind = "timeout" if is_timeout else "unavailable"
                what = "timed out" if is_timeout else "could not connect"
                # `from None`: requests' messages embed the full URL, query secrets included.
                raise self.error_classes[kind](
                    f"{what} after {attempt + 1} attempt(s) ({type(exc).__name__})",
                    service=self.service,
                    method=method,
                    path=log_path,
                ) from None

            status = response.status_code
            self._log(
                logging.DEBUG if status < 400 else logging.INFO,
                method,
                log_path,
                status,
                _ms(started),
                attempt,
            )
            if status < 400:
                return response

            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            if status == 429 and attempt < self.max_retries:
                wait = retry_after if retry_after is not None else self.backoff_delay(attempt)
                if wait <= self.max_retry_after:
                    response.close()
                    self.sleep(wait)
                    attempt += 1
                    continue
            elif status >= 500 and retryable and attempt < self.max_retries:
                response.close()
                self.sleep(self.backoff_delay(attempt))
                attempt += 1
                continue

            try:
                error = self.error_from_response(response)
            finally:
                response.close()
            error.method = error.method or method
            error.path = error.path or log_path
            if error.retry_after is None:
                error.retry_after = retry_after
            raise error

    def error_from_response(self, response: requests.Response) -> UpstreamError:
        """Build the exception for a failed response; subclasses parse their vendor's body."""
        code, message = _response_message(response)
        cls = self.error_classes[status_kind(response.status_code)]
        return cls(message, service=self.service, status=response.status_code, code=code)

    def url_for(self, path_or_url: str) -> str:
        """Return an absolute URL: full URLs pass through, paths are joined to `base_url`."""
        if path_or_url.startswith(("http://", "https://")):
            return path_or_url
        return f"{self.base_url}/{path_or_url.lstrip('/')}"

    def backoff_delay(self, attempt: int) -> float:
        """Seconds to wait before retry number `attempt + 1`: exponential plus up to 10% jitter."""
        base = self.backoff * (2**attempt)
        return base + random.uniform(0, base * 0.1)

    def close(self) -> None:
        """Close the pooled connections."""
        self.session.close()

    # -- internals ---------------------------------------------------------------------------

    def _log(self, level: int, method: str, path: str, status: object, ms: float, attempt: int) -> None:
        logger.log(
            level,
            "%s.request method=%s path=%s status=%s ms=%.0f attempt=%d",
            self.service,
            method,
            path,
            status,
            ms,
            attempt + 1,
        )


def _ms(started: float) -> float:
    return (time.monotonic() - started) * 1000.0


def json_object(response: requests.Response, error_class: type[UpstreamError]) -> dict[str, Any]:
    """The response's JSON object body (the connection is released); `error_class` when it is not one."""
    try:
        body = response.json()
    except ValueError:
        body = None
    finally:
        response.close()
    if not isinstance(body, dict):
        raise error_class("response body is not a JSON object", status=response.status_code)
    return body


def parse_or_raise(parse: Callable[[Any], T], value: Any, error_class: type[UpstreamError]) -> T:
    """Run a record parser; a body of the wrong shape becomes `error_class`, not a KeyError."""
    try:
        return parse(value)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        raise error_class(f"unexpected response shape ({type(exc).__name__})") from exc
