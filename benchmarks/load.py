"""Load: 200 concurrent keep-alive connections for 30 s against the local server.

The server is ``ecobid serve`` with its demo data on the memory backend, in a process of
its own, bound to 127.0.0.1. Each connection is a thread of this process with its own
``http.client`` keep-alive connection, signed in as one of ``USERS`` users; of every ten
requests it sends five reads of one item, four nearby searches of the demo city (each
about 4x an item read's CPU) and one write (offering an item, away from that city).
Counted: requests, statuses, connection resets and time-outs, and each request's latency
from send to the last byte.
The goal (issue 13): no reset and no 5xx, with the p99 reported. Client and server share
the machine's cores, and the server is one Python process (one GIL), so the throughput
is a floor, not what a deployed stage does; the baseline is the same mix on one
connection, so the ratios say what 200 at once cost beyond queueing for the one GIL.

``./dev bench -- load`` runs this section alone; ``python -m benchmarks.load`` too.
"""

from __future__ import annotations

import http.client
import json
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ecobid_entrypoints.local.demo import CENTRE

CONNECTIONS = 200
SECONDS = 30.0
BASELINE_SECONDS = 5.0
USERS = 50
Row = dict[str, Any]


def run_load(connections: int, seconds: float, users: int = USERS) -> dict[str, Any]:
    """Drive a fresh ``ecobid serve``; the figures of the run, latencies in ms."""
    with _served() as (host, port):
        tokens = [_token(host, port, f"load-{n}@example.com") for n in range(users)]
        search = f"/items?lat={CENTRE.lat}&lon={CENTRE.lon}&radiusKm=5"
        found = _call(host, port, "GET", search, {"Authorization": f"Bearer {tokens[0]}"})
        item_path = f"/items/{found['items'][0]['id']}"
        statuses: Counter[int] = Counter()
        failures: Counter[str] = Counter()
        latencies: list[float] = []
        lock = threading.Lock()
        start = threading.Barrier(connections + 1)
        stop = threading.Event()

        def worker(index: int) -> None:
            auth = {"Authorization": f"Bearer {tokens[index % users]}"}
            post = {**auth, "Content-Type": "application/json"}
            item = json.dumps(_item(index))
            mine: list[float] = []
            seen: Counter[int] = Counter()
            failed: Counter[str] = Counter()
            connection = http.client.HTTPConnection(host, port, timeout=60)
            start.wait()
            sent = index  # connections start at different points of the mix
            while not stop.is_set():
                sent += 1
                began = time.perf_counter()
                try:
                    if sent % 10 == 0:
                        connection.request("POST", "/items", item, post)
                    elif sent % 2:
                        connection.request("GET", item_path, headers=auth)
                    else:
                        connection.request("GET", search, headers=auth)
                    response = connection.getresponse()
                    response.read()
                except (OSError, http.client.HTTPException) as error:
                    failed[type(error).__name__] += 1
                    connection.close()
                    connection = http.client.HTTPConnection(host, port, timeout=60)
                    continue
                mine.append((time.perf_counter() - began) * 1000)
                seen[response.status] += 1
            connection.close()
            with lock:
                latencies.extend(mine)
                statuses.update(seen)
                failures.update(failed)

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
        for thread in threads:
            thread.start()
        start.wait()
        began = time.perf_counter()
        time.sleep(seconds)
        stop.set()
        for thread in threads:
            thread.join(timeout=120)
        elapsed = time.perf_counter() - began
    ordered = sorted(latencies)
    return {
        "connections": connections,
        "seconds": elapsed,
        "requests": len(ordered),
        "per_second": len(ordered) / elapsed,
        "statuses": dict(statuses),
        "failures": dict(failures),
        "resets": failures.get("ConnectionResetError", 0),
        "server_errors": sum(n for status, n in statuses.items() if status >= 500),
        "p50": _percentile(ordered, 50),
        "p95": _percentile(ordered, 95),
        "p99": _percentile(ordered, 99),
        "max": ordered[-1] if ordered else 0.0,
        "mean": statistics.fmean(ordered) if ordered else 0.0,
    }


@contextmanager
def _served() -> Iterator[tuple[str, int]]:
    """``ecobid serve`` with its demo data, in a process of its own (its own GIL)."""
    command = [sys.executable, "-m", "ecobid_entrypoints.local.cli", "serve", "--port", "0"]
    process = subprocess.Popen(  # noqa: S603 - our own command
        [*command, "--log-level", "WARNING"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines = iter(process.stdout.readline, "")
        listening = next(line for line in lines if line.startswith("EcoBid listening"))
        next(line for line in lines if line.startswith("Demo:"))  # seeded
        threading.Thread(target=lambda: [*lines], daemon=True).start()  # drain
        found = re.search(r"http://([\d.]+):(\d+)", listening)
        assert found is not None, listening
        yield found.group(1), int(found.group(2))
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _call(host: str, port: int, method: str, path: str, headers: dict[str, str], body=None) -> Any:
    connection = http.client.HTTPConnection(host, port, timeout=60)
    try:
        connection.request(method, path, body, headers)
        response = connection.getresponse()
        payload = response.read()
        assert response.status == 200, (response.status, payload)
        return json.loads(payload)
    finally:
        connection.close()


def _token(host: str, port: int, email: str) -> str:
    body = json.dumps({"email": email})
    reply = _call(host, port, "POST", "/_dev/token", {"Content-Type": "application/json"}, body)
    return str(reply["idToken"])


def _percentile(ordered: list[float], percent: float) -> float:
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, round(percent / 100 * (len(ordered) - 1)))]


def _item(index: int) -> dict[str, Any]:
    return {
        "title": f"Load lamp {index}",
        "description": "made by the load benchmark",
        "category": "furniture",
        "type": "free",
        # Away from the searched city, so the search reads the same cells all run long.
        "location": {"lat": -40.0 + index * 0.01, "lon": -60.0},
    }


def measure() -> list[Row]:
    # The same mix on one connection first: the service time with no queue, to set the
    # 200 connections' throughput and latency against.
    serial = run_load(1, BASELINE_SECONDS)
    figures = run_load(CONNECTIONS, SECONDS)
    case = f"{CONNECTIONS} connections, {SECONDS:.0f} s, memory backend"
    other = sum(figures["failures"].values())
    verdict = "meets" if figures["server_errors"] == 0 and other == 0 else "misses"
    note = (
        f"{verdict} the goal of no reset and no 5xx: {figures['resets']} resets, "
        f"{other} connection failures in all, {figures['server_errors']} 5xx; "
        f"statuses {dict(sorted(figures['statuses'].items()))}"
    )
    against = "baseline: the same mix on one connection"
    section = "load"
    return [
        {"section": section, "case": f"{case}: requests", "figure": figures["requests"],
         "note": note},
        {"section": section, "case": f"{case}: throughput", "figure": figures["per_second"],
         "baseline": serial["per_second"], "unit": "req/s",
         "note": f"{against}; client threads and server share 2 busy cores"},
        {"section": section, "case": f"{case}: p50 latency", "figure": figures["p50"],
         "baseline": serial["p50"], "unit": "ms", "note": against},
        {"section": section, "case": f"{case}: p95 latency", "figure": figures["p95"],
         "baseline": serial["p95"], "unit": "ms", "note": against},
        {"section": section, "case": f"{case}: p99 latency", "figure": figures["p99"],
         "baseline": serial["p99"], "unit": "ms",
         "note": f"{against}; max {figures['max']:.0f} ms"},
    ]  # fmt: skip


if __name__ == "__main__":
    print(json.dumps(run_load(CONNECTIONS, SECONDS), indent=2))
