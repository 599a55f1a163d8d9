"""``./dev deploy-local``: the prod root applied to a moto server, as CI's test does.

    python -m deploy.local            build, start moto, apply, print the API's resources
    python -m deploy.local --destroy  destroy what was applied, stop moto

moto keeps its state in memory, so its server runs in a process of its own that outlives
the first command; Terraform's state and the server's pid and endpoint stay in
``.deploy-local/``. ``--destroy`` stops the server only once the state is empty; if the
server is gone already, what it held went with it and only the local state is removed.
Terraform's whole output is in ``dist/deploy-local/terraform.log`` (a failure names it).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from deploy.functions import project_functions
from deploy.package import DEFAULT_OUT, ROOT, build
from deploy.terraform import Terraform, TerraformFailed, local_root

REGION = "eu-central-1"


def emulator_variables(endpoint: str, package_dir: Path) -> dict[str, str]:
    """The prod root's variables for a throw-away deployment on an emulator."""
    return {
        "aws_endpoint": endpoint,
        "region": REGION,
        "package_dir": str(package_dir.resolve()),
        "protect_data": "false",
    }


#: moto's answer to a CreateFunction for a name it holds already.
_FUNCTION_EXISTS = re.compile(r"ResourceConflictException:\s+Function already exist:\s+([\w-]+)")


def apply_retrying_conflicting_creates(
    terraform: Terraform,
    variables: Mapping[str, str],
    delete_functions: Callable[[list[str]], object],
) -> None:
    """Apply; if moto refused a function as existing already, delete it and apply once more.

    Under load the provider's SDK retries a CreateFunction whose first attempt moto carried
    out but answered too late (or on a connection that broke): moto answers the retry 409
    "Function already exist", and the apply fails with a function in moto that is not in
    Terraform's state, so a plain second apply would fail the same way. The function the
    first attempt made goes, and the apply, which creates it again, runs once more.
    """
    try:
        terraform.apply(variables)
    except TerraformFailed as failed:
        existing = sorted(set(_FUNCTION_EXISTS.findall(failed.output)))
        if not existing:
            raise
        print(f"moto refused a retried create of {', '.join(existing)}; applying once more")
        delete_functions(existing)
        terraform.apply(variables)


class LocalDeployment:
    """The prod root applied to the emulator at ``endpoint`` from a copy in ``workdir``;
    Terraform's CLI config and log go to ``files`` (``workdir`` unless named)."""

    def __init__(
        self,
        endpoint: str,
        package_dir: Path,
        workdir: Path,
        *,
        files: Path | None = None,
        required: bool = False,
    ):
        for name, value in {"AWS_ACCESS_KEY_ID": "moto", "AWS_SECRET_ACCESS_KEY": "moto"}.items():
            os.environ.setdefault(name, value)
        self.endpoint = endpoint
        self.variables = emulator_variables(endpoint, package_dir)
        self.terraform = Terraform(
            local_root(ROOT / "terraform", workdir), files=files or workdir, required=required
        )

    def apply(self) -> dict[str, Any]:
        # The committed lock file decides the provider: a mismatch fails, never rewrites it.
        self.terraform.init("-lockfile=readonly")
        apply_retrying_conflicting_creates(self.terraform, self.variables, self._delete_functions)
        return self.terraform.outputs()

    def destroy(self) -> list[str]:
        """Destroy it all; answers what the state still holds (nothing, when it worked)."""
        self.terraform.destroy(self.variables)
        return self.terraform.state_list()

    def _delete_functions(self, names: list[str]) -> None:
        import boto3

        client = boto3.client("lambda", endpoint_url=self.endpoint, region_name=REGION)
        for name in names:
            client.delete_function(FunctionName=name)


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
#: Terraform's CLI config and whole output (``terraform.log``), kept after ``--destroy``.
LOG_DIR = ROOT / "dist" / "deploy-local"
#: Where the server started by the first command is: its pid and endpoint.
SERVER_FILE = "moto.json"
PORT = int(os.environ.get("ECOBID_MOTO_PORT", "5055"))


def _answers(endpoint: str) -> bool:
    try:
        urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1)  # noqa: S310 - our server
    except OSError:
        return False
    return True


def _start_moto(state_dir: Path, port: int) -> tuple[int, str]:
    """A moto server in its own process, outliving this command (until ``--destroy``)."""
    endpoint = f"http://127.0.0.1:{port}"
    if _answers(endpoint):
        raise SystemExit(f"something already answers at {endpoint}; set ECOBID_MOTO_PORT")
    log = (state_dir / "moto.log").open("ab")
    process = subprocess.Popen(  # noqa: S603 - our interpreter, fixed arguments
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    for _ in range(100):
        if _answers(endpoint):
            return process.pid, endpoint
        time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"moto did not start on port {port}; see {state_dir / 'moto.log'}")


def up(
    skip_build: bool, state_dir: Path = STATE_DIR, port: int = PORT, log_dir: Path = LOG_DIR
) -> None:
    server_file = state_dir / SERVER_FILE
    if server_file.exists():
        endpoint = json.loads(server_file.read_text())["endpoint"]
        raise SystemExit(f"already deployed at {endpoint}; ./dev deploy-local -- --destroy first")
    state_dir.mkdir(exist_ok=True)
    if not skip_build or not (DEFAULT_OUT / "manifest.json").exists():
        build(project_functions(), DEFAULT_OUT)
    pid, endpoint = _start_moto(state_dir, port)
    server_file.write_text(json.dumps({"pid": pid, "endpoint": endpoint}))
    (log_dir / "terraform.log").unlink(missing_ok=True)
    try:
        outputs = LocalDeployment(endpoint, DEFAULT_OUT, state_dir, files=log_dir).apply()
    except TerraformFailed as failed:
        raise SystemExit(
            f"{failed}\n\nThe whole log: {_shown(failed.log)}\n"
            "./dev deploy-local -- --destroy undoes what it made and stops moto"
        ) from None
    print(f"moto endpoint: {endpoint}")
    for name, value in outputs.items():
        print(f"{name}: {value}")
    print("API resources:")
    for line in describe_api(endpoint, outputs["api_id"]):
        print(f"  {line}")
    print("./dev deploy-local -- --destroy removes it all and stops moto")


def down(state_dir: Path = STATE_DIR, log_dir: Path = LOG_DIR) -> None:
    server_file = state_dir / SERVER_FILE
    if not server_file.exists():
        raise SystemExit("nothing deployed locally")
    server = json.loads(server_file.read_text())
    if not _answers(server["endpoint"]):
        # moto keeps everything in memory: what was deployed went with the server.
        shutil.rmtree(state_dir)
        print(f"moto no longer answers at {server['endpoint']}; removed the local state")
        return
    try:
        left = LocalDeployment(server["endpoint"], DEFAULT_OUT, state_dir, files=log_dir).destroy()
    except TerraformFailed as failed:
        raise SystemExit(f"{failed}\n\nThe whole log: {_shown(failed.log)}") from None
    if left:
        raise SystemExit(
            f"terraform destroy left {', '.join(left)}; moto still runs at {server['endpoint']}"
        )
    os.kill(server["pid"], signal.SIGTERM)
    shutil.rmtree(state_dir)
    print("destroyed; moto stopped")


def _shown(path: Path) -> str:
    """``path`` from the working directory when it is below it (the checkout, usually)."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description="Deploy terraform/envs/prod to a local moto server."
    )
    parser.add_argument("--destroy", action="store_true", help="destroy it and stop moto")
    parser.add_argument("--skip-build", action="store_true", help="reuse dist/lambda")
    args = parser.parse_args(argv)
    if args.destroy and args.skip_build:
        parser.error("--skip-build applies to a deployment, not to --destroy")
    down() if args.destroy else up(args.skip_build)


if __name__ == "__main__":
    main()
