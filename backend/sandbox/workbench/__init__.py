"""The workbench: a local stand-in for a Zendesk agent's ticket view that hosts the real sidebar.

`create_workbench(config)` builds an independent Flask app; the backend's factory mounts it at
`/workbench` in demo mode. It is part of the outside world: it imports nothing from the product and
talks to the backend only over HTTP (through `proxy.py`, playing Zendesk's request proxy).

Routes (relative to the mount point):
    GET  /                 the ticket page (`?ticket=<id>`, optional `?locale=<locale>`)
    GET  /app/<path>       the staged app (`make app` → build/app), e.g. /app/assets/iframe.html
    POST /proxy            `{"options": <client.request options>}` → envelope (see proxy.py)
    GET  /static/<path>    host.js, workbench.css

Config keys:
    installation    the app's settings (all of them, secure ones included; only non-secure ones
                    ever reach the browser). See `demo_installation()`.
    app_dir         the staged app folder (default `<repo>/build/app`)
    subdomain       the Zendesk account (default "demo")
    gallery_links   `{state: url}` for `{{gallery:<state>}}` placeholders in seeded comments
    secure_settings names treated as secure besides the manifest's secure parameters
                    (default {"shared_secret"})
    manifest_path   the only manifest.json to read (default: `<app_dir>/manifest.json`, else
                    `<repo>/manifest.json`)
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from flask import (
    Flask,
    Response,
    abort,
    current_app,
    jsonify,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from markupsafe import Markup, escape

from . import proxy, tickets

__all__ = ["create_workbench", "demo_installation", "load_installation"]

REPO_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_APP_DIR = REPO_ROOT / "build" / "app"
INSTALLATION_FILE = Path(__file__).with_name("installation.json")
DEFAULT_SECURE_SETTINGS = frozenset({"shared_secret"})
DEFAULT_LOCATION_URL = "assets/iframe.html"
DEFAULT_SUBDOMAIN = "demo"
APP_ID = 1000001
INSTALLATION_ID = 360000001
EXTENSION_KEY = "workbench"

_URL_RE = re.compile(r"https?://[^\s<>\"']*[^\s<>\"'.,;:!?)]")


def load_installation(path: str | Path | None = None) -> dict[str, Any]:
    """The non-secret installation settings from `installation.json` (or `path`)."""
    data = json.loads(Path(path or INSTALLATION_FILE).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError("installation.json must hold an object of settings")
    return data


def demo_installation(public_url: str, shared_secret: str, path: str | Path | None = None) -> dict[str, Any]:
    """The demo installation: the file's settings, `backend_url` defaulting to `public_url`, the secret."""
    settings = load_installation(path)
    settings["backend_url"] = settings.get("backend_url") or public_url.rstrip("/")
    settings["shared_secret"] = shared_secret
    return settings


@dataclass(frozen=True)
class WorkbenchConfig:
    """The workbench's configuration, read once by `create_workbench`."""

    installation: Mapping[str, Any]
    app_dir: Path = DEFAULT_APP_DIR
    subdomain: str = DEFAULT_SUBDOMAIN
    gallery_links: Mapping[str, str] = field(default_factory=dict)
    secure_settings: frozenset[str] = DEFAULT_SECURE_SETTINGS
    manifest_path: Path | None = None

    @classmethod
    def from_mapping(cls, config: Mapping[str, Any]) -> WorkbenchConfig:
        """Build from the factory's dict (see the module docstring)."""
        return cls(
            installation=dict(config.get("installation") or {}),
            app_dir=Path(config.get("app_dir") or DEFAULT_APP_DIR),
            subdomain=str(config.get("subdomain") or DEFAULT_SUBDOMAIN),
            gallery_links=dict(config.get("gallery_links") or {}),
            secure_settings=frozenset(config.get("secure_settings") or DEFAULT_SECURE_SETTINGS),
            manifest_path=Path(config["manifest_path"]) if config.get("manifest_path") else None,
        )

    def manifest(self) -> dict[str, Any] | None:
        """The app's manifest.json (staged copy first, then the repo's), read fresh each time."""
        if self.manifest_path is not None:
            candidates = [self.manifest_path]
        else:
            candidates = [self.app_dir / "manifest.json", REPO_ROOT / "manifest.json"]
        for path in candidates:
            if path.is_file():
                try:
                    data = json.loads(path.read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    return None
                return data if isinstance(data, dict) else None
        return None

    def proxy_installation(self, manifest: Mapping[str, Any] | None) -> proxy.Installation:
        """The installation as the proxy sees it (secure names and scopes from the manifest)."""
        settings: dict[str, Any] = {}
        for param in (manifest or {}).get("parameters") or []:
            if isinstance(param, Mapping) and isinstance(param.get("name"), str) and "default" in param:
                settings[param["name"]] = param["default"]
        settings.update(self.installation)
        return proxy.Installation.from_manifest(settings, manifest, self.secure_settings)


def sidebar_location(manifest: Mapping[str, Any] | None) -> tuple[str, bool]:
    """The ticket_sidebar location URL and whether it is `flexible`."""
    support = ((manifest or {}).get("location") or {}).get("support")
    location = support.get("ticket_sidebar") if isinstance(support, Mapping) else None
    if isinstance(location, str) and location:
        return location, False
    if isinstance(location, Mapping) and isinstance(location.get("url"), str):
        return location["url"], bool(location.get("flexible"))
    return DEFAULT_LOCATION_URL, False


def linkify(text: str) -> Markup:
    """Escape plain text and turn http(s) URLs into links."""
    escaped = str(escape(text))
    linked = _URL_RE.sub(
        lambda m: f'<a href="{m.group(0)}" target="_blank" rel="noopener">{m.group(0)}</a>', escaped
    )
    return Markup(linked)  # noqa: S704 - built from escaped text only


def time_ago(iso: str | None, now: datetime | None = None) -> str:
    """`3 hours ago`-style text for an ISO timestamp."""
    if not iso:
        return ""
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    minutes = int(((now or datetime.now(UTC)) - moment).total_seconds() // 60)
    if minutes < 1:
        return "just now"
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''} ago"
    hours = minutes // 60
    if hours < 24:
        return f"{hours} hour{'s' if hours != 1 else ''} ago"
    days = hours // 24
    return f"{days} day{'s' if days != 1 else ''} ago"


def create_workbench(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the workbench app (see the module docstring for routes and config keys)."""
    app = Flask(__name__)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions[EXTENSION_KEY] = WorkbenchConfig.from_mapping(config or {})
    app.jinja_env.filters["linkify"] = linkify
    app.jinja_env.filters["time_ago"] = time_ago
    app.add_url_rule("/", "page", _page)
    app.add_url_rule("/app/<path:filename>", "app_file", _app_file)
    app.add_url_rule("/proxy", "proxy_request", _proxy_request, methods=["POST"])
    app.after_request(_no_store)
    return app


def _config() -> WorkbenchConfig:
    return current_app.extensions[EXTENSION_KEY]


def _page() -> tuple[str, int]:
    cfg = _config()
    raw_id = request.args.get("ticket", str(tickets.DEFAULT_TICKET_ID))
    ticket = tickets.get_ticket(int(raw_id)) if raw_id.isdigit() else None
    host_origin = f"{request.scheme}://{request.host}"
    picker = [{"id": t.id, "subject": t.subject} for t in tickets.TICKETS.values()]
    if ticket is None:
        return render_template("workbench.html", ticket=None, picker=picker, missing_id=raw_id), 404
    manifest = cfg.manifest()
    installation = cfg.proxy_installation(manifest)
    location_url, flexible = sidebar_location(manifest)
    app_guid = str(uuid.uuid4())
    query = urlencode({"origin": host_origin, "app_guid": app_guid})
    if urlsplit(location_url).scheme in {"http", "https"}:
        iframe_base, app_origin, built = location_url, _origin(location_url), True
    else:
        iframe_base = url_for("app_file", filename=location_url.lstrip("/"))
        app_origin = host_origin
        built = (cfg.app_dir / location_url.lstrip("/")).is_file()
    iframe_src = f"{iframe_base}{'&' if '?' in iframe_base else '?'}{query}"
    zaf_ticket = tickets.zaf_ticket(ticket, cfg.gallery_links, host_origin)
    locale = request.args.get("locale", "en-US")[:16]
    current_user = {**tickets.zaf_user(tickets.AGENT), "locale": locale, "role": "agent"}
    current_user["groups"] = [zaf_ticket["assignee"]["group"]]
    manifest = manifest or {}
    host_data = {
        "appGuid": app_guid,
        "appOrigin": app_origin,
        "proxyUrl": url_for("proxy_request"),
        "flexible": flexible,
        "ticket": zaf_ticket,
        "currentUser": current_user,
        "currentAccount": {"subdomain": cfg.subdomain, "planName": "Enterprise"},
        "metadata": {
            "appId": APP_ID,
            "installationId": INSTALLATION_ID,
            "name": manifest.get("name") or "PhotoShelter for Zendesk",
            "version": manifest.get("version") or "0.0.0",
            "settings": installation.public_settings(),
        },
        "context": {
            "instanceGuid": app_guid,
            "product": "support",
            "account": {"subdomain": cfg.subdomain},
            "location": "ticket_sidebar",
            "ticketId": ticket.id,
        },
    }
    html = render_template(
        "workbench.html",
        ticket=zaf_ticket,
        picker=picker,
        host_data=host_data,
        iframe_src=iframe_src if built else None,
        app_name=host_data["metadata"]["name"],
        priorities=tickets.PRIORITIES,
        statuses=tickets.STATUSES,
    )
    return html, 200


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _app_file(filename: str) -> Response:
    app_dir = _config().app_dir
    if not app_dir.is_dir():
        abort(404)
    return send_from_directory(app_dir, filename, max_age=0)


def _proxy_request() -> tuple[Response, int]:
    cfg = _config()
    if not request.is_json:
        return jsonify(error={"code": "json_required", "message": "POST a JSON body {options}"}), 415
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict) or "options" not in payload:
        return jsonify(error={"code": "bad_request", "message": 'Expected {"options": {...}}'}), 400
    installation = cfg.proxy_installation(cfg.manifest())
    return jsonify(proxy.handle(payload["options"], installation)), 200


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response
