"""Dependency layers: wheels for the Lambda runtime (not this machine), unpacked into a
layer's ``python/`` folder.

Target: Python 3.12 on arm64 (Graviton). arm64 costs about 20% less per GB-second than
x86_64 and the free tier's 400,000 GB-s go as far on either, so the same work costs less
once it is paid; every dependency here publishes manylinux aarch64 wheels for CPython
3.12, the newest runtime for which all of them do without a source build.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from collections.abc import Mapping, Sequence
from importlib import metadata
from pathlib import Path

from deploy.zips import files_under, write_zip

RUNTIME = "python3.12"
ARCHITECTURE = "arm64"
_PYTHON_VERSION = "3.12"
_PLATFORMS = ("manylinux2014_aarch64", "manylinux_2_28_aarch64")

#: The layers and the distributions each brings (their dependencies follow).
LAYERS: Mapping[str, Sequence[str]] = {
    "core": ("attrs", "cattrs", "dependency-injector", "fastjsonschema", "jsonschema"),
    # For code that verifies tokens itself; in AWS the API Gateway authorizer does.
    "auth": ("PyJWT[crypto]",),
    "images": ("Pillow",),
}

#: In the Lambda runtime already: shipping them again only grows the package.
IN_RUNTIME = {"boto3", "botocore", "s3transfer", "jmespath", "python_dateutil", "six", "urllib3"}


def pinned(requirement: str) -> str:
    """Pin to the version this environment tests with, where it has one."""
    name = requirement.split("[")[0]
    try:
        return f"{requirement}=={metadata.version(name)}"
    except metadata.PackageNotFoundError:
        return requirement


def download(requirements: Sequence[str], into: Path) -> list[Path]:
    """Wheels for the target runtime and their dependencies (pip reuses what is there)."""
    into.mkdir(parents=True, exist_ok=True)
    platforms = [arg for platform in _PLATFORMS for arg in ("--platform", platform)]
    subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--only-binary=:all:",
            *platforms,
            "--python-version",
            _PYTHON_VERSION,
            "--implementation",
            "cp",
            "--dest",
            str(into),
            *(pinned(requirement) for requirement in requirements),
        ],
        check=True,
    )
    return sorted(into.glob("*.whl"))


def _distribution(wheel: Path) -> str:
    return wheel.name.split("-")[0].lower()


def build_layer(name: str, wheels: Sequence[Path], work: Path, out_dir: Path) -> Path:
    """Unpack ``wheels`` (less what the runtime has) and zip them as ``layer-<name>.zip``."""
    root = work / name / "python"
    for wheel in wheels:
        if _distribution(wheel) in IN_RUNTIME:
            continue
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(root)
    entries = [(f"python/{path.as_posix()}", root / path) for path in files_under(root)]
    return write_zip(out_dir / f"layer-{name}.zip", entries)


def fetch_layers(layer_names: Sequence[str], cache: Path) -> dict[str, list[Path]]:
    """Each named layer's wheels, one download folder per layer."""
    return {name: download(LAYERS[name], cache / name) for name in layer_names}
