"""Warm path: time per in-process API call, and DynamoDB capacity units per API operation.

Time: a warm ``ApiApp`` (container built, caller's profile known) handles the same proxy
event many times. On the memory backend the baseline is the floor any handler pays, a
JSON round trip of the same response body; on the moto backend it is one bare boto3
``GetItem`` of the same item against the same server, so the ratio says how many
DynamoDB round trips' worth of time an operation takes.

Capacity: every operation of a scripted session (two neighbours giving and bidding) runs
once on the DynamoDB adapter (moto) with a ``CapacityMeter`` on the client: read and
write units computed by DynamoDB's sizing rules, the figures the cost model uses. Events
are left in the outbox during the script, then each is handed to the consumers with the
meter on, so a processor's units are counted apart from the request that caused it.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from dependency_injector import providers

from ecobid_adapters.aws.dynamodb import codec, keys, read_outbox
from ecobid_adapters.aws.dynamodb.capacity import CapacityMeter
from ecobid_entrypoints.container import Container, build_container
from ecobid_entrypoints.local.events import proxy_event
from ecobid_entrypoints.local.moto_backend import MotoServer, provision_moto
from ecobid_entrypoints.processors.consumers import notify

Row = dict[str, Any]
ENDS_IN = timedelta(days=2)


class Session:
    """Proxy events for a few callers against one container's ``ApiApp``."""

    def __init__(self, container: Container) -> None:
        self.container = container
        self.api = container.api()

    def call(self, user: str, method: str, path: str, body: Any = None) -> dict[str, Any]:
        claims = {"sub": user, "email": f"{user}@example.com"}
        text = None if body is None else json.dumps(body)
        headers = {"Content-Type": "application/json"} if text else {}
        response = self.api.handle(proxy_event(method, path, headers, text, claims))
        if response["statusCode"] >= 400:
            raise RuntimeError(f"{method} {path} -> {response['statusCode']}: {response['body']}")
        return json.loads(response["body"]) if response["body"] else {}

    def new_item(self, owner: str, auction: bool) -> str:
        body: dict[str, Any] = {
            "title": "Bench chair",
            "description": "A chair for measuring",
            "category": "furniture",
            "type": "auction" if auction else "free",
            "location": {"lat": 52.52, "lon": 13.405},
        }
        if auction:
            ends = self.container.clock().now() + ENDS_IN
            body["auction"] = {
                "startPrice": 100,
                "currency": "EUR",
                "endsAt": ends.strftime("%Y-%m-%dT%H:%M:%SZ"),
            }
        return str(self.call(owner, "POST", "/items", body)["id"])


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
    return [
        {
            "section": "warm path",
            "case": f"{case} ({backend})",
            "figure": round(_median_us(run, repeat), 1),
            "unit": "µs",
            "baseline": round(floor, 1),
            "note": "baseline: JSON round trip of the response"
            if backend == "memory"
            else "baseline: one bare boto3 GetItem on the same moto server",
        }
        for case, run in cases.items()
    ]


def _memory_rows() -> list[Row]:
    session = Session(build_container("memory"))
    body = session.call("seller", "GET", "/users/seller")
    return _timing_rows(session, "memory", lambda: json.loads(json.dumps(body)))


@contextmanager
def _moto_container() -> Iterator[Container]:
    server = MotoServer().start()
    try:
        settings = provision_moto(server.endpoint_url, env="bench")
        # No in-process delivery: events stay in the outbox until the script hands them on.
        container = build_container("aws", aws_settings=settings)
        # The bench's callers have no Cognito users to copy profile fields to.
        container.profile_copies.override(providers.Object(None))
        yield container
    finally:
        server.stop()


def _capacity_script(session: Session) -> Iterator[tuple[str, Callable[[], object]]]:
    """(operation, call) pairs in an order where each call is valid."""
    gift = session.new_item("giver", auction=False)
    auction = session.new_item("giver", auction=True)
    reservation: dict[str, Any] = {}
    yield "POST /items (free)", lambda: session.new_item("giver", auction=False)
    yield "POST /items (auction)", lambda: session.new_item("giver", auction=True)
    yield "GET /items/{id}", lambda: session.call("taker", "GET", f"/items/{gift}")
    yield (
        "GET /items (5 km)",
        lambda: session.call("taker", "GET", "/items?lat=52.52&lon=13.405&radiusKm=5"),
    )
    yield "GET /items?ownerId", lambda: session.call("taker", "GET", "/items?ownerId=giver")
    yield (
        "PUT /items/{id}",
        lambda: session.call("giver", "PUT", f"/items/{gift}", {"title": "Oak chair"}),
    )
    yield (
        "POST /items/{id}/reserve",
        lambda: reservation.update(session.call("taker", "POST", f"/items/{gift}/reserve")),
    )
    yield (
        "POST /reservations/{id}/confirm",
        lambda: session.call("giver", "POST", f"/reservations/{reservation['id']}/confirm"),
    )
    yield (
        "POST /items/{id}/bids",
        lambda: session.call("taker", "POST", f"/items/{auction}/bids", {"amount": 500}),
    )
    yield "GET /items/{id}/bids", lambda: session.call("taker", "GET", f"/items/{auction}/bids")
    yield "GET /users/{id}", lambda: session.call("taker", "GET", "/users/giver")
    yield (
        "PUT /users/{id}",
        lambda: session.call("taker", "PUT", "/users/taker", {"bio": "Neighbour"}),
    )
    yield (
        "GET /users/{id}/notifications",
        lambda: session.call("taker", "GET", "/users/taker/notifications"),
    )
    withdrawn = session.new_item("giver", auction=False)
    yield "DELETE /items/{id}", lambda: session.call("giver", "DELETE", f"/items/{withdrawn}")


def capacity_by_operation(container: Container) -> dict[str, tuple[float, float]]:
    """(read units, write units) per API operation and per consumed event type."""
    session = Session(container)
    client = container.dynamodb_client()
    for user in ("giver", "taker"):
        session.call(user, "PUT", f"/users/{user}", {"location": {"lat": 52.52, "lon": 13.4}})
    figures: dict[str, tuple[float, float]] = {}
    meter = CapacityMeter()
    with meter.attached(client):
        for operation, run in _capacity_script(session):
            meter.reset()
            run()
            figures[operation] = (meter.read_units, meter.write_units)
        table = container.aws_settings().table
        for event in read_outbox(client, table):
            meter.reset()
            notify(event, container.unit_of_work)
            figures.setdefault(f"consume {event.name}", (meter.read_units, meter.write_units))
    return figures


def _moto_rows() -> list[Row]:
    with _moto_container() as container:
        rows = []
        for operation, (read, write) in capacity_by_operation(container).items():
            rows.append(_capacity_row(operation, "RCU", read))
            rows.append(_capacity_row(operation, "WCU", write))
        session = Session(container)
        client, table = container.dynamodb_client(), container.aws_settings().table
        item_id = session.new_item("seller", auction=False)
        key = codec.serialize(keys.item(item_id))
        rows += _timing_rows(
            session, "moto", lambda: client.get_item(TableName=table, Key=key, ConsistentRead=True)
        )
        return rows


def _capacity_row(operation: str, unit: str, figure: float) -> Row:
    return {
        "section": "capacity",
        "case": operation,
        "figure": figure,
        "unit": unit,
        "baseline": None,
        "note": "DynamoDB sizing rules on the adapter's real requests (moto)",
    }


def measure() -> list[Row]:
    return _memory_rows() + _moto_rows()


if __name__ == "__main__":
    from benchmarks.report import print_rows

    print_rows(measure())
