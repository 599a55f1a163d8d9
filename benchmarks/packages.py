"""Zipped size of each Lambda function's code plus its layers (the runtime's boto3
excluded): what ``./dev package`` builds for python3.12 on arm64."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from deploy.functions import project_functions
from deploy.package import build, sizes
from ecobid_entrypoints.api.routes import ROUTES

#: The goal for an API function (code plus layers, zipped).
API_GOAL_KB = 1.5 * 1024
API_FUNCTIONS = {route.name for route in ROUTES}


def measure(out_dir: Path | None = None) -> list[dict[str, Any]]:
    """One row per function: KB zipped of code plus layers, and which layers."""
    with tempfile.TemporaryDirectory() as scratch:
        target = out_dir or Path(scratch)
        built = build(project_functions(), target)
        found = sizes(target, built)
    rows = []
    for name, size in sorted(found.items()):
        layers = built["functions"][name]["layers"]
        kilobytes = round(size / 1024, 1)
        note = f"code + {', '.join(layers) or 'no layers'}"
        if name in API_FUNCTIONS and kilobytes > API_GOAL_KB:
            note += f"; {kilobytes / API_GOAL_KB:.1f}x the 1.5 MB goal"
        rows.append(
            {
                "section": "packages",
                "case": name,
                "figure": kilobytes,
                "unit": "KB",
                "baseline": None,
                "note": note,
            }
        )
    return rows


if __name__ == "__main__":
    for row in measure():
        print(f"{row['case']:28} {row['figure']:9.1f} KB  {row['note']}")
