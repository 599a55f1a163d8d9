"""The ``ecobid`` command."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from ecobid_entrypoints.container import build_container
from ecobid_entrypoints.local.demo import CENTRE, seed
from ecobid_entrypoints.local.server import LocalServer


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ecobid", description="EcoBid backend tools")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the API locally")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080, help="0 picks a free port")
    serve.add_argument("--no-demo", action="store_true", help="start with no demo data")
    serve.add_argument("--backend", choices=["memory"], default="memory")
    serve.add_argument("--hold-hours", type=float, default=24.0, help="reservation hold")
    serve.add_argument("--log-level", default="INFO")
    args = parser.parse_args(argv)

    logging.basicConfig(level=args.log_level.upper(), format="%(levelname)s %(name)s %(message)s")
    container = build_container(args.backend, hold_hours=args.hold_hours)
    server = LocalServer(container, args.host, args.port)
    print(f"EcoBid listening on {server.url}", flush=True)
    if not args.no_demo:
        count = seed(container)
        print(
            f"Demo: {count} items around Berlin. Try:\n"
            f'  TOKEN=$(curl -s -XPOST {server.url}/_dev/token -d \'{{"email":"dan@example.com"}}\''
            " | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"idToken\"])')\n"
            f'  curl -s -H "Authorization: Bearer $TOKEN"'
            f" '{server.url}/items?lat={CENTRE.lat}&lon={CENTRE.lon}&radiusKm=5'",
            flush=True,
        )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
