"""A Python client generated from the served document runs a give-away against the API.

openapi-python-client (a test dependency) writes the client into the test's temporary
directory, never into the repository, from ``GET /openapi.json`` as the server serves it.
Its post hooks (ruff formatting) are switched off by a config file, so generation needs
no network and no other tool. The flow is the one the app runs: sign in, offer an item
with a location, find it with a nearby search by keyword arguments, reserve it, confirm
the hand-over, rate it.
"""

from __future__ import annotations

import importlib
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.client import Api, raw

pytestmark = pytest.mark.integration

PACKAGE = "ecobid_generated_client"


@pytest.fixture(scope="module")
def generated(api: Api, tmp_path_factory: pytest.TempPathFactory):
    """The client package generated from the served document, imported."""
    root = tmp_path_factory.mktemp(f"client-{api.backend}")
    served = raw(api.url, "GET", "/openapi.json")
    assert served.status == 200
    (root / "openapi.json").write_text(json.dumps(served.body))
    (root / "config.json").write_text(json.dumps({"post_hooks": []}))
    tool = Path(sys.executable).with_name("openapi-python-client")
    name = f"{PACKAGE}_{api.backend}"
    done = subprocess.run(  # noqa: S603 - the test environment's own tool, fixed arguments
        [
            str(tool),
            "generate",
            "--path",
            str(root / "openapi.json"),
            "--config",
            str(root / "config.json"),
            "--meta",
            "none",
            "--output-path",
            str(root / name),
            "--fail-on-warning",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module(name)
    finally:
        sys.path.remove(str(root))
        for module in [m for m in sys.modules if m == name or m.startswith(f"{name}.")]:
            del sys.modules[module]


def test_a_give_away_through_the_generated_client(api: Api, generated) -> None:
    client = importlib.import_module(f"{generated.__name__}.client")
    ops = importlib.import_module(f"{generated.__name__}.api.default")
    models = importlib.import_module(f"{generated.__name__}.models")
    for name in (
        "create_item",
        "get_items",
        "reserve_item",
        "confirm_reservation",
        "create_rating",
        "get_user_transactions",
    ):
        importlib.import_module(f"{ops.__name__}.{name}")

    giver_token, _ = api.token_for(f"client-giver-{random.random()}@example.com")
    taker_token, taker_id = api.token_for(f"client-taker-{random.random()}@example.com")
    giver = client.AuthenticatedClient(base_url=api.url, token=giver_token)
    taker = client.AuthenticatedClient(base_url=api.url, token=taker_token)
    # Somewhere no other test puts items, so the search's first page is about this one.
    lat, lon = round(random.uniform(-60, 60), 4), round(random.uniform(-170, 170), 4)

    item = ops.create_item.sync(
        client=giver,
        body=models.CreateItemRequest(
            title="Oak chair",
            category=models.CreateItemRequestCategory.FURNITURE,
            type_=models.CreateItemRequestType.FREE,
            location=models.Location(lat=lat, lon=lon),
        ),
    )
    assert isinstance(item, models.Item), item

    page = ops.get_items.sync(client=taker, lat=lat, lon=lon + 0.001, radius_km=1.0)
    assert isinstance(page, models.ItemPage), page
    found = [entry for entry in page.items if entry.id == item.id]
    assert found and found[0].distance_km < 1

    reservation = ops.reserve_item.sync(client=taker, id=item.id)
    assert isinstance(reservation, models.Reservation), reservation
    confirmed = ops.confirm_reservation.sync(client=giver, id=reservation.id)
    assert isinstance(confirmed, models.Confirmation), confirmed
    assert confirmed.transaction.kind == models.TransactionKind.GIFT

    rating = ops.create_rating.sync(
        client=taker,
        id=confirmed.transaction.id,
        body=models.CreateRatingRequest(score=5, comment="Lovely chair"),
    )
    assert isinstance(rating, models.Rating), rating
    mine = ops.get_user_transactions.sync(client=taker, id=taker_id)
    assert isinstance(mine, models.TransactionPage), mine
    (listed,) = [t for t in mine.transactions if t.id == confirmed.transaction.id]
    assert isinstance(listed.my_rating, models.Rating)
    assert listed.my_rating.score == 5


def test_the_search_without_a_place_is_the_contracts_400(api: Api, generated) -> None:
    client = importlib.import_module(f"{generated.__name__}.client")
    get_items = importlib.import_module(f"{generated.__name__}.api.default.get_items")
    models = importlib.import_module(f"{generated.__name__}.models")
    token, _ = api.token_for(f"client-lost-{random.random()}@example.com")
    reply = get_items.sync_detailed(
        client=client.AuthenticatedClient(base_url=api.url, token=token), lat=1.0
    )
    assert reply.status_code == 400
    assert isinstance(reply.parsed, models.Error)
    assert reply.parsed.error.code == "validation_error"
    assert reply.parsed.error.details[0].field == "lon"
