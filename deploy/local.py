"""``./dev deploy-local``: the prod root applied to a moto server, as CI's test does.

    python -m deploy.local            start moto, build, apply, print the API, wait
    python -m deploy.local --destroy  (in the same session: Ctrl-C) destroy, then stop

moto keeps its state in memory, so the deployment lives as long as this process: it
applies, prints what was created, waits for Ctrl-C, then destroys and stops.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path
from typing import Any

from deploy.package import DEFAULT_OUT, ROOT, build
from deploy.functions import project_functions
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-build", action="store_true", help="reuse dist/lambda")
    args = parser.parse_args()

    from ecobid_entrypoints.local.moto_backend import MotoServer

    server = MotoServer().start()
    try:
        if not args.skip_build or not (DEFAULT_OUT / "manifest.json").exists():
            build(project_functions(), DEFAULT_OUT)
        with tempfile.TemporaryDirectory(prefix="ecobid-deploy-") as workdir:
            deployment = LocalDeployment(server.endpoint_url, DEFAULT_OUT, Path(workdir))
            outputs = deployment.apply()
            print(f"moto endpoint: {server.endpoint_url}")
            for name, value in outputs.items():
                print(f"{name}: {value}")
            print("API resources:")
            for line in describe_api(server.endpoint_url, outputs["api_id"]):
                print(f"  {line}")
            try:
                input("deployed; press Enter (or Ctrl-C) to destroy and stop\n")
            except (KeyboardInterrupt, EOFError):
                pass
            deployment.destroy()
            print("destroyed")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
