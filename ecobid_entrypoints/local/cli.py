"""The ``ecobid`` command."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from contextlib import ExitStack, suppress

from ecobid_adapters.aws.settings import AwsSettings
from ecobid_entrypoints import logs
from ecobid_entrypoints.container import Container, build_container, deliver_in_process
from ecobid_entrypoints.local.demo import CENTRE, seed
from ecobid_entrypoints.local.server import LocalServer

log = logging.getLogger("ecobid.local")

BACKEND_HELP = (
    "memory: everything in this process (the default); "
    "moto: an embedded moto server with the AWS resources made for you; "
    "aws: the resources the ECOBID_* environment variables name, at "
    "ECOBID_AWS_ENDPOINT_URL if set"
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ecobid", description="EcoBid backend tools")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the API locally")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080, help="0 picks a free port")
    serve.add_argument("--no-demo", action="store_true", help="start with no demo data")
    serve.add_argument(
        "--backend", choices=["memory", "moto", "aws"], default="memory", help=BACKEND_HELP
    )
    serve.add_argument("--hold-hours", type=float, default=24.0, help="reservation hold")
    serve.add_argument("--log-level", default="INFO")
    args = parser.parse_args(argv)

    logs.configure(logs.PlainFormatter(), args.log_level)
    with ExitStack() as cleanup:
        try:
            container = _container(args.backend, args.hold_hours, cleanup.callback)
        except (KeyError, ImportError) as error:
            print(f"ecobid serve --backend {args.backend}: {error}", file=sys.stderr)
            return 2
        server = LocalServer(container, args.host, args.port)
        cleanup.callback(server.stop)
        server.fire_schedules_every(1.0)
        print(f"EcoBid listening on {server.url} ({args.backend} backend)", flush=True)
        if not args.no_demo:
            _demo(container, server.url)
        with suppress(KeyboardInterrupt):
            server.serve_forever()
    return 0


def _container(backend: str, hold_hours: float, on_exit: Callable[..., object]) -> Container:
    if backend == "memory":
        return build_container("memory", hold_hours=hold_hours)
    if backend == "aws":
        container = build_container(
            "aws", hold_hours=hold_hours, aws_settings=AwsSettings.from_env()
        )
        deliver_in_process(container)
        return container
    try:
        from ecobid_entrypoints.local import moto_backend
    except ImportError:
        raise ImportError("needs the local extra: pip install 'ecobid[local]'") from None
    moto = moto_backend.MotoServer().start()
    on_exit(moto.stop)
    settings = moto_backend.provision_moto(moto.endpoint_url)
    print(f"moto server on {moto.endpoint_url}: table {settings.table}", flush=True)
    return moto_backend.moto_container(settings, hold_hours=hold_hours)


def _demo(container: Container, url: str) -> None:
    if container.dev_sign_in() is None:
        print("No demo data: this backend has no dev sign-in.", flush=True)
        return
    count = seed(container)
    print(
        f"Demo: {count} items around Berlin. Try:\n"
        f'  TOKEN=$(curl -s -XPOST {url}/_dev/token -d \'{{"email":"dan@example.com"}}\''
        " | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"idToken\"])')\n"
        f'  curl -s -H "Authorization: Bearer $TOKEN"'
        f" '{url}/items?lat={CENTRE.lat}&lon={CENTRE.lon}&radiusKm=5'",
        flush=True,
    )


if __name__ == "__main__":
    sys.exit(main())
