"""Benchmark the agent read API against the simulator with realistic upstream latency.

Prints latency figures (cold cache = every PhotoShelter call made, warm = served from cache) for
search and gallery detail, with the fan-out pool at 1 worker (sequential) and at the default.
Usage: `make bench` or `.venv/bin/python bench/read_api.py [--latency-ms 40] [--rounds 5]`.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests
from werkzeug.serving import make_server

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backend import create_app
from backend.api.security import jwt_policy
from backend.auth import mint_agent_token
from backend.sandbox.photoshelter.seed import SEEDED_STATES

SECRET = "bench-demo-shared-secret-0123456789abcdef"


def serve(workers: int, db: Path):
    """Start a demo backend on a free port; return (server, app, url)."""
    server = make_server("127.0.0.1", 0, None, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    app = create_app(
        {
            "PUBLIC_URL": url,
            "DEMO_SHARED_SECRET": SECRET,
            "DATABASE_URL": f"sqlite:///{db}",
            "FANOUT_WORKERS": workers,
            "LOG_LEVEL": "WARNING",
        }
    )
    server.app = app
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, app, url


def timed(session: requests.Session, url: str, headers: dict) -> float:
    started = time.perf_counter()
    response = session.get(url, headers=headers, timeout=60)
    response.raise_for_status()
    return (time.perf_counter() - started) * 1000


def main() -> None:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--latency-ms", type=int, default=40, help="added latency per PhotoShelter call")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    cases = {
        "search media (24/page)": "/api/v1/search?kind=media&q=&per_page=24",
        "search all 'trail'": "/api/v1/search?q=trail",
        "search galleries (24/page)": "/api/v1/search?kind=gallery&per_page=24",
        "gallery detail (24 media)": f"/api/v1/galleries/{SEEDED_STATES['public_listed']}?per_page=24",
    }
    print(
        f"upstream latency {args.latency_ms} ms per call, {args.rounds} rounds; figures in ms (median / max)"
    )
    print(f"{'case':32} {'workers':>7} {'cold':>16} {'warm':>16}")
    with tempfile.TemporaryDirectory() as tmp:
        for workers in (1, 8):
            server, app, url = serve(workers, Path(tmp) / f"bench{workers}.sqlite")
            with app.app_context():
                token = mint_agent_token(
                    app.extensions["psz"].tenants.get("demo"), jwt_policy(), lifetime=3600
                )
            headers = {"Authorization": f"Bearer {token}"}
            session = requests.Session()
            session.post(
                url + "/sandbox/photoshelter/_faults", json={"latency_ms": args.latency_ms}, timeout=5
            )
            cache = app.extensions["psz"].cache
            for name, path in cases.items():
                cold, warm = [], []
                for _ in range(args.rounds):
                    cache.clear()
                    cold.append(timed(session, url + path, headers))
                    warm.append(timed(session, url + path, headers))
                print(
                    f"{name:32} {workers:>7} {statistics.median(cold):>8.0f} / {max(cold):<6.0f}"
                    f"{statistics.median(warm):>8.0f} / {max(warm):<6.0f}"
                )
            server.shutdown()


if __name__ == "__main__":
    main()
