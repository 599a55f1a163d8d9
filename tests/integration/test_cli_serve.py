"""`ecobid serve` as a newcomer runs it: a real process, demo data, a nearby search."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.support.client import Api

pytestmark = pytest.mark.integration


def test_serve_prints_its_url_and_answers_a_nearby_search_with_demo_items():
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ecobid_entrypoints.local.cli",
            "serve",
            "--port",
            "0",
            "--log-level",
            "WARNING",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.startswith("EcoBid listening on http://127.0.0.1:")
        url = first.split()[-1]
        assert process.stdout.readline().startswith("Demo:")  # seeded before this line
        api = Api(url)
        reply = api.user("newcomer@example.com").get("/items?lat=52.52&lon=13.405&radiusKm=5")
        assert reply.status == 200
        titles = {item["title"] for item in reply.body["items"]}
        assert {"Oak chair", "Working toaster", "Record player"} <= titles
        distances = [item["distanceKm"] for item in reply.body["items"]]
        assert distances == sorted(distances)
        assert all(d <= 5 for d in distances)
    finally:
        process.terminate()
        process.wait(timeout=10)
