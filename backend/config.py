"""Settings read from the environment (prefix `PSZ_`) and validated once at start-up.

`Settings.load()` collects every problem before failing, so an operator sees all bad or missing
values in one message. Demo mode is on when no PhotoShelter API key is configured; secrets have no
defaults outside demo mode.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

PREFIX = "PSZ_"
MIN_SECRET_BYTES = 32
SUBDOMAIN_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
ORG_ID_RE = re.compile(r"^O0000[a-zA-Z0-9._]{11}$")


class ConfigError(ValueError):
    """Raised when settings are missing or invalid; the message lists every problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("Invalid configuration:\n" + "\n".join(f"  - {p}" for p in problems))


@dataclass(frozen=True)
class Settings:
    """Validated application settings. Field names match the environment names without `PSZ_`."""

    PUBLIC_URL: str = "http://127.0.0.1:5000"
    DEMO: bool = False
    DEMO_SHARED_SECRET: str = ""
    DEMO_SECRET_GENERATED: bool = False
    ZENDESK_SUBDOMAIN: str = ""
    SHARED_SECRET: str = field(default="", repr=False)
    PHOTOSHELTER_BASE_URL: str = "https://www.photoshelter.com/psapi/v4.0"
    PHOTOSHELTER_CDN_URL: str = ""
    PHOTOSHELTER_API_KEY: str = field(default="", repr=False)
    PHOTOSHELTER_EMAIL: str = ""
    PHOTOSHELTER_PASSWORD: str = field(default="", repr=False)
    PHOTOSHELTER_ORG_ID: str = ""
    PHOTOSHELTER_ACCESS_TOKEN: str = field(default="", repr=False)
    PHOTOSHELTER_REFRESH_TOKEN: str = field(default="", repr=False)
    PHOTOSHELTER_OAUTH_CLIENT_ID: str = ""
    PHOTOSHELTER_OAUTH_CLIENT_SECRET: str = field(default="", repr=False)
    ZENDESK_BASE_URL: str = ""
    ZENDESK_EMAIL: str = ""
    ZENDESK_API_TOKEN: str = field(default="", repr=False)
    ZENDESK_OAUTH_TOKEN: str = field(default="", repr=False)
    ATTACHMENT_LIMIT_MB: float = 7.0
    RENDITION_LONG_EDGE: int = 2048
    DEFAULT_SHARE_DAYS: int = 14
    MAX_SHARE_DAYS: int = 90
    DATABASE_URL: str = ""
    REDIS_URL: str = ""
    CACHE_TYPE: str = ""
    CACHE_DIR: str = ""
    CACHE_TTL_SECONDS: int = 300
    PERMISSIONS_TTL_SECONDS: int = 30
    EXPIRING_SOON_DAYS: int = 7
    HTTP_TIMEOUT_SECONDS: float = 10.0
    HTTP_MAX_RETRIES: int = 3
    FANOUT_WORKERS: int = 8
    JWT_AUDIENCE: str = "photoshelter-for-zendesk"
    JWT_MAX_LIFETIME_SECONDS: int = 3600
    JWT_LEEWAY_SECONDS: int = 30
    LOG_LEVEL: str = "INFO"

    @classmethod
    def load(
        cls,
        overrides: Mapping[str, Any] | None = None,
        environ: Mapping[str, str] | None = None,
        secret_file: str | os.PathLike[str] | None = None,
    ) -> Settings:
        """Read `PSZ_*` variables (plus plain DATABASE_URL/REDIS_URL), apply overrides, validate.

        In demo mode without PSZ_DEMO_SHARED_SECRET, a secret is generated once and kept in
        `secret_file` so the server and the `demo-token` command agree on it.
        """
        env = os.environ if environ is None else environ
        raw: dict[str, Any] = {}
        for f in fields(cls):
            if f.name in {"DEMO_SECRET_GENERATED"}:
                continue
            value = env.get(PREFIX + f.name)
            if value is None and f.name in {"DATABASE_URL", "REDIS_URL"}:
                value = env.get(f.name)
            if value is not None:
                raw[f.name] = value
        raw.update({k: v for k, v in (overrides or {}).items() if v is not None})
        unknown = sorted(set(raw) - {f.name for f in fields(cls)})
        problems = [f"unknown setting {PREFIX}{name}" for name in unknown]
        values: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in raw:
                continue
            try:
                values[f.name] = _coerce(raw[f.name], f.type)
            except ValueError as exc:
                problems.append(f"{PREFIX}{f.name}: {exc}")
        if problems:
            raise ConfigError(problems)
        if "DEMO" not in values:
            values["DEMO"] = not values.get("PHOTOSHELTER_API_KEY")
        if values["DEMO"] and not values.get("DEMO_SHARED_SECRET"):
            values["DEMO_SHARED_SECRET"] = _demo_secret(secret_file)
            values["DEMO_SECRET_GENERATED"] = True
        settings = cls(**values)
        settings.validate()
        return settings

    def validate(self) -> None:
        """Check every value; raise ConfigError listing all problems."""
        problems: list[str] = []
        _check_url(problems, "PUBLIC_URL", self.PUBLIC_URL)
        _check_url(problems, "PHOTOSHELTER_BASE_URL", self.PHOTOSHELTER_BASE_URL)
        if self.PHOTOSHELTER_CDN_URL:
            _check_url(problems, "PHOTOSHELTER_CDN_URL", self.PHOTOSHELTER_CDN_URL)
        if self.REDIS_URL and urlparse(self.REDIS_URL).scheme not in {"redis", "rediss", "unix"}:
            problems.append(f"{PREFIX}REDIS_URL: must start with redis://, rediss:// or unix://")
        if self.CACHE_TYPE and self.CACHE_TYPE not in {
            "SimpleCache",
            "FileSystemCache",
            "RedisCache",
            "NullCache",
        }:
            problems.append(f"{PREFIX}CACHE_TYPE: one of SimpleCache, FileSystemCache, RedisCache, NullCache")
        if self.CACHE_TYPE == "RedisCache" and not self.REDIS_URL:
            problems.append(f"{PREFIX}CACHE_TYPE=RedisCache needs {PREFIX}REDIS_URL")
        for name, low, high in [
            ("CACHE_TTL_SECONDS", 0, 86400),
            ("PERMISSIONS_TTL_SECONDS", 0, 3600),
            ("EXPIRING_SOON_DAYS", 1, 365),
            ("HTTP_MAX_RETRIES", 0, 10),
            ("FANOUT_WORKERS", 1, 64),
            ("JWT_MAX_LIFETIME_SECONDS", 60, 3600),
            ("JWT_LEEWAY_SECONDS", 0, 300),
            ("RENDITION_LONG_EDGE", 256, 8000),
            ("DEFAULT_SHARE_DAYS", 1, 365),
            ("MAX_SHARE_DAYS", 1, 365),
        ]:
            value = getattr(self, name)
            if not low <= value <= high:
                problems.append(f"{PREFIX}{name}: must be between {low} and {high} (got {value})")
        if not 0 < self.ATTACHMENT_LIMIT_MB <= 50:
            problems.append(
                f"{PREFIX}ATTACHMENT_LIMIT_MB: must be above 0 and at most 50 (Zendesk's ceiling)"
            )
        if self.DEFAULT_SHARE_DAYS > self.MAX_SHARE_DAYS:
            problems.append(f"{PREFIX}DEFAULT_SHARE_DAYS: must not exceed {PREFIX}MAX_SHARE_DAYS")
        if self.ZENDESK_BASE_URL:
            _check_url(problems, "ZENDESK_BASE_URL", self.ZENDESK_BASE_URL)
        if not 0.5 <= self.HTTP_TIMEOUT_SECONDS <= 120:
            problems.append(f"{PREFIX}HTTP_TIMEOUT_SECONDS: must be between 0.5 and 120")
        if self.LOG_LEVEL.upper() not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            problems.append(f"{PREFIX}LOG_LEVEL: one of DEBUG, INFO, WARNING, ERROR")
        if self.DEMO:
            if len(self.DEMO_SHARED_SECRET.encode()) < MIN_SECRET_BYTES:
                problems.append(f"{PREFIX}DEMO_SHARED_SECRET: must be at least {MIN_SECRET_BYTES} bytes")
        else:
            problems.extend(self._production_problems())
        if problems:
            raise ConfigError(problems)

    def _production_problems(self) -> list[str]:
        problems: list[str] = []
        if not SUBDOMAIN_RE.match(self.ZENDESK_SUBDOMAIN):
            problems.append(f"{PREFIX}ZENDESK_SUBDOMAIN: required, e.g. 'acme' for acme.zendesk.com")
        if len(self.SHARED_SECRET.encode()) < MIN_SECRET_BYTES:
            problems.append(
                f"{PREFIX}SHARED_SECRET: required, at least {MIN_SECRET_BYTES} bytes "
                "(the app's shared_secret setting)"
            )
        if not self.PHOTOSHELTER_API_KEY:
            problems.append(f"{PREFIX}PHOTOSHELTER_API_KEY: required outside demo mode")
        if not (self.ZENDESK_EMAIL and self.ZENDESK_API_TOKEN) and not self.ZENDESK_OAUTH_TOKEN:
            problems.append(
                f"{PREFIX}ZENDESK_EMAIL + {PREFIX}ZENDESK_API_TOKEN or {PREFIX}ZENDESK_OAUTH_TOKEN: "
                "required so deliveries can be written to tickets"
            )
        has_password = bool(self.PHOTOSHELTER_EMAIL and self.PHOTOSHELTER_PASSWORD)
        if not has_password and not self.PHOTOSHELTER_ACCESS_TOKEN:
            problems.append(
                f"{PREFIX}PHOTOSHELTER_EMAIL + {PREFIX}PHOTOSHELTER_PASSWORD or "
                f"{PREFIX}PHOTOSHELTER_ACCESS_TOKEN: one way to sign in to PhotoShelter is required"
            )
        if self.PHOTOSHELTER_ORG_ID and not ORG_ID_RE.match(self.PHOTOSHELTER_ORG_ID):
            problems.append(f"{PREFIX}PHOTOSHELTER_ORG_ID: must look like O0000 followed by 11 characters")
        return problems

    @property
    def attachment_limit_bytes(self) -> int:
        """The largest file attached directly; bigger ones are shared as a link."""
        return int(self.ATTACHMENT_LIMIT_MB * 1024 * 1024)

    @property
    def cache_type(self) -> str:
        """The flask-caching backend: explicit, else Redis when REDIS_URL is set, else in-process."""
        return self.CACHE_TYPE or ("RedisCache" if self.REDIS_URL else "SimpleCache")


def _demo_secret(secret_file: str | os.PathLike[str] | None) -> str:
    """Reuse the demo secret kept in `secret_file`, or generate one and keep it (owner-only)."""
    if secret_file is None:
        return secrets.token_urlsafe(MIN_SECRET_BYTES)
    path = Path(secret_file)
    if path.exists():
        kept = path.read_text().strip()
        if len(kept.encode()) >= MIN_SECRET_BYTES:
            return kept
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(MIN_SECRET_BYTES)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(secret)
    return secret


def _coerce(value: Any, type_name: Any) -> Any:
    kind = type_name if isinstance(type_name, str) else getattr(type_name, "__name__", str(type_name))
    if kind == "bool":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in {"1", "true", "yes", "on"}:
            return True
        if text in {"0", "false", "no", "off", ""}:
            return False
        raise ValueError(f"expected true/false, got {value!r}")
    if kind == "int":
        try:
            return int(value)
        except (TypeError, ValueError):
            raise ValueError(f"expected a whole number, got {value!r}") from None
    if kind == "float":
        try:
            return float(value)
        except (TypeError, ValueError):
            raise ValueError(f"expected a number, got {value!r}") from None
    return str(value).strip()


def _check_url(problems: list[str], name: str, value: str) -> None:
    parsed = urlparse(value)
    if parsed.scheme not in {"http", "https"} or not parsed.netloc:
        problems.append(f"{PREFIX}{name}: must be an http(s) URL (got {value!r})")
