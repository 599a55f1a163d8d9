"""``./dev package``: the Lambda artifacts Terraform deploys, in ``dist/lambda/``.

- ``code.zip``: the project's three packages (no tests, caches or C sources);
- ``layer-<name>.zip``: each dependency layer the functions name;
- ``manifest.json``: runtime, architecture, and per function its handler, memory,
  timeout, code zip, layers and the access its policy grants;
- ``table.json`` and ``openapi.json.tftpl``: what Terraform builds the table and the
  REST API from (see ``deploy.generated``).

Run ``python -m deploy.package [out_dir]``.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from deploy import generated, layers
from deploy.functions import LambdaFunction, normalise, project_functions, wiring
from deploy.zips import files_under, write_zip
from ecobid_adapters.aws.dynamodb.outbox import stream_filter_pattern

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("ecobid_core", "ecobid_adapters", "ecobid_entrypoints")
DEFAULT_OUT = ROOT / "dist" / "lambda"
CODE_ZIP = "code.zip"


def build_code(out_dir: Path, root: Path = ROOT) -> Path:
    entries = [
        (f"{package}/{path.as_posix()}", root / package / path)
        for package in PACKAGES
        for path in files_under(root / package)
    ]
    return write_zip(out_dir / CODE_ZIP, entries)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def manifest(functions: Sequence[LambdaFunction], zips: Mapping[str, Path]) -> dict[str, Any]:
    return {
        "runtime": layers.RUNTIME,
        "architecture": layers.ARCHITECTURE,
        "code": CODE_ZIP,
        "wiring": wiring(functions),
        # The stream consumer's filter, from the adapter that writes the outbox records.
        "stream_filter": json.dumps(stream_filter_pattern(), sort_keys=True),
        "layers": {
            name: {"zip": path.name, "sha256": _sha256(path)} for name, path in zips.items()
        },
        "functions": {
            function.name: {
                "handler": function.handler,
                "memory": function.memory,
                "timeout": function.timeout,
                "code": CODE_ZIP,
                "layers": list(function.layers),
                "access": list(function.access),
            }
            for function in functions
        },
    }


def build(
    functions: Iterable[Any],
    out_dir: Path = DEFAULT_OUT,
    wheels: Mapping[str, Sequence[Path]] | None = None,
) -> dict[str, Any]:
    """Build everything into ``out_dir``; answers the manifest.

    ``wheels`` gives each layer's wheels; by default they are downloaded for the target
    runtime.
    """
    table = normalise(functions)
    needed = sorted({layer for function in table for layer in function.layers})
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.glob("layer-*.zip"):
        stale.unlink()
    build_code(out_dir)
    with tempfile.TemporaryDirectory() as work:
        if wheels is None:
            wheels = layers.fetch_layers(needed, Path(work) / "wheels")
        zips = {
            name: layers.build_layer(name, wheels[name], Path(work) / "layers", out_dir)
            for name in needed
        }
    built = manifest(table, zips)
    (out_dir / "manifest.json").write_text(json.dumps(built, indent=2, sort_keys=True) + "\n")
    generated.write(out_dir)
    return built


def sizes(out_dir: Path, built: Mapping[str, Any]) -> dict[str, int]:
    """Bytes each function deploys zipped: the code plus its layers."""
    code = (out_dir / built["code"]).stat().st_size
    return {
        name: code
        + sum((out_dir / built["layers"][layer]["zip"]).stat().st_size for layer in spec["layers"])
        for name, spec in built["functions"].items()
    }


def main(argv: Sequence[str] = sys.argv[1:]) -> None:
    out_dir = Path(argv[0]) if argv else DEFAULT_OUT
    built = build(project_functions(), out_dir)
    for name, size in sorted(sizes(out_dir, built).items()):
        layers = ", ".join(built["functions"][name]["layers"])
        print(f"{name:28} {size / 1024:9.1f} KB  layers: {layers}")
    print(f"built {len(built['functions'])} functions into {out_dir}")


if __name__ == "__main__":
    main()
