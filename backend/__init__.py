"""PhotoShelter for Zendesk backend: `create_app()` builds the Flask app; nothing happens at import."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from flask import Flask
from flask_caching import Cache
from flask_smorest import Api
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from backend.config import Settings
from backend.services.clients import ClientRegistry
from backend.store.tenants import PhotoShelterCredentials, TenantDirectory, ZendeskCredentials

log = logging.getLogger("backend")

SIMULATOR_MOUNT = "/sandbox/photoshelter"
ZENDESK_SIMULATOR_MOUNT = "/sandbox/zendesk"
WORKBENCH_MOUNT = "/workbench"


@dataclass
class Extension:
    """What the app's requests need, kept on `app.extensions["psz"]`."""

    settings: Settings
    cache: Cache
    engine: Engine
    sessions: sessionmaker[Session]
    tenants: TenantDirectory
    clients: ClientRegistry

    def __post_init__(self) -> None:
        self._tenant_rows: dict[str, int] = {}

    def tenant_row_id(self, subdomain: str) -> int:
        """The database id of a tenant (created on first use)."""
        if subdomain not in self._tenant_rows:
            from backend.store.session import session_scope
            from backend.store.tenants_repo import ensure_tenant

            with session_scope(self.sessions) as session:
                self._tenant_rows[subdomain] = ensure_tenant(session, subdomain).id
        return self._tenant_rows[subdomain]


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app. `config` overrides environment settings (names without the PSZ_ prefix)."""
    app = Flask(__name__)
    settings = Settings.load(config, secret_file=Path(app.instance_path) / "demo_shared_secret")
    configure_logging(settings)
    app.config.update(
        API_TITLE="PhotoShelter for Zendesk",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        JSON_SORT_KEYS=False,
    )
    cache = register_cache(app, settings)
    engine = register_database(app, settings)
    tenants = register_tenants(settings)
    from backend.store.session import make_sessionmaker

    app.extensions["psz"] = Extension(
        settings, cache, engine, make_sessionmaker(engine), tenants, ClientRegistry(settings, cache)
    )
    register_api(app)
    register_commands(app)
    if settings.DEMO:
        mount_simulators(app, settings)
    return app


def configure_logging(settings: Settings) -> None:
    """Plain single-line logs at the configured level."""
    logging.basicConfig(
        level=settings.LOG_LEVEL.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )


def register_cache(app: Flask, settings: Settings) -> Cache:
    """flask-caching: in-process by default, Redis when configured."""
    cache_config: dict[str, Any] = {
        "CACHE_TYPE": settings.cache_type,
        "CACHE_DEFAULT_TIMEOUT": settings.CACHE_TTL_SECONDS,
    }
    if settings.cache_type == "RedisCache":
        cache_config.update(CACHE_REDIS_URL=settings.REDIS_URL, CACHE_KEY_PREFIX="psz:")
    if settings.cache_type == "FileSystemCache":
        cache_config["CACHE_DIR"] = settings.CACHE_DIR or str(Path(app.instance_path) / "cache")
    if settings.cache_type == "SimpleCache":
        cache_config["CACHE_THRESHOLD"] = 5000
    if settings.cache_type == "NullCache":
        cache_config["CACHE_NO_NULL_WARNING"] = True
    cache = Cache()
    cache.init_app(app, config=cache_config)
    return cache


def register_database(app: Flask, settings: Settings) -> Engine:
    """The SQLAlchemy engine (SQLite in the instance folder unless DATABASE_URL is set), migrated."""
    from backend.store.db import default_database_url, make_engine
    from backend.store.migrate import upgrade

    engine = make_engine(settings.DATABASE_URL or default_database_url(app.instance_path))
    upgrade(engine)
    return engine


def register_tenants(settings: Settings) -> TenantDirectory:
    """The tenant directory; in demo mode the tenant signs in to the built-in simulator."""
    from backend.store.tenants import tenants_from_settings

    demo = demo_zendesk = None
    if settings.DEMO:
        from backend.sandbox.photoshelter import seed
        from backend.sandbox.zendesk import seed as zendesk_seed

        demo_zendesk = ZendeskCredentials(
            base_url=settings.PUBLIC_URL.rstrip("/") + ZENDESK_SIMULATOR_MOUNT,
            email=zendesk_seed.DEMO_EMAIL,
            api_token=zendesk_seed.DEMO_API_TOKEN,
        )
        base = settings.PUBLIC_URL.rstrip("/") + SIMULATOR_MOUNT
        demo = PhotoShelterCredentials(
            base_url=f"{base}/psapi/v4.0",
            api_key=seed.DEMO_API_KEY,
            email=seed.DEMO_EMAIL,
            password=seed.DEMO_PASSWORD,
            org_id=seed.DEMO_ORG_ID,
            cdn_url=base,
        )
        log.warning(
            "DEMO MODE: no PhotoShelter credentials configured; using the built-in simulator at %s", base
        )
        if settings.DEMO_SECRET_GENERATED:
            log.warning("Demo shared secret (generated, demo only): %s", settings.DEMO_SHARED_SECRET)
    return tenants_from_settings(settings, demo, demo_zendesk)


def register_api(app: Flask) -> None:
    """Blueprints, OpenAPI and the JSON error envelope."""
    from backend.api import delivery, errors, health, links, sidebar

    api = Api(app)
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    )
    api.register_blueprint(health.bp)
    api.register_blueprint(sidebar.bp)
    api.register_blueprint(delivery.bp)
    api.register_blueprint(links.bp)
    errors.register_error_handlers(app)

    @app.after_request
    def security_headers(response):
        """No MIME sniffing, no referrer leaks (tracked links carry capabilities in their path)."""
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        if response.mimetype == "application/json":
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def register_commands(app: Flask) -> None:
    """CLI: `flask --app backend demo-token`."""

    @app.cli.command("demo-token")
    @click.option("--agent", default="1", help="Agent id to assert in `sub`.")
    @click.option("--ticket", type=int, default=None, help="Ticket id claim.")
    @click.option("--lifetime", type=click.IntRange(1, 3600), default=3600, help="Seconds until expiry.")
    def demo_token(agent: str, ticket: int | None, lifetime: int) -> None:
        """Print a valid sidebar JWT for the demo tenant."""
        from backend.api.security import jwt_policy
        from backend.auth import mint_agent_token
        from backend.store.tenants import DEMO_SUBDOMAIN

        ext = app.extensions["psz"]
        tenant = ext.tenants.get(DEMO_SUBDOMAIN)
        if tenant is None:
            raise click.ClickException(
                "demo-token works in demo mode only (no PhotoShelter credentials set)."
            )
        with app.app_context():
            policy = jwt_policy()
        click.echo(mint_agent_token(tenant, policy, agent_id=agent, ticket_id=ticket, lifetime=lifetime))


def mount_simulators(app: Flask, settings: Settings) -> None:
    """Demo mode: serve the PhotoShelter simulator under /sandbox/photoshelter, the Zendesk REST
    simulator under /sandbox/zendesk and the workbench (a fake agent ticket view hosting the real
    sidebar, reading and writing the ticket through the Zendesk simulator over HTTP) under
    /workbench, all on the same (threaded) server."""
    from werkzeug.middleware.dispatcher import DispatcherMiddleware

    from backend.sandbox.photoshelter import create_simulator, seed
    from backend.sandbox.workbench import create_workbench, demo_installation
    from backend.sandbox.zendesk import create_zendesk_simulator
    from backend.sandbox.zendesk import seed as zendesk_seed
    from backend.store.tenants import DEMO_SUBDOMAIN

    installation = demo_installation(settings.PUBLIC_URL, settings.DEMO_SHARED_SECRET)
    # Links in the seeded conversations point at real simulator galleries in the matching state.
    site = settings.PUBLIC_URL.rstrip("/") + SIMULATOR_MOUNT + "/site/gallery"
    gallery_links = {
        state: f"{site}/shared-gallery/{gallery_id}" for state, gallery_id in seed.SEEDED_STATES.items()
    }
    workbench = create_workbench(
        {
            "installation": installation,
            "subdomain": DEMO_SUBDOMAIN,
            "gallery_links": gallery_links,
            "zendesk_base_url": settings.PUBLIC_URL.rstrip("/") + ZENDESK_SIMULATOR_MOUNT,
            "zendesk_email": zendesk_seed.DEMO_EMAIL,
            "zendesk_api_token": zendesk_seed.DEMO_API_TOKEN,
        }
    )
    app.wsgi_app = DispatcherMiddleware(
        app.wsgi_app,
        {
            SIMULATOR_MOUNT: create_simulator(),
            ZENDESK_SIMULATOR_MOUNT: create_zendesk_simulator({"gallery_links": gallery_links}),
            WORKBENCH_MOUNT: workbench,
        },
    )
