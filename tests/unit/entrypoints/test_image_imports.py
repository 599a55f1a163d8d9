"""Pillow is for the image function alone: the API never imports it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

# Builds the memory container, adds an item and asks for an upload through the API, then
# lists which of the heavy libraries got imported along the way.
_SCRIPT = """
import json, sys
from ecobid_entrypoints.container import build_container
from tests.support.lambda_events import proxy_event

api = build_container("memory").api()
item = {"title": "Lamp", "category": "books", "type": "free", "location": {"lat": 1, "lon": 1}}
created = api.handle(proxy_event("POST", "/items", "/items", item))
item_id = json.loads(created["body"])["id"]
path = f"/items/{item_id}/images"
grant = api.handle(
    proxy_event("POST", "/items/{id}/images", path, {"contentType": "image/png"},
                params={"id": item_id})
)
print(json.dumps({"status": grant["statusCode"], "PIL": "PIL" in sys.modules}))
"""


def test_requesting_an_upload_never_imports_pillow() -> None:
    done = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", _SCRIPT],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        timeout=60,
    )
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {"status": 201, "PIL": False}
