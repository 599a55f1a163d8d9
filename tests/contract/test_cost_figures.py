"""The cost model's per-operation figures are the code's: measured again, they match.

``ecobid_entrypoints/cost/measured.json`` is written by ``python -m benchmarks.operations
--write``. A change that makes any operation read, write or call DynamoDB differently, or
emit other events, fails here until the figures (and so ``ecobid cost``) are made again.
CPU milliseconds are left out: they vary from run to run.
"""

from __future__ import annotations

import uuid
from typing import Any

from benchmarks.operations import aws_container, dynamodb_figures
from ecobid_entrypoints.cost.model import load_measured


def _without_cpu(figures: dict[str, Any]) -> dict[str, Any]:
    return {name: {k: v for k, v in f.items() if k != "cpuMs"} for name, f in figures.items()}


def test_the_stored_figures_match_a_fresh_measurement(moto_endpoint: str) -> None:
    container = aws_container(moto_endpoint, env=f"cost{uuid.uuid4().hex[:8]}")
    fresh = dynamodb_figures(container)
    assert _without_cpu(fresh) == _without_cpu(dict(load_measured()))
