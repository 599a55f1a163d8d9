"""A function's first request body, in a fresh process: the fast check against jsonschema.

Each child imports ``api.validation`` and checks one valid body: through ``parse_body``
(fastjsonschema compiles the body's schema; jsonschema is never imported) or, as the
baseline, through jsonschema's validator of the same schema, as ``parse_body`` did
before. Only that step's CPU counts (``time.process_time`` in the child), not the
interpreter's start; the two take turns, and each figure is the median of ``RUNS``.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from typing import Any

RUNS = 15
BODIES = {
    "CreateItemRequest": {
        "title": "Oak table",
        "category": "furniture",
        "type": "auction",
        "location": {"lat": 52.52, "lon": 13.405},
        "auction": {"startPrice": 100, "currency": "EUR", "endsAt": "2030-01-02T10:00:00Z"},
    },
    "PlaceBidRequest": {"amount": 1250},
    "AlertRequest": {"location": {"lat": 52.52, "lon": 13.405}, "radiusKm": 2},
}
_CHILD = """
import json, sys, time
schema, body = sys.argv[1], sys.argv[2]
started = time.process_time()
if sys.argv[3] == "fast":
    from ecobid_entrypoints.api.validation import parse_body
    parse_body(body, schema)
else:
    from ecobid_entrypoints.api.validation import full_validator
    assert not list(full_validator(schema).iter_errors(json.loads(body)))
print(json.dumps({"cpu": time.process_time() - started, "jsonschema": "jsonschema" in sys.modules}))
"""


def _child(schema: str, body: str, way: str) -> tuple[float, bool]:
    done = subprocess.run(  # noqa: S603 - this interpreter, our own code
        [sys.executable, "-c", _CHILD, schema, body, way],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result["cpu"] * 1000, result["jsonschema"]


def measure() -> list[dict[str, Any]]:
    rows = []
    for schema, body in BODIES.items():
        text = json.dumps(body)
        spent: dict[str, list[float]] = {"fast": [], "jsonschema": []}
        imported = False
        for _ in range(RUNS):
            for way in spent:
                cpu, loaded = _child(schema, text, way)
                spent[way].append(cpu)
                imported |= way == "fast" and loaded
        note = f"median of {RUNS} fresh processes each, taking turns; baseline: jsonschema"
        if imported:
            note += "; jsonschema was imported on the fast path"
        rows.append(
            {
                "section": "first body",
                "case": f"{schema}: import the checks and pass a valid body, CPU",
                "figure": statistics.median(spent["fast"]),
                "baseline": statistics.median(spent["jsonschema"]),
                "unit": "ms",
                "note": note,
            }
        )
    return rows


if __name__ == "__main__":
    from benchmarks.report import print_rows

    print_rows(measure())
