"""Machine endpoints: liveness (`/healthz`) and readiness (`/readyz`: database, cache, upstream)."""

from __future__ import annotations

import time
import uuid

from flask import current_app, jsonify
from flask_smorest import Blueprint

from backend.store.db import ping

bp = Blueprint("health", __name__, description="Liveness and readiness")


@bp.route("/healthz")
def healthz():
    """The process is up."""
    return {"status": "ok"}


@bp.route("/readyz")
def readyz():
    """Check each dependency; 503 with the failing ones when any is down (no secrets in messages)."""
    ext = current_app.extensions["psz"]
    checks = {
        "database": lambda: ping(ext.engine),
        "cache": lambda: _check_cache(ext.cache, ext.settings.cache_type),
    }
    for tenant in ext.tenants.all():
        checks[f"photoshelter:{tenant.subdomain}"] = lambda t=tenant: ext.clients.photoshelter(t).ping()
    results = {}
    for name, check in checks.items():
        started = time.perf_counter()
        try:
            check()
            results[name] = {"ok": True}
        except Exception as exc:
            results[name] = {"ok": False, "error": type(exc).__name__}
        results[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    ready = all(r["ok"] for r in results.values())
    response = jsonify({"status": "ready" if ready else "not_ready", "checks": results})
    response.status_code = 200 if ready else 503
    return response


def _check_cache(cache, cache_type: str) -> None:
    if cache_type == "NullCache":
        return  # caching deliberately off: nothing to check
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=5)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not return what was stored")
    cache.delete(key)
