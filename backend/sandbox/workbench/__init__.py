"""The workbench: a local stand-in for a Zendesk agent's ticket view that hosts the real sidebar.

`create_workbench(config)` builds an independent Flask app; the backend's factory mounts it at
`/workbench` in demo mode. It is part of the outside world: it imports nothing from the product and
talks to the backend and to the Zendesk simulator only over HTTP. It plays Zendesk twice over:
its agent interface reads and writes the ticket through the Zendesk REST API (`zendesk_api.py`,
server side, with the account's API token, which never reaches the browser), and `proxy.py` plays
Zendesk's request proxy for the sidebar.

Routes (relative to the mount point):
    GET  /                 the ticket page (`?ticket=<id>`, optional `?locale=<locale>`)
    GET  /api/ticket/<id>  the ticket as the page shows it (JSON, see `_ticket_json`);
                           `?since=<updatedAt>` answers `{"unchanged": true, ...}` when nothing changed
    PUT  /api/ticket/<id>  `{status?, priority?, subject?, customFields?, comment?: {html, public}}`
                           → `PUT /api/v2/tickets/<id>` as the agent → the fresh ticket JSON
    PUT|DELETE /api/ticket/<id>/tags  `{"tags": [...]}` → add | remove → the fresh ticket JSON
    GET  /app/<path>       the staged app (`make app` → build/app), e.g. /app/assets/iframe.html
    POST /proxy            `{"options": <client.request options>}` → envelope (see proxy.py);
                           relative `/api/v2/...` URLs go to the Zendesk API as the agent
    GET  /static/<path>    host.js, workbench.css

When the Zendesk API cannot be used (not configured, unreachable, refusing the credentials), the
page and `GET /api/ticket/<id>` fall back to the seed (`tickets.py`) with a visible warning, and
writes answer 503.

Config keys:
    installation      the app's settings (all of them, secure ones included; only non-secure ones
                      ever reach the browser). See `demo_installation()`.
    app_dir           the staged app folder (default `<repo>/build/app`)
    subdomain         the Zendesk account (default "demo")
    gallery_links     `{state: url}` for `{{gallery:<state>}}` placeholders in the seed fallback
    secure_settings   names treated as secure besides the manifest's secure parameters
                      (default {"shared_secret"})
    manifest_path     the only manifest.json to read (default: `<app_dir>/manifest.json`, else
                      `<repo>/manifest.json`)
    zendesk_base_url  the Zendesk account's root (the simulator's mount, e.g.
                      `http://127.0.0.1:5000/sandbox/zendesk`); unset → seed only, with a warning
    zendesk_email, zendesk_api_token
                      the API-token credentials (default: the simulator's demo account)
    zendesk_timeout   seconds per Zendesk API call (default 10)
    poll_interval_ms  how often the page re-reads the ticket while visible (default 2000)
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

from . import proxy, tickets, view
from .zendesk_api import AgentUi, ZendeskAccount, ZendeskRefused, ZendeskUnavailable

__all__ = ["create_workbench", "demo_installation", "load_installation"]

REPO_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_APP_DIR = REPO_ROOT / "build" / "app"
INSTALLATION_FILE = Path(__file__).with_name("installation.json")
DEFAULT_SECURE_SETTINGS = frozenset({"shared_secret"})
DEFAULT_LOCATION_URL = "assets/iframe.html"
DEFAULT_SUBDOMAIN = "demo"
DEFAULT_POLL_INTERVAL_MS = 2000
APP_ID = 1000001
INSTALLATION_ID = 360000001
EXTENSION_KEY = "workbench"
MAX_COMMENT_HTML = 200_000

_URL_RE = re.compile(r"https?://[^\s<>\"']*[^\s<>\"'.,;:!?)]")
_CUSTOM_FIELD = re.compile(r"custom_field_(\d+)")
_STATUSES = frozenset(tickets.STATUSES) | {"closed"}


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


def _demo_credentials() -> tuple[str, str]:
    """The Zendesk simulator's demo API-token credentials (imported late: its seed imports ours)."""
    from backend.sandbox.zendesk import seed

    return seed.DEMO_EMAIL, seed.DEMO_API_TOKEN


@dataclass(frozen=True)
class WorkbenchConfig:
    """The workbench's configuration, read once by `create_workbench`."""

    installation: Mapping[str, Any]
    app_dir: Path = DEFAULT_APP_DIR
    subdomain: str = DEFAULT_SUBDOMAIN
    gallery_links: Mapping[str, str] = field(default_factory=dict)
    secure_settings: frozenset[str] = DEFAULT_SECURE_SETTINGS
    manifest_path: Path | None = None
    zendesk: ZendeskAccount | None = None
    poll_interval_ms: int = DEFAULT_POLL_INTERVAL_MS

    @classmethod
    def from_mapping(cls, config: Mapping[str, Any]) -> WorkbenchConfig:
        """Build from the factory's dict (see the module docstring)."""
        zendesk = None
        base_url = config.get("zendesk_base_url")
        if base_url:
            email, token = config.get("zendesk_email"), config.get("zendesk_api_token")
            if not email or not token:
                default_email, default_token = _demo_credentials()
                email, token = email or default_email, token or default_token
            zendesk = ZendeskAccount(
                base_url=str(base_url).rstrip("/"),
                email=str(email),
                api_token=str(token),
                timeout=float(config.get("zendesk_timeout") or 10.0),
            )
        return cls(
            installation=dict(config.get("installation") or {}),
            app_dir=Path(config.get("app_dir") or DEFAULT_APP_DIR),
            subdomain=str(config.get("subdomain") or DEFAULT_SUBDOMAIN),
            gallery_links=dict(config.get("gallery_links") or {}),
            secure_settings=frozenset(config.get("secure_settings") or DEFAULT_SECURE_SETTINGS),
            manifest_path=Path(config["manifest_path"]) if config.get("manifest_path") else None,
            zendesk=zendesk,
            poll_interval_ms=max(250, int(config.get("poll_interval_ms") or DEFAULT_POLL_INTERVAL_MS)),
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

    def zendesk_api(self) -> proxy.ZendeskApi | None:
        """Where the proxy sends relative `/api/v2/...` requests, as the logged-in agent."""
        if self.zendesk is None:
            return None
        return proxy.ZendeskApi(self.zendesk.base_url, self.zendesk.authorization())

    def redact(self, text: str) -> str:
        """`text` without the Zendesk credentials (belt and braces for error messages)."""
        if self.zendesk is not None:
            for secret in (self.zendesk.authorization(), self.zendesk.api_token):
                text = text.replace(secret, "[credentials]")
        return text


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


def safe_html(markup: Any) -> Markup:
    """Comment HTML for the page, sanitised here whatever its source."""
    return Markup(view.clean_html(str(markup or "")))  # noqa: S704 - allow-list sanitised


def time_ago(iso: str | None, now: datetime | None = None) -> str:
    """`3 hours ago`-style text for an ISO timestamp."""
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
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
    app.jinja_env.filters["safe_html"] = safe_html
    app.jinja_env.filters["time_ago"] = time_ago
    app.jinja_env.filters["human_size"] = view.human_size
    app.jinja_env.filters["initials"] = view.initials
    app.add_url_rule("/", "page", _page)
    app.add_url_rule("/api/ticket/<int:ticket_id>", "ticket_api", _ticket_get, methods=["GET"])
    app.add_url_rule("/api/ticket/<int:ticket_id>", "ticket_update", _ticket_update, methods=["PUT"])
    app.add_url_rule(
        "/api/ticket/<int:ticket_id>/tags", "ticket_tags", _ticket_tags, methods=["PUT", "DELETE"]
    )
    app.add_url_rule("/app/<path:filename>", "app_file", _app_file)
    app.add_url_rule("/proxy", "proxy_request", _proxy_request, methods=["POST"])
    app.after_request(_no_store)
    return app


def _config() -> WorkbenchConfig:
    return current_app.extensions[EXTENSION_KEY]


def _host_origin() -> str:
    return f"{request.scheme}://{request.host}"


# ---------------------------------------------------------------------------------- reading


@dataclass
class _Loaded:
    """What one read produced: the ticket (None = unknown), the picker, the source, a warning."""

    ticket: dict[str, Any] | None
    picker: list[dict[str, Any]]
    source: str
    warning: str | None = None


def _unavailable_warning(cfg: WorkbenchConfig, reason: str) -> str:
    where = cfg.zendesk.base_url if cfg.zendesk else "(not configured)"
    return cfg.redact(
        f"Zendesk simulator unavailable at {where}: {reason}. "
        "Showing the seeded ticket instead; changes are not saved."
    )


def _seed(cfg: WorkbenchConfig, ticket_id: int, warning: str, with_picker: bool) -> _Loaded:
    ticket = view.seed_view(ticket_id, cfg.gallery_links, _host_origin())
    return _Loaded(ticket, view.seed_picker() if with_picker else [], "seed", warning)


def _load(ticket_id: int, *, with_picker: bool) -> _Loaded:
    """The ticket (and picker) from the Zendesk API, else the seed with a warning."""
    cfg = _config()
    if cfg.zendesk is None:
        warning = "No Zendesk simulator is configured (zendesk_base_url); showing the seeded ticket."
        return _seed(cfg, ticket_id, warning, with_picker)
    try:
        with AgentUi(cfg.zendesk) as api:
            try:
                picker = view.ticket_list(api) if with_picker else []
            except ZendeskRefused as refused:
                raise ZendeskUnavailable(f"the Zendesk API answered {refused.status}") from None
            try:
                ticket: dict[str, Any] | None = view.load_ticket(api, ticket_id)
            except ZendeskRefused as refused:
                if refused.status != 404:
                    raise ZendeskUnavailable(f"the Zendesk API answered {refused.status}") from None
                ticket = None
            return _Loaded(ticket, picker, "zendesk")
    except ZendeskUnavailable as error:
        return _seed(cfg, ticket_id, _unavailable_warning(cfg, str(error)), with_picker)


def _conversation_html(ticket: Mapping[str, Any]) -> str:
    return render_template("_conversation.html", comments=ticket.get("comments") or [])


def _ticket_json(loaded: _Loaded) -> dict[str, Any]:
    """The JSON the page re-renders from: `{source, warning, updatedAt, ticket, conversationHtml}`."""
    ticket = loaded.ticket or {}
    return {
        "source": loaded.source,
        "warning": loaded.warning,
        "updatedAt": ticket.get("updatedAt"),
        "ticket": loaded.ticket,
        "conversationHtml": _conversation_html(ticket),
    }


def _api_error(status: int, code: str, message: str) -> tuple[Response, int]:
    return jsonify(error={"code": code, "message": _config().redact(message)}), status


def _ticket_get(ticket_id: int) -> tuple[Response, int]:
    cfg = _config()
    since = request.args.get("since")
    if since and cfg.zendesk is not None:
        try:
            with AgentUi(cfg.zendesk) as api:
                stamp = api.ticket(ticket_id).get("updated_at")
            if not view.changed_since(stamp, since):
                return jsonify(source="zendesk", warning=None, updatedAt=stamp, unchanged=True), 200
        except ZendeskRefused as refused:
            if refused.status == 404:
                return _api_error(404, "not_found", f"Ticket #{ticket_id} not found")
        except ZendeskUnavailable:
            pass  # the full read below falls back and explains
    loaded = _load(ticket_id, with_picker=False)
    if loaded.ticket is None:
        return _api_error(404, "not_found", f"Ticket #{ticket_id} not found")
    return jsonify(_ticket_json(loaded)), 200


# ---------------------------------------------------------------------------------- writing


def _ticket_changes(body: Mapping[str, Any]) -> dict[str, Any]:
    """The Zendesk `ticket` object for a workbench update (ValueError on a malformed body)."""
    changes: dict[str, Any] = {}
    if "status" in body:
        if body["status"] not in _STATUSES:
            raise ValueError("status must be one of " + ", ".join(tickets.STATUSES))
        changes["status"] = body["status"]
    if "priority" in body:
        if body["priority"] not in (None, "", *tickets.PRIORITIES):
            raise ValueError("priority must be empty or one of " + ", ".join(tickets.PRIORITIES))
        changes["priority"] = body["priority"] or None
    if "subject" in body:
        if not isinstance(body["subject"], str):
            raise ValueError("subject must be a string")
        changes["subject"] = body["subject"]
    if "customFields" in body:
        fields = body["customFields"]
        if not isinstance(fields, Mapping):
            raise ValueError("customFields must be an object")
        custom = []
        for key, value in fields.items():
            match = _CUSTOM_FIELD.fullmatch(str(key))
            if match is None:
                raise ValueError(f"unknown custom field {key!r} (custom_field_<id>)")
            custom.append({"id": int(match.group(1)), "value": value})
        if custom:
            changes["custom_fields"] = custom
    comment = body.get("comment")
    if comment is not None:
        if not isinstance(comment, Mapping) or not isinstance(comment.get("html"), str):
            raise ValueError('comment must be {"html": "...", "public": true|false}')
        if len(comment["html"]) > MAX_COMMENT_HTML:
            raise ValueError("comment is too long")
        public = comment.get("public", True)
        if not isinstance(public, bool):
            raise ValueError("comment.public must be true or false")
        if comment["html"].strip():
            # The agent signed in to the workbench writes it (not the API user).
            author = tickets.AGENT.id
            changes["comment"] = {"html_body": comment["html"], "public": public, "author_id": author}
    return changes


def _json_body() -> Mapping[str, Any] | None:
    body = request.get_json(silent=True) if request.is_json else None
    return body if isinstance(body, Mapping) else None


def _write(ticket_id: int, action: Any) -> tuple[Response, int]:
    """Run `action(api)` against the Zendesk API, then answer the fresh ticket JSON."""
    cfg = _config()
    if cfg.zendesk is None:
        return _api_error(503, "zendesk_unavailable", "No Zendesk simulator is configured; nothing saved")
    try:
        with AgentUi(cfg.zendesk) as api:
            action(api)
            loaded = _Loaded(view.load_ticket(api, ticket_id), [], "zendesk")
    except ZendeskRefused as refused:
        code = "not_found" if refused.status == 404 else "zendesk_refused"
        return _api_error(refused.status, code, refused.description)
    except ZendeskUnavailable as error:
        return _api_error(503, "zendesk_unavailable", f"Zendesk unavailable: {error}")
    return jsonify(_ticket_json(loaded)), 200


def _ticket_update(ticket_id: int) -> tuple[Response, int]:
    body = _json_body()
    if body is None:
        return _api_error(400, "bad_request", "PUT a JSON object")
    try:
        changes = _ticket_changes(body)
    except ValueError as error:
        return _api_error(400, "bad_request", str(error))

    def update(api: AgentUi) -> None:
        if changes:
            api.update_ticket(ticket_id, changes)

    return _write(ticket_id, update)


def _ticket_tags(ticket_id: int) -> tuple[Response, int]:
    body = _json_body()
    tags = body.get("tags") if body is not None else None
    if isinstance(tags, str):
        tags = [tags]
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        return _api_error(400, "bad_request", 'Send {"tags": ["tag", ...]}')
    method = request.method

    def change(api: AgentUi) -> None:
        if tags:
            api.change_tags(ticket_id, method, tags)

    return _write(ticket_id, change)


# ---------------------------------------------------------------------------------- the page


def _page() -> tuple[str, int]:
    cfg = _config()
    raw_id = request.args.get("ticket", str(tickets.DEFAULT_TICKET_ID))
    host_origin = _host_origin()
    # A malformed id reads as ticket 0, which no account has: the not-found page with the picker.
    loaded = _load(int(raw_id) if raw_id.isdigit() and len(raw_id) <= 12 else 0, with_picker=True)
    picker, ticket = loaded.picker, loaded.ticket
    if ticket is None:
        html = render_template(
            "workbench.html", ticket=None, picker=picker, missing_id=raw_id, warning=loaded.warning
        )
        return html, 404
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
    locale = request.args.get("locale", "en-US")[:16]
    current_user = {**tickets.zaf_user(tickets.AGENT), "locale": locale, "role": "agent"}
    group = (ticket.get("assignee") or {}).get("group")
    current_user["groups"] = [group] if group else []
    manifest = manifest or {}
    host_data = {
        "appGuid": app_guid,
        "appOrigin": app_origin,
        "proxyUrl": url_for("proxy_request"),
        "ticketApiUrl": url_for("ticket_api", ticket_id=ticket["id"]),
        "tagsApiUrl": url_for("ticket_tags", ticket_id=ticket["id"]),
        "pollIntervalMs": cfg.poll_interval_ms,
        "source": loaded.source,
        "warning": loaded.warning,
        "flexible": flexible,
        "ticket": ticket,
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
            "ticketId": ticket["id"],
        },
    }
    html = render_template(
        "workbench.html",
        ticket=ticket,
        picker=picker,
        host_data=host_data,
        warning=loaded.warning,
        source=loaded.source,
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
    return jsonify(proxy.handle(payload["options"], installation, zendesk=cfg.zendesk_api())), 200


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response
