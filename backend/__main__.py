"""`python -m backend`: run the backend on the built-in threaded server (demo and development).

Configuration problems are printed as a plain list and exit with status 2, not as a traceback.
Production runs the same app under a WSGI server (docs/deployment.md).
"""

from __future__ import annotations

import argparse
import sys

from backend.config import ConfigError


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, build the app, serve until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m backend", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    args = parser.parse_args(argv)
    try:
        from backend import create_app

        app = create_app()
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    # Threaded: in demo mode the backend calls its own simulators over HTTP.
    app.run(host=args.host, port=args.port, threaded=True, use_reloader=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
