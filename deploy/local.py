"""``./dev deploy-local``: the prod root applied to a moto server, as CI's test does.

    python -m deploy.local            build, start moto, apply, print the API's resources
    python -m deploy.local --destroy  destroy what was applied, stop moto

moto keeps its state in memory, so its server runs in a process of its own that outlives
the first command; Terraform's state and the server's pid stay in ``.deploy-local/``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from deploy.functions import project_functions
from deploy.package import DEFAULT_OUT, ROOT, build
from deploy.terraform import Terraform, local_root

REGION = "eu-central-1"


def emulator_variables(endpoint: str, package_dir: Path) -> dict[str, str]:
    """The prod root's variables for a throw-away deployment on an emulator."""
    return {
        "aws_endpoint": endpoint,
        "region": REGION,
        "package_dir": str(package_dir.resolve()),
        "protect_data": "false",
    }


class LocalDeployment:
    """The prod root applied to the emulator at ``endpoint`` from a copy in ``workdir``."""

    def __init__(self, endpoint: str, package_dir: Path, workdir: Path, *, required: bool = False):
        for name, value in {"AWS_ACCESS_KEY_ID": "moto", "AWS_SECRET_ACCESS_KEY": "moto"}.items():
            os.environ.setdefault(name, value)
        self.variables = emulator_variables(endpoint, package_dir)
        self.terraform = Terraform(local_root(ROOT / "terraform", workdir), required=required)

    def apply(self) -> dict[str, Any]:
        self.terraform.init()
        self.terraform.apply(self.variables)
        return self.terraform.outputs()

    def destroy(self) -> None:
        self.terraform.destroy(self.variables)
        self.terraform.close()


def describe_api(endpoint: str, api_id: str) -> list[str]:
    import boto3

    client = boto3.client("apigateway", endpoint_url=endpoint, region_name=REGION)
    resources = client.get_resources(restApiId=api_id, limit=500)["items"]
    return sorted(
        f"{method:7} {resource['path']}"
        for resource in resources
        for method in resource.get("resourceMethods", {})
    )


STATE_DIR = ROOT / ".deploy-local"
PORT = int(os.environ.get("ECOBID_MOTO_PORT", "5055"))


def _endpoint() -> str:
    return f"http://127.0.0.1:{PORT}"


def _start_moto() -> int:
    """A moto server in its own process, outliving this command (until ``--destroy``)."""
    log = (STATE_DIR / "moto.log").open("ab")
    process = subprocess.Popen(  # noqa: S603 - our interpreter, fixed arguments
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(PORT)],
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{_endpoint()}/moto-api/", timeout=1)  # noqa: S310
            break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        raise RuntimeError(f"moto did not start on port {PORT}; see {STATE_DIR / 'moto.log'}")
    (STATE_DIR / "moto.pid").write_text(str(process.pid))
    return process.pid


def up(skip_build: bool) -> None:
    if (STATE_DIR / "moto.pid").exists():
        raise SystemExit(
            f"already deployed at {_endpoint()}; ./dev deploy-local -- --destroy first"
        )
    STATE_DIR.mkdir(exist_ok=True)
    if not skip_build or not (DEFAULT_OUT / "manifest.json").exists():
        build(project_functions(), DEFAULT_OUT)
    _start_moto()
    deployment = LocalDeployment(_endpoint(), DEFAULT_OUT, STATE_DIR)
    outputs = deployment.apply()
    print(f"moto endpoint: {_endpoint()}")
    for name, value in outputs.items():
        print(f"{name}: {value}")
    print("API resources:")
    for line in describe_api(_endpoint(), outputs["api_id"]):
        print(f"  {line}")
    print("./dev deploy-local -- --destroy removes it all and stops moto")


def down() -> None:
    pid_file = STATE_DIR / "moto.pid"
    if not pid_file.exists():
        raise SystemExit("nothing deployed locally")
    LocalDeployment(_endpoint(), DEFAULT_OUT, STATE_DIR).destroy()
    os.kill(int(pid_file.read_text()), signal.SIGTERM)
    shutil.rmtree(STATE_DIR)
    print("destroyed; moto stopped")


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Deploy terraform/envs/prod to a local moto server."
    )
    parser.add_argument("--destroy", action="store_true", help="destroy it and stop moto")
    parser.add_argument("--skip-build", action="store_true", help="reuse dist/lambda")
    args = parser.parse_args()
    down() if args.destroy else up(args.skip_build)


if __name__ == "__main__":
    main()
