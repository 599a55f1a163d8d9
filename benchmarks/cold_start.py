"""Cold invocations: each Lambda function in a fresh process, against a local moto server.

A run starts a fresh interpreter that imports the function's entry module, builds, and
handles one real event (``cold_events``); its CPU (user + system, ``getrusage`` in the
child, interpreter start included) and wall time are compared with a fresh process that
only does ``import boto3; boto3.client("dynamodb")`` and one ``GetItem`` against the
same server: the floor no Python function with boto3 gets under. Runs alternate between
the baseline and the functions, and each figure is the median of ``RUNS``.

The memory rows scale each cold CPU figure to the function's configured memory
(``cpu_share``: CPU share = memory / 1,769 MB) and hold it to half the function's timeout;
``GetItems`` also answers its search again in the same process, warm, and that page is held
to 1 s at its memory. The bench's search is the sparse case (a few items around the
point in a 5 km radius), which sends the most queries of any page.

The children cannot import what the Lambda layers do not hold but this virtualenv does
(for moto): dependency-injector imports its optional integrations (pydantic, PyYAML,
Werkzeug, ...) whenever it finds them, which no deployed function would pay for.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from typing import Any

from benchmarks.cold_events import seed
from ecobid_entrypoints.functions.catalog import FUNCTIONS, by_name
from ecobid_entrypoints.functions.cpu_share import at_memory, memory_for

RUNS = 3
GOAL = 1.15
#: A cold invocation must end within this share of its timeout at its memory.
COLD_SHARE_OF_TIMEOUT = 0.5
#: A warm nearby page must take at most this long at the function's memory.
WARM_PAGE_MS = 1000.0
#: Functions answered again, warm, in their cold child: (name, times).
WARM = {"GetItems": 3}
# moto has no Rekognition DetectModerationLabels, which processing a photo calls; the
# photos section prices that function's decoding against its own baseline instead.
NOT_ON_MOTO = {"ProcessImageUpload"}

_ABSENT = (
    "pydantic",
    "pydantic_core",
    "pydantic_settings",
    "yaml",
    "werkzeug",
    "flask",
    "fastapi",
    "fast_depends",
    "starlette",
)
_LAYER_ONLY = f"""
import sys
ABSENT = {_ABSENT!r}
class _Absent:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ABSENT:
            raise ImportError(name)
sys.meta_path.insert(0, _Absent())
"""
_REPORT = """
import resource
usage = resource.getrusage(resource.RUSAGE_SELF)
cold_cpu = usage.ru_utime + usage.ru_stime
warm = []
for _ in range(int(sys.argv[2]) if len(sys.argv) > 2 else 0):
    before = resource.getrusage(resource.RUSAGE_SELF)
    again = getattr(importlib.import_module(module), name)(event, None)
    after = resource.getrusage(resource.RUSAGE_SELF)
    ok = ok and again.get('statusCode') == 200
    warm.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
print(json.dumps({"cpu": cold_cpu, "warm": warm, "ok": ok}))
"""
_FUNCTION = (
    _LAYER_ONLY
    + """
import importlib, json
event = json.loads(sys.stdin.read())
module, _, name = sys.argv[1].rpartition('.')
reply = getattr(importlib.import_module(module), name)(event, None)
ok = (200 <= reply.get('statusCode', 200) < 300 and not reply.get('batchItemFailures')
      and not {'dropped', 'rejected', 'failed'} & set(reply))
"""
    + _REPORT
)
_BASELINE = (
    """
import json, os, sys, boto3
module = name = event = importlib = None
client = boto3.client("dynamodb", endpoint_url=os.environ["ECOBID_AWS_ENDPOINT_URL"])
client.get_item(TableName=sys.argv[1], Key={"PK": {"S": "ITEM#none"}, "SK": {"S": "ITEM"}})
ok = True
"""
    + _REPORT
)


def _child(
    code: str, arg: str, env: dict[str, str], event: Any = None, warm: int = 0
) -> tuple[float, float, list[float]]:
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603 - this interpreter, our own code
        [sys.executable, "-c", code, arg, str(warm)],
        input=json.dumps(event),
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    if done.returncode:
        raise RuntimeError(f"{arg} failed in its cold run:\n{done.stderr[-3000:]}")
    wall = time.perf_counter() - started
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if not result["ok"]:
        raise RuntimeError(f"{arg} did not succeed in the cold run:\n{done.stderr[-2000:]}")
    return result["cpu"] * 1000, wall * 1000, [w * 1000 for w in result["warm"]]


def _environment(settings: Any) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", ""),
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": settings.region,
        "ECOBID_BACKEND": "aws",
        "AWS_LAMBDA_FUNCTION_NAME": "bench",
        **settings.to_env(),
    }


def memory_rows(cpu: dict[str, float], warm: dict[str, float]) -> list[dict[str, Any]]:
    """Each function's cold CPU at its configured memory against half its timeout, and
    each warm page against 1 s; the note names the memory that would fit."""
    rows = []
    cases = [(name, "cold", ms) for name, ms in cpu.items()]
    cases += [(name, "warm nearby page", ms) for name, ms in warm.items()]
    for name, kind, ms in cases:
        function = by_name(name)
        budget = (
            function.timeout_s * 1000 * COLD_SHARE_OF_TIMEOUT if kind == "cold" else WARM_PAGE_MS
        )
        scaled = at_memory(ms, function.memory_mb)
        verdict = "fits" if scaled <= budget else "misses"
        rows.append(
            {
                "section": "memory",
                "case": f"{name} {kind} at {function.memory_mb} MB",
                "figure": scaled,
                "unit": "ms",
                "baseline": budget,
                "note": f"{verdict}; {ms:,.0f} ms CPU x 1769/{function.memory_mb}; fits from "
                f"{memory_for(ms, budget)} MB; baseline = "
                + ("half the timeout" if kind == "cold" else "the 1 s goal"),
            }
        )
    return rows


def _rows(cpu: dict[str, list[float]], wall: dict[str, list[float]]) -> list[dict[str, Any]]:
    floor_cpu = statistics.median(cpu.pop("baseline"))
    floor_wall = statistics.median(wall.pop("baseline"))
    rows = []
    for name in cpu:
        figure = statistics.median(cpu[name])
        verdict = "meets" if figure <= GOAL * floor_cpu else "misses"
        rows.append(
            {
                "section": "cold start",
                "case": f"{name} CPU",
                "figure": figure,
                "unit": "ms",
                "baseline": floor_cpu,
                "note": f"{verdict} the {GOAL}x goal; median of {RUNS}",
            }
        )
        rows.append(
            {
                "section": "cold start",
                "case": f"{name} wall",
                "figure": statistics.median(wall[name]),
                "unit": "ms",
                "baseline": floor_wall,
                "note": f"median of {RUNS}",
            }
        )
    return rows


def measure() -> list[dict[str, Any]]:
    from ecobid_entrypoints.container import build_container
    from ecobid_entrypoints.local.moto_backend import MotoServer, provision_moto

    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}.items():
        os.environ.setdefault(name, value)
    server = MotoServer().start()
    try:
        settings = provision_moto(server.endpoint_url, env="bench")
        app = build_container("aws", aws_settings=settings)
        env = _environment(settings)
        cpu: dict[str, list[float]] = {}
        wall: dict[str, list[float]] = {}
        warm: dict[str, list[float]] = {}
        for _ in range(RUNS):
            events = seed(app, settings)
            runs = [("baseline", _BASELINE, settings.table, None)] + [
                (f.name, _FUNCTION, f.handler, events[f.name])
                for f in FUNCTIONS
                if f.name not in NOT_ON_MOTO
            ]
            for name, code, arg, event in runs:
                spent, took, again = _child(code, arg, env, event, WARM.get(name, 0))
                cpu.setdefault(name, []).append(spent)
                wall.setdefault(name, []).append(took)
                warm.setdefault(name, []).extend(again)
        medians = {name: statistics.median(f) for name, f in cpu.items() if name != "baseline"}
        warm_medians = {name: statistics.median(f) for name, f in warm.items() if f}
        return _rows(cpu, wall) + memory_rows(medians, warm_medians)
    finally:
        server.stop()


if __name__ == "__main__":
    from benchmarks.report import print_rows

    print_rows(measure())
