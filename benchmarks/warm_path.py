"""Warm path: time per in-process API call, and DynamoDB capacity units per operation.

Time: a warm ``ApiApp`` (container built, caller's profile known) handles the same proxy
event many times. On the memory backend the baseline is the floor any handler pays, a
JSON round trip of the same response body; on the moto backend it is one bare boto3
``GetItem`` of the same item against the same server, so the ratio says how many
DynamoDB round trips' worth of time an operation takes.

Capacity: every API operation and processor once on the DynamoDB adapter, as the cost
model measures them (``benchmarks.operations``): read and write units by DynamoDB's
sizing rules.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from typing import Any

from benchmarks.operations import Session, dynamodb_figures, moto_container
from ecobid_adapters.aws.dynamodb import codec, keys
from ecobid_entrypoints.container import build_container

Row = dict[str, Any]


def _median_us(run: Callable[[], object], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1e6)
    return statistics.median(samples)


def _timing_rows(session: Session, backend: str, baseline: Callable[[], object]) -> list[Row]:
    repeat = 400 if backend == "memory" else 60
    for user in ("seller", "bidder"):
        session.call(user, "GET", f"/users/{user}")  # profiles exist: the path is warm
    item_id = session.new_item("seller", auction=True)
    amounts = iter(range(200, 10_000_000, 1_000))
    cases = {
        "GET /items/{id}": lambda: session.call("bidder", "GET", f"/items/{item_id}"),
        "POST /items/{id}/bids": lambda: session.call(
            "bidder", "POST", f"/items/{item_id}/bids", {"amount": next(amounts)}
        ),
    }
    floor = _median_us(baseline, repeat)
    note = (
        "baseline: JSON round trip of the response"
        if backend == "memory"
        else "baseline: one bare boto3 GetItem on the same moto server"
    )
    return [
        {
            "section": "warm path",
            "case": f"{case} ({backend})",
            "figure": round(_median_us(run, repeat), 1),
            "unit": "µs",
            "baseline": round(floor, 1),
            "note": note,
        }
        for case, run in cases.items()
    ]


def _memory_rows() -> list[Row]:
    session = Session(build_container("memory"))
    body = session.call("seller", "GET", "/users/seller")
    return _timing_rows(session, "memory", lambda: json.loads(json.dumps(body)))


def _moto_rows() -> list[Row]:
    with moto_container() as container:
        rows = []
        for operation, figures in dynamodb_figures(container).items():
            for unit, key in (("RCU", "readUnits"), ("WCU", "writeUnits")):
                rows.append(
                    {
                        "section": "capacity",
                        "case": operation,
                        "figure": figures[key],
                        "unit": unit,
                        "baseline": None,
                        "note": "DynamoDB sizing rules on the adapter's real requests (moto)",
                    }
                )
        session = Session(container)
        client, table = container.dynamodb_client(), container.aws_settings().table
        key = codec.serialize(keys.item(session.new_item("seller", auction=False)))
        rows += _timing_rows(
            session, "moto", lambda: client.get_item(TableName=table, Key=key, ConsistentRead=True)
        )
        return rows


def measure() -> list[Row]:
    return _memory_rows() + _moto_rows()


if __name__ == "__main__":
    from benchmarks.report import print_rows

    print_rows(measure())
