"""What each API operation and each event consumer really does: the cost model's inputs.

A scripted session (a giver, a taker, a gift and an auction) runs every API operation
once through the real ``ApiApp``:
- on the DynamoDB adapter (moto), with a ``CapacityMeter`` on the client: read and write
  units by DynamoDB's sizing rules, DynamoDB calls, and the domain events written to the
  outbox (each becomes an EventBridge event and, where a rule routes it, an invocation);
- on the memory backend, several times: the CPU milliseconds of the code itself.
Events stay in the outbox during the script; afterwards each is handed to the consumers
with the meter on, so a consumer's units are counted apart from the request behind it.

``python -m benchmarks.operations --write`` stores the figures in
``ecobid_entrypoints/cost/measured.json``, which ``ecobid cost`` reads; a contract test
measures again and fails when the stored figures no longer match the code.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any

from dependency_injector import providers

from benchmarks.photo_corpus import encode, photo
from ecobid_adapters.aws.dynamodb import read_outbox
from ecobid_adapters.aws.dynamodb.capacity import CapacityMeter
from ecobid_adapters.aws.dynamodb.outbox import event_from_stream_image
from ecobid_adapters.aws.stream_forwarder import forward_stream_batch
from ecobid_core.model.events import DomainEvent
from ecobid_core.services.auctions import end_due_auctions
from ecobid_core.services.reservations import expire_lapsed_reservations
from ecobid_core.services.users import ensure_profile
from ecobid_entrypoints.container import Container, build_container
from ecobid_entrypoints.local.events import proxy_event
from ecobid_entrypoints.local.moto_backend import (
    MotoServer,
    provision_moto,
    with_push_applications,
)
from ecobid_entrypoints.processors.consumers import notify
from ecobid_entrypoints.processors.image_upload import object_created_event, process_image_upload
from ecobid_entrypoints.processors.schedule_targets import TARGETS
from ecobid_entrypoints.processors.schedules import arrange_deadlines

MEASURED = Path(__file__).resolve().parent.parent / "ecobid_entrypoints/cost/measured.json"
ENDS_IN = timedelta(days=2)
CPU_RUNS = 5
#: The scheduled sweeps, measured when nothing is due: what most of their runs find.
SWEEPS = {
    "EndAuctions": end_due_auctions,
    "CancelExpiredReservations": expire_lapsed_reservations,
}
Script = Iterator[tuple[str, Callable[[], object]]]


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

    def store_upload(self, grant: dict[str, Any], data: bytes) -> dict[str, Any]:
        """Put the photo where the presigned POST would; returns S3's event for it."""
        fields = grant["upload"]["fields"]
        if self.container.config.backend() == "memory":
            key = self.container.image_store().accept_upload(fields, data)
            bucket = "memory"
        else:
            bucket, key = self.container.aws_settings().bucket, fields["key"]
            self.container.aws_clients().s3.put_object(
                Bucket=bucket, Key=key, Body=data, ContentType=fields["Content-Type"]
            )
        return object_created_event(bucket, key, len(data), etag="bench")


def script(session: Session) -> Script:
    """(operation, call) pairs, every API operation once, in an order where each is valid.

    The operation is the route's function name, with a variant after a colon where one
    function serves two access paths.
    """
    deps = session.container.deps()
    yield (
        "CreateUserProfile",
        lambda: deps.run(
            lambda uow: ensure_profile("newcomer", "newcomer@example.com", uow, deps.clock)
        ),
    )
    for user in ("giver", "taker"):
        session.call(user, "PUT", f"/users/{user}", {"location": {"lat": 52.52, "lon": 13.4}})
    yield from _notification_settings(session)
    gift = session.new_item("giver", auction=False)
    auction = session.new_item("giver", auction=True)
    withdrawn = session.new_item("giver", auction=False)
    held: dict[str, Any] = {}
    yield "CreateItem:free", lambda: session.new_item("giver", auction=False)
    yield "CreateItem:auction", lambda: session.new_item("giver", auction=True)
    yield "GetItem", lambda: session.call("taker", "GET", f"/items/{gift}")
    yield "GetItems:nearby", lambda: session.call("taker", "GET", "/items?lat=52.52&lon=13.405")
    yield "GetItems:owner", lambda: session.call("taker", "GET", "/items?ownerId=giver")
    yield "UpdateItem", lambda: session.call("giver", "PUT", f"/items/{gift}", {"title": "Oak"})
    yield (
        "ReserveItem",
        lambda: held.update(session.call("taker", "POST", f"/items/{gift}/reserve")),
    )
    yield (
        "GetReservation",
        lambda: session.call("giver", "GET", f"/reservations/{held['id']}"),
    )
    yield (
        "GetUserReservations",
        lambda: session.call("giver", "GET", "/users/giver/reservations"),
    )
    yield (
        "ConfirmReservation",
        lambda: session.call("giver", "POST", f"/reservations/{held['id']}/confirm"),
    )
    deals: dict[str, Any] = {}
    yield (
        "GetUserTransactions",
        lambda: deals.update(session.call("taker", "GET", "/users/taker/transactions")),
    )
    yield (
        "CreateRating",
        lambda: session.call(
            "taker",
            "POST",
            f"/transactions/{deals['transactions'][0]['id']}/ratings",
            {"score": 5, "comment": "Friendly hand-over"},
        ),
    )
    yield "GetUserRatings", lambda: session.call("giver", "GET", "/users/giver/ratings")
    reserve_again = session.new_item("giver", auction=False)
    second = session.call("taker", "POST", f"/items/{reserve_again}/reserve")
    yield (
        "CancelReservation",
        lambda: session.call("taker", "POST", f"/reservations/{second['id']}/cancel"),
    )
    yield (
        "CreateBid",
        lambda: session.call("taker", "POST", f"/items/{auction}/bids", {"amount": 500}),
    )
    yield "GetBids", lambda: session.call("taker", "GET", f"/items/{auction}/bids")
    yield "GetUserProfile", lambda: session.call("taker", "GET", "/users/giver")
    yield (
        "UpdateUserProfile",
        lambda: session.call("taker", "PUT", "/users/taker", {"bio": "Neighbour"}),
    )
    yield "GetNotifications", lambda: session.call("taker", "GET", "/users/taker/notifications")
    yield (
        "MarkNotificationsRead",
        lambda: session.call("taker", "POST", "/users/taker/notifications/read", {}),
    )
    yield "DeleteItem", lambda: session.call("giver", "DELETE", f"/items/{withdrawn}")
    pictured = session.new_item("giver", auction=False)
    grant: dict[str, Any] = {}
    yield (
        "CreateImageUpload",
        lambda: grant.update(
            session.call(
                "giver", "POST", f"/items/{pictured}/images", {"contentType": "image/jpeg"}
            )
        ),
    )
    uploaded = session.store_upload(grant, _photo())
    ports = session.container.image_ports()
    yield "ProcessImageUpload", lambda: process_image_upload(uploaded, ports)
    # The schedules' targets, when they fire: past the auction's end and the hold's expiry.
    lapsing = session.call("taker", "POST", f"/items/{reserve_again}/reserve")
    session.container.clock().advance((ENDS_IN + timedelta(days=1)).total_seconds())
    yield "EndAuction", lambda: _fire(session.container, "EndAuction", {"itemId": auction})
    yield (
        "ExpireReservation",
        lambda: _fire(session.container, "ExpireReservation", {"reservationId": lapsing["id"]}),
    )


def _notification_settings(session: Session) -> Script:
    """The taker's phone, alerts and preferences: the phone and a furniture alert stay,
    so the consumers' figures include the alert lookup and a push."""
    near = {"lat": 52.52, "lon": 13.405}
    phone = {"platform": "android", "token": "bench-token-phone-0001"}
    yield "PutDevice", lambda: session.call("taker", "PUT", "/users/taker/devices/phone", phone)
    yield "GetDevices", lambda: session.call("taker", "GET", "/users/taker/devices")
    tablet = {"platform": "ios", "token": "bench-token-tablet-0001"}
    session.call("taker", "PUT", "/users/taker/devices/tablet", tablet)
    yield "DeleteDevice", lambda: session.call("taker", "DELETE", "/users/taker/devices/tablet")
    alert: dict[str, Any] = {}
    wanted = {"location": near, "radiusKm": 2, "categories": ["furniture"]}
    yield (
        "CreateAlert",
        lambda: alert.update(session.call("taker", "POST", "/users/taker/alerts", wanted)),
    )
    yield "GetAlerts", lambda: session.call("taker", "GET", "/users/taker/alerts")
    wider = {**wanted, "radiusKm": 3}
    yield (
        "UpdateAlert",
        lambda: session.call("taker", "PUT", f"/users/taker/alerts/{alert['id']}", wider),
    )
    spare = session.call("taker", "POST", "/users/taker/alerts", {"location": near, "radiusKm": 1})
    yield (
        "DeleteAlert",
        lambda: session.call("taker", "DELETE", f"/users/taker/alerts/{spare['id']}"),
    )
    yield "GetPreferences", lambda: session.call("taker", "GET", "/users/taker/preferences")
    choice = {"push": {"rating_received": False}}
    yield (
        "UpdatePreferences",
        lambda: session.call("taker", "PUT", "/users/taker/preferences", choice),
    )


def _fire(container: Container, target: str, payload: dict[str, Any]) -> None:
    app = container
    TARGETS[target](payload, app.unit_of_work, app.clock(), app.scheduler())


@cache
def _photo() -> bytes:
    """A 12 MP phone photo, the common upload."""
    return encode(photo(4000, 3000), "JPEG", quality=90)


class OutboxCounter:
    """Domain events an operation writes: outbox records in its writes, by event name."""

    def __init__(self) -> None:
        self.events: Counter[str] = Counter()
        self.images: list[dict[str, Any]] = []  # the records, as the stream will carry them

    def on_request(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        entries = params.get("TransactItems") or [{"Put": params}]
        for entry in entries:
            event = event_from_stream_image(entry.get("Put", {}).get("Item", {}))
            if event is not None:
                self.events[event.name] += 1
                self.images.append(entry["Put"]["Item"])

    @contextmanager
    def attached(self, client: Any) -> Iterator[OutboxCounter]:
        events, name = client.meta.events, "provide-client-params.dynamodb"
        events.register(name, self.on_request, unique_id="outbox-counter")
        try:
            yield self
        finally:
            events.unregister(name, unique_id="outbox-counter")


def aws_container(endpoint_url: str, env: str = "bench") -> Container:
    """The DynamoDB-backed container on a moto server, events left in the outbox."""
    # With platform applications on moto's SNS, so that pushes are made and counted.
    settings = with_push_applications(provision_moto(endpoint_url, env=env))
    container = build_container("aws", aws_settings=settings)
    # The script's callers have no Cognito users to copy profile fields to.
    container.profile_copies.override(providers.Object(None))
    # moto has no Rekognition DetectModerationLabels: the local moderator stands in (the
    # moderator reads no table, so the figures are the same).
    container.moderator.override(container.moderator.providers["memory"])
    return container


@contextmanager
def moto_container() -> Iterator[Container]:
    server = MotoServer().start()
    try:
        yield aws_container(server.endpoint_url)
    finally:
        server.stop()


def dynamodb_figures(container: Container) -> dict[str, dict[str, Any]]:
    """Units, calls and events of every operation, then of every consumed event type."""
    client = container.dynamodb_client()
    meter, outbox, figures = CapacityMeter(), OutboxCounter(), {}
    calls = Counter[str]()

    def count_call(model: Any, **_: Any) -> None:
        calls[model.name] += 1

    client.meta.events.register("after-call.dynamodb", count_call, unique_id="call-counter")
    sns = container.aws_clients().sns

    def count_push(model: Any, **_: Any) -> None:
        calls["sns:Publish"] += model.name == "Publish"

    sns.meta.events.register("after-call.sns", count_push, unique_id="push-counter")
    with meter.attached(client), outbox.attached(client):
        deps = container.deps()
        for name, sweep in SWEEPS.items():  # first: nothing is due yet
            meter.reset(), outbox.events.clear(), calls.clear()
            sweep(deps.uow_factory, deps.clock)
            figures[f"sweep:{name}"] = _figures(meter, calls, outbox.events)
        for operation, run in script(Session(container)):
            meter.reset(), outbox.events.clear(), calls.clear()
            run()
            figures[operation] = _figures(meter, calls, outbox.events)
        for event in read_outbox(client, container.aws_settings().table):
            meter.reset(), outbox.events.clear(), calls.clear()
            on_domain_event(event, container)
            figures.setdefault(f"consume:{event.name}", _figures(meter, calls, outbox.events))
    client.meta.events.unregister("after-call.dynamodb", unique_id="call-counter")
    sns.meta.events.unregister("after-call.sns", unique_id="push-counter")
    # The relay reads the stream (free to a Lambda trigger) and never the table.
    figures["ForwardOutbox"] = {
        **_figures(CapacityMeter(), Counter(), Counter()),
        "cpuMs": relay_cpu_ms(outbox.images),
    }
    return figures


class _Discard:
    def forward(self, events: Any) -> None:
        pass


def relay_cpu_ms(images: list[dict[str, Any]]) -> float:
    """CPU of forwarding one outbox record, from stream records of the script's events."""
    records = [
        {"eventName": "INSERT", "dynamodb": {"SequenceNumber": str(n), "NewImage": image}}
        for n, image in enumerate(images)
    ]
    started = time.process_time()
    for _ in range(CPU_RUNS):
        forward_stream_batch(records, _Discard())
    return round((time.process_time() - started) * 1000 / CPU_RUNS / len(records), 3)


def on_domain_event(event: DomainEvent, container: Container) -> None:
    """What the bus's consumer does with one event (functions/events.py)."""
    notify(event, container.notify())
    arrange_deadlines(event, container.unit_of_work, container.scheduler())


def _figures(meter: CapacityMeter, calls: Counter[str], events: Counter[str]) -> dict[str, Any]:
    pushes = calls.get("sns:Publish", 0)
    return {
        "readUnits": meter.read_units,
        "writeUnits": meter.write_units,
        "dynamodbCalls": sum(calls.values()) - pushes,
        "pushes": pushes,
        "events": dict(sorted(events.items())),
    }


def cpu_ms() -> dict[str, float]:
    """Median CPU milliseconds of each operation's and consumer's own code (memory backend)."""
    samples: dict[str, list[float]] = {}

    def timed(name: str, run: Callable[[], object]) -> None:
        started = time.process_time()
        run()
        samples.setdefault(name, []).append((time.process_time() - started) * 1000)

    for _ in range(CPU_RUNS):
        container = build_container("memory")
        store = container.memory_store()
        store.subscribers.clear()  # consumers are timed apart, below
        deps = container.deps()
        for name, sweep in SWEEPS.items():  # first: nothing is due yet
            timed(f"sweep:{name}", lambda s=sweep, d=deps: s(d.uow_factory, d.clock))
        for operation, run in script(Session(container)):
            timed(operation, run)
        seen: set[str] = set()
        for event in list(store.outbox):
            if event.name not in seen:
                seen.add(event.name)
                timed(f"consume:{event.name}", lambda e=event, c=container: on_domain_event(e, c))
    return {name: round(statistics.median(ms), 3) for name, ms in samples.items()}


def measure_all() -> dict[str, Any]:
    with moto_container() as container:
        figures = dynamodb_figures(container)
    for name, ms in cpu_ms().items():
        figures[name]["cpuMs"] = ms
    return {"operations": figures}


def main(argv: list[str]) -> int:
    measured = measure_all()
    text = json.dumps(measured, indent=2, sort_keys=True) + "\n"
    if "--write" in argv:
        MEASURED.write_text(text)
        print(f"wrote {MEASURED.name}")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
