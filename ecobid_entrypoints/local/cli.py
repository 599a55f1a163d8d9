"""The ``ecobid`` command."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from collections.abc import Callable, Sequence
from contextlib import ExitStack, suppress
from pathlib import Path

from ecobid_adapters.aws.settings import AwsSettings
from ecobid_entrypoints import logs
from ecobid_entrypoints.api.limits import DEFAULT_RATE
from ecobid_entrypoints.container import Container, build_container, deliver_in_process
from ecobid_entrypoints.cost.bill import estimate
from ecobid_entrypoints.cost.render import FORMATS, scales_markdown
from ecobid_entrypoints.cost.usage import UsageProfile
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
    serve.add_argument(
        "--rate-limit",
        type=float,
        default=DEFAULT_RATE,
        metavar="N",
        help=f"requests a second per user, then 429 (default {DEFAULT_RATE:g}; 0: no limit)",
    )
    cost = commands.add_parser("cost", help="monthly AWS cost for a usage profile")
    cost.add_argument(
        "--mau",
        type=int,
        action="append",
        help="monthly active users (default: the profile's); give several to compare scales",
    )
    cost.add_argument("--profile", type=Path, help="usage profile, TOML or JSON")
    cost.add_argument("--format", choices=sorted(FORMATS), default="table")
    args = parser.parse_args(argv)
    if args.command == "cost":
        return _cost(args.profile, args.mau, args.format)

    logs.configure(logs.PlainFormatter(), args.log_level)
    # SIGTERM (a supervisor, `kill`, nox passing it on) stops like Ctrl-C: the server and
    # everything it started (the moto server) are closed before the process exits.
    # SIGINT is set too, not left to Python: a process started in the background of a
    # shell without job control (`./dev tests &`, a CI step) inherits SIGINT ignored, and
    # Python then installs no KeyboardInterrupt handler, so Ctrl-C would be dropped.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _interrupt)
    with suppress(KeyboardInterrupt), ExitStack() as cleanup:
        try:
            container = _container(args.backend, args.hold_hours, cleanup.callback)
        except (KeyError, ImportError) as error:
            print(f"ecobid serve --backend {args.backend}: {error}", file=sys.stderr)
            return 2
        server = LocalServer(container, args.host, args.port, rate_limit=args.rate_limit or None)
        cleanup.callback(server.stop)
        server.fire_schedules_every(1.0)
        print(f"EcoBid listening on {server.url} ({args.backend} backend)", flush=True)
        if not args.no_demo:
            _demo(container, server.url)
        server.serve_forever()
    return 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _cost(profile_file: Path | None, mau: list[int] | None, output: str) -> int:
    try:
        profile = UsageProfile() if profile_file is None else UsageProfile.from_file(profile_file)
        profiles = [profile.with_mau(n) for n in mau] if mau else [profile]
    except (OSError, ValueError, TypeError) as error:
        print(f"ecobid cost: {error}", file=sys.stderr)
        return 2
    if len(profiles) > 1:
        print(scales_markdown([estimate(p) for p in profiles]))
    else:
        print(FORMATS[output](estimate(profiles[0])))
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
