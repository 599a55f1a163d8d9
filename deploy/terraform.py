"""Running Terraform here and in CI: the offline provider mirror, found at run time.

Where no registry is reachable the AWS provider comes from a filesystem mirror (a
``registry.terraform.io/hashicorp/aws/<version>/<platform>/`` tree). ``ECOBID_TF_PLUGIN_DIR``
names its root; otherwise a few well-known plugin roots are searched. With a mirror, a
CLI config file pointing at it is written and named by ``TF_CLI_CONFIG_FILE``; without
one Terraform uses the registry as usual, unless ``required`` says a mirror must be
there (CI, where nothing else is reachable).
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

MIRROR_ENV = "ECOBID_TF_PLUGIN_DIR"
_PROVIDER = Path("registry.terraform.io/hashicorp/aws")

#: Where mirrors and plugin caches usually live: system-wide and per-user roots that
#: Terraform itself reads implicitly, and /opt or /usr/local trees images preinstall.
_CANDIDATE_ROOTS = (
    "/opt/*",
    "/usr/local/share/terraform/plugins",
    "/usr/share/terraform/plugins",
    "~/.terraform.d/plugins",
    "~/.local/share/terraform/plugins",
    "~/.terraform.d/plugin-cache",
)


class ToolMissing(RuntimeError):
    """Terraform, or the provider mirror it needs here, is not on this machine."""


def find_mirror(environ: Mapping[str, str] = os.environ) -> Path | None:
    """The root of a filesystem mirror holding the AWS provider, or None."""
    named = environ.get(MIRROR_ENV)
    if named:
        root = Path(named).expanduser()
        if not (root / _PROVIDER).is_dir():
            raise ToolMissing(f"{MIRROR_ENV}={named} holds no {_PROVIDER} tree")
        return root
    for pattern in _CANDIDATE_ROOTS:
        for candidate in sorted(glob.glob(os.path.expanduser(pattern))):
            if (Path(candidate) / _PROVIDER).is_dir():
                return Path(candidate)
    return None


def terraform_binary() -> str:
    found = shutil.which("terraform")
    if not found:
        raise ToolMissing("terraform is not on PATH")
    return found


def cli_config(mirror: Path, directory: Path) -> Path:
    """A CLI config that installs providers from ``mirror`` only."""
    path = directory / "terraform.rc"
    path.write_text(
        "provider_installation {\n"
        f"  filesystem_mirror {{\n    path = {json.dumps(str(mirror))}\n  }}\n"
        "}\n"
    )
    return path


class TerraformFailed(RuntimeError):
    """A Terraform command that failed: its whole output, and the log that keeps it."""

    def __init__(self, command: str, output: str, log: Path) -> None:
        self.command = command
        self.output = output
        self.log = log
        super().__init__(f"terraform {command} failed (full log: {log}):\n{output[-4000:]}")


class Terraform:
    """Terraform in one working directory, with the mirror set up if there is one.

    ``files`` is a directory the caller names and owns (nothing is made elsewhere): it
    gets the CLI config for the mirror and ``terraform.log``, every command's whole
    output, appended, for when the tail in an error is not enough.
    """

    def __init__(self, workdir: Path, *, files: Path, required: bool = False) -> None:
        self.workdir = workdir
        self.binary = terraform_binary()
        files.mkdir(parents=True, exist_ok=True)
        self.log = files / "terraform.log"
        self.env = {**os.environ, "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1"}
        mirror = find_mirror()
        if mirror is not None:
            self.env["TF_CLI_CONFIG_FILE"] = str(cli_config(mirror, files))
        elif required:
            raise ToolMissing(f"no AWS provider mirror found; set {MIRROR_ENV}")

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(  # noqa: S603 - terraform from PATH, our own arguments
            [self.binary, f"-chdir={self.workdir}", *args],
            env=self.env,
            capture_output=True,
            text=True,
        )
        output = result.stdout + result.stderr
        command = " ".join(args)
        with self.log.open("a") as log:
            log.write(f"$ terraform {command}  (exit {result.returncode})\n{output}\n")
        if check and result.returncode != 0:
            raise TerraformFailed(command, output, self.log)
        return result

    def init(self, *extra: str) -> None:
        self.run("init", "-input=false", "-no-color", *extra)

    def apply(self, variables: Mapping[str, str], *extra: str) -> None:
        self.run("apply", "-auto-approve", "-input=false", "-no-color", *_vars(variables), *extra)

    def destroy(self, variables: Mapping[str, str]) -> None:
        self.run("destroy", "-auto-approve", "-input=false", "-no-color", *_vars(variables))

    def outputs(self) -> dict[str, Any]:
        raw = json.loads(self.run("output", "-json").stdout)
        return {name: entry["value"] for name, entry in raw.items()}

    def state_list(self) -> list[str]:
        """The address of every resource in the state."""
        return self.run("state", "list").stdout.split()

    def plan(self, variables: Mapping[str, str], out: str, *extra: str, check: bool = True) -> str:
        """Plan into the file ``out`` (in the working directory); answers the output,
        which names a failed validation when ``check`` is False."""
        result = self.run(
            "plan",
            "-input=false",
            "-no-color",
            f"-out={out}",
            *_vars(variables),
            *extra,
            check=check,
        )
        return result.stdout + result.stderr

    def show(self, plan_file: str | None = None) -> dict[str, Any]:
        """The state, or the plan in ``plan_file``, as JSON."""
        args = ("show", "-json", *([plan_file] if plan_file else []))
        return json.loads(self.run(*args).stdout)  # type: ignore[no-any-return]


def _vars(variables: Mapping[str, str]) -> Sequence[str]:
    return [arg for name, value in variables.items() for arg in ("-var", f"{name}={value}")]


def local_root(terraform_dir: Path, into: Path) -> Path:
    """A copy of the Terraform tree whose prod root keeps its state in ``into`` (for an
    emulator): the S3 backend is replaced by an override file, the checkout stays clean."""
    shutil.copytree(
        terraform_dir,
        into / "terraform",
        dirs_exist_ok=True,
        ignore=shutil.ignore_patterns(".terraform", "*.tfstate*"),
    )
    root = into / "terraform" / "envs" / "prod"
    state = json.dumps(str(into / "terraform.tfstate"))
    (root / "local_backend_override.tf").write_text(
        f'terraform {{\n  backend "local" {{\n    path = {state}\n  }}\n}}\n'
    )
    return root
