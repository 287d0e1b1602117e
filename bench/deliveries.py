"""Benchmark deliveries against the simulators with realistic upstream latency.

Prints medians for attaching 1 and 3 images (download from PhotoShelter + upload to Zendesk + one
comment), sharing a gallery, sharing a 5-image selection (delivery gallery + grant + note), and
opening a tracked link. Usage: `.venv/bin/python bench/deliveries.py [--latency-ms 40] [--rounds 5]`.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backend.api.security import jwt_policy
from backend.auth import mint_agent_token
from backend.sandbox.photoshelter.seed import SEEDED_STATES
from bench.read_api import serve


def main() -> None:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--latency-ms", type=int, default=40, help="added latency per vendor call")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        server, app, url = serve(8, Path(tmp) / "bench.sqlite")
        with app.app_context():
            token = mint_agent_token(app.extensions["psz"].tenants.get("demo"), jwt_policy(), lifetime=3600)
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {token}"
        for simulator in ("photoshelter", "zendesk"):
            session.post(
                f"{url}/sandbox/{simulator}/_faults", json={"latency_ms": args.latency_ms}, timeout=5
            )
        media = [
            i["id"]
            for i in session.get(f"{url}/api/v1/search?kind=media&per_page=5", timeout=60).json()["items"]
        ]
        cases = {
            "attach 1 image": ("/api/v1/tickets/105/attachments", {"media_ids": media[:1]}),
            "attach 3 images": ("/api/v1/tickets/105/attachments", {"media_ids": media[:3]}),
            "share gallery (note)": (
                "/api/v1/tickets/101/shares",
                {"gallery_id": SEEDED_STATES["public_listed"]},
            ),
            "share 5-image selection": (
                "/api/v1/tickets/104/shares",
                {"media_ids": media, "post_as": "reply"},
            ),
        }
        print(f"vendor latency {args.latency_ms} ms per call, {args.rounds} rounds; ms (median / max)")
        link = None
        for name, (path, body) in cases.items():
            times = []
            for _ in range(args.rounds):
                started = time.perf_counter()
                response = session.post(url + path, json=body, timeout=120)
                times.append((time.perf_counter() - started) * 1000)
                response.raise_for_status()
                link = response.json().get("link") or link
            print(f"{name:28} {statistics.median(times):8.0f} / {max(times):.0f}")
        opens = []
        for _ in range(args.rounds):
            started = time.perf_counter()
            requests.get(link, allow_redirects=False, timeout=30).raise_for_status()
            opens.append((time.perf_counter() - started) * 1000)
        print(f"{'open tracked link':28} {statistics.median(opens):8.0f} / {max(opens):.0f}")
        server.shutdown()


if __name__ == "__main__":
    main()
