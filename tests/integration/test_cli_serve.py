"""`ecobid serve` as a newcomer runs it: a real process, demo data, a nearby search."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.support.client import Api

pytestmark = pytest.mark.integration

LISTENING = re.compile(r"^EcoBid listening on (http://127\.0\.0\.1:\d+) \((\w+) backend\)$")


@pytest.mark.parametrize("backend", ["memory", "moto"])
def test_serve_prints_its_url_and_answers_a_nearby_search_with_demo_items(backend):
    process = subprocess.Popen(  # noqa: S603 - our own command, a fixed backend name
        [
            sys.executable,
            "-m",
            "ecobid_entrypoints.local.cli",
            "serve",
            "--backend",
            backend,
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
        lines = iter(process.stdout.readline, "")
        listening = next(line for line in lines if line.startswith("EcoBid listening"))
        found = LISTENING.match(listening.strip())
        assert found is not None, listening
        url, named = found.groups()
        assert named == backend
        assert next(lines).startswith("Demo: 7 items")  # seeded before this line
        api = Api(url, backend)
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


def test_serve_on_aws_without_settings_says_what_is_missing():
    done = subprocess.run(
        [sys.executable, "-m", "ecobid_entrypoints.local.cli", "serve", "--backend", "aws"],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "", "PYTHONPATH": ":".join(sys.path)},
    )
    assert done.returncode == 2
    assert "ECOBID_TABLE" in done.stderr
    assert "Traceback" not in done.stderr
