"""Fan-out of a new item: alert index reads, batched writes, concurrent pushes, slices.

Matching: a city of 100,000 users, each with the default home alert (5 km, every
category) and one in five with a second alert of their own (1, 2 or 10 km, a few
categories), spread evenly over 40 x 40 km or with 30% of them in one 2 x 2 km district.
New items at random points look up their own keys in the alert index (``MemoryAlerts``
files alerts under exactly the cells the DynamoDB adapter writes, one index entry per
cell); every entry a lookup returns is an item DynamoDB would read.

Delivery: 100, 1,000 and 10,000 recipients, each with a phone, through ``fanout.deliver``
on the memory stores, counting the DynamoDB calls the DynamoDB adapter makes for the same
work (BatchGetItem: 100 keys a call; BatchWriteItem: 25 items a call; one Query per lookup
key) and pushing through ``SnsPushSender`` on a stub SNS client that takes
``PUBLISH_MS`` per Publish, so the pushes per second are those of its thread pool.
The consumer's CPU at 128 MB is its CPU here times 1,769 / 128 (Lambda gives a full
vCPU at 1,769 MB), plus ``DYNAMODB_CALL_MS`` per call, plus the pushes' wall time: an
invocation (one slice) must end inside half the consumer's 30 s timeout.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from ecobid_adapters.aws.sns_push import SnsPushSender
from ecobid_adapters.memory import MemoryStore, MemoryUnitOfWork
from ecobid_adapters.memory.notify import (
    MemoryAlerts,
    MemoryInbox,
    MemoryPushRates,
    MemoryPushSettings,
)
from ecobid_core import geo
from ecobid_core.geo.distance import distance_to_box_km
from ecobid_core.model.alerts import (
    FILING_LENGTHS,
    MAX_FILING_LENGTH,
    Alert,
    _inside,
    finest_length,
    lookup_cells,
)
from ecobid_core.model.devices import Device, Platform, PushSettings
from ecobid_core.model.events import ItemCreated
from ecobid_core.model.values import CATEGORIES, Location
from ecobid_core.services import fanout
from ecobid_core.services.notify_ports import NotifyPorts
from ecobid_entrypoints.cost.model import DYNAMODB_CALL_MS, FULL_CPU_MB, MEMORY_MB
from ecobid_entrypoints.functions.catalog import by_name

CENTRE = (52.52, 13.405)
SIDE_KM = 40.0
DISTRICT_KM = 2.0
USERS = 100_000
ITEMS = 40
#: An assumed in-region SNS Publish round trip (a stated assumption, not measured here).
PUBLISH_MS = 20.0
NOW = datetime(2030, 1, 1, 12, tzinfo=UTC)
_KM_PER_DEG = 111.195


def _offset(km_north: float, km_east: float) -> tuple[float, float]:
    lat = CENTRE[0] + km_north / _KM_PER_DEG
    return lat, CENTRE[1] + km_east / (_KM_PER_DEG * math.cos(math.radians(CENTRE[0])))


def _place(rng: random.Random, dense: bool) -> tuple[float, float]:
    side = DISTRICT_KM if dense else SIDE_KM
    return _offset(rng.uniform(-side / 2, side / 2), rng.uniform(-side / 2, side / 2))


def city(layout: str, rng: random.Random) -> list[Alert]:
    alerts = []
    for n in range(USERS):
        lat, lon = _place(rng, layout == "dense district" and rng.random() < 0.3)
        user = f"user{n:06d}"
        home = Location(lat, lon)
        alerts.append(
            Alert.create(alert_id=f"home-{user}", user_id=user, location=home, radius_km=5, now=NOW)
        )
        if rng.random() < 0.2:
            alerts.append(
                Alert.create(
                    alert_id=f"own-{user}",
                    user_id=user,
                    location=home,
                    radius_km=rng.choice([1.0, 2.0, 10.0]),
                    categories=rng.sample(CATEGORIES, 3),
                    now=NOW,
                )
            )
    return alerts


class Filed:
    """Whether an alert's filing holds the cell of a point, without listing the filing.

    ``filing_cells`` refines from the cover's cells towards the rim; the filing holds a
    cell containing the point exactly when that descent, followed along the point's own
    cells, ends at a kept cell. Walking one path instead of the whole filing lets the
    bench file 120,000 alerts in seconds; ``check`` compares the two on a sample.
    """

    def __init__(self, alert: Alert) -> None:
        self.alert = alert
        self.lat, self.lon, self.radius = alert.location.lat, alert.location.lon, alert.radius_km
        self.base = set(geo.cover(self.lat, self.lon, self.radius))
        self.base_length = len(next(iter(self.base)))
        self.finest = finest_length(self.lat, self.radius, self.base_length)

    def holds(self, point: str) -> bool:
        cell = point[: self.base_length]
        if cell not in self.base:
            return False
        while True:
            if _inside(self.lat, self.lon, self.radius, cell) or len(cell) >= self.finest:
                return True
            cell = point[: len(cell) + 1]
            if distance_to_box_km(self.lat, self.lon, geo.bounds(cell)) > self.radius + 1e-6:
                return False

    def check(self, point: str, lat: float, lon: float) -> None:
        listed = bool(set(self.alert.filing_cells()) & set(lookup_cells(lat, lon)))
        assert listed == self.holds(point), (self.alert.id, point)


def matching_rows(layout: str) -> list[dict[str, Any]]:
    rng = random.Random(24)
    filed = [Filed(alert) for alert in city(layout, rng)]
    read = matched = checked = 0
    for _ in range(ITEMS):
        lat, lon = _place(rng, layout == "dense district" and rng.random() < 0.5)
        point = geo.encode(lat, lon, MAX_FILING_LENGTH)
        # Only an alert whose disc, widened by its largest rim cell, reaches the point can
        # hold its cell (rim cells are at most half the radius wide, twice that long).
        near = [
            f for f in filed if geo.haversine_km(f.lat, f.lon, lat, lon) <= 2.5 * f.radius + 1.0
        ]
        candidates = [f.alert for f in near if f.holds(point)]
        for f in near[:: max(1, len(near) // 20)][:20]:
            f.check(point, lat, lon)
            checked += 1
        read += len(candidates)
        category = rng.choice(CATEGORIES)
        matched += sum(a.matches(lat, lon, category, "free") for a in candidates)
    note = (
        f"{USERS:,} users, {len(filed):,} alerts, {ITEMS} new items; one Query per key:"
        f" {len(FILING_LENGTHS)} an item; {checked} lookups checked against the full filing"
    )
    return [
        _row(f"{layout}: items read per matched alert", read / matched, "items", 2.0, note),
        _row(f"{layout}: alerts matched per new item", matched / ITEMS, "alerts", None, note),
    ]


class _TimedSender(SnsPushSender):
    """The real sender; the wall time of its sends is summed for pushes per second."""

    seconds = 0.0

    def send_all(self, pushes: Sequence[Any]) -> list[Any]:
        started = time.perf_counter()
        try:
            return super().send_all(pushes)
        finally:
            self.seconds += time.perf_counter() - started


class _StubSns:
    def publish(self, **_request: Any) -> dict[str, str]:
        time.sleep(PUBLISH_MS / 1000)
        return {"MessageId": "m"}


class _Calls:
    """DynamoDB calls the DynamoDB adapter makes for what the memory stores are asked."""

    def __init__(self) -> None:
        self.reads = self.writes = self.notification_writes = self.queries = 0


class _MeteredInbox(MemoryInbox):
    def __init__(self, store: MemoryStore, calls: _Calls) -> None:
        super().__init__(store)
        self.calls = calls

    def existing(self, notification_ids: Sequence[str]) -> set[str]:
        self.calls.reads += math.ceil(len(notification_ids) / 100)
        return super().existing(notification_ids)

    def add_all(self, notifications: Sequence[Any]) -> None:
        batches = math.ceil(len(notifications) / 25)
        self.calls.writes += batches
        self.calls.notification_writes += batches
        super().add_all(notifications)


class _MeteredSettings(MemoryPushSettings):
    def __init__(self, calls: _Calls) -> None:
        super().__init__()
        self.calls = calls

    def many(self, user_ids: Sequence[str]) -> dict[str, PushSettings]:
        self.calls.reads += math.ceil(len(user_ids) / 100)
        return super().many(user_ids)


class _MeteredRates(MemoryPushRates):
    def __init__(self, calls: _Calls) -> None:
        super().__init__()
        self.calls = calls

    def counts(self, user_ids: Sequence[str], hour: str) -> dict[str, int]:
        self.calls.reads += math.ceil(len(user_ids) / 100)
        return super().counts(user_ids, hour)

    def record(self, counts: Mapping[str, int], hour: str) -> None:
        self.calls.writes += math.ceil(len(counts) / 25)
        super().record(counts, hour)


class _MeteredAlerts(MemoryAlerts):
    def __init__(self, calls: _Calls) -> None:
        super().__init__()
        self.calls = calls

    def filed_under(self, cells: Sequence[str]) -> list[Alert]:
        self.calls.queries += len(cells)
        return super().filed_under(cells)


class _Clock:
    def now(self) -> datetime:
        return NOW


class _Ids:
    def new_id(self) -> str:
        return "id"


def delivery_rows(recipients_count: int) -> list[dict[str, Any]]:
    calls = _Calls()
    store = MemoryStore()
    sender = _TimedSender(_StubSns(), {"ios": "arn:aws:sns:eu-central-1:1:app/APNS/bench"})
    ports = NotifyPorts(
        uow_factory=lambda: MemoryUnitOfWork(store),
        alerts=_MeteredAlerts(calls),
        settings=_MeteredSettings(calls),
        inbox=_MeteredInbox(store, calls),
        rates=_MeteredRates(calls),
        sender=sender,
        clock=_Clock(),
        ids=_Ids(),
    )
    rng = random.Random(recipients_count)
    for n in range(recipients_count):
        user = f"user{n:06d}"
        lat, lon = _place(rng, True)
        ports.alerts.put(
            Alert.create(
                alert_id=f"a{n}", user_id=user, location=Location(lat, lon), radius_km=5, now=NOW
            ),
            None,
        )
        settings = PushSettings(user_id=user)
        settings.put_device(
            Device(
                id="phone",
                platform=Platform.IOS,
                token=f"t{n}",
                endpoint=f"arn:e/{n}",
                created_at=NOW,
                updated_at=NOW,
            ),
            NOW,
        )
        ports.settings.save(settings, None)
    event = ItemCreated(
        event_id="ItemCreated:bench:1",
        occurred_at=NOW,
        item_id="bench",
        owner_id="owner",
        item_type="free",
        category="books",
        lat=CENTRE[0],
        lon=CENTRE[1],
        geohash="u33dc",
        title="Bench book",
    )
    slices: list[tuple[float, float, int]] = []  # (cpu ms, wall ms, calls) per invocation
    after, written, pushed = None, 0, 0
    while True:
        before_calls = calls.reads + calls.writes + calls.queries
        cpu, wall = time.process_time(), time.perf_counter()
        done = fanout.deliver(event, ports, after)
        cpu_ms = (time.process_time() - cpu) * 1000
        wall_ms = (time.perf_counter() - wall) * 1000
        slices.append((cpu_ms, wall_ms, calls.reads + calls.writes + calls.queries - before_calls))
        written, pushed = written + done.written, pushed + done.pushed
        if done.next_after is None:
            break
        after = done.next_after
    assert written == pushed == recipients_count
    push_seconds = sender.seconds
    timeout_ms = by_name("OnDomainEvent").timeout_s * 1000
    worst = max(
        cpu * FULL_CPU_MB / MEMORY_MB + n * DYNAMODB_CALL_MS + (wall - cpu)
        for cpu, wall, n in slices
    )
    case = f"{recipients_count:,} recipients"
    note = f"{len(slices)} invocation(s) of at most {ports.recipients_per_slice:,} recipients"
    return [
        _row(
            f"{case}: write calls per notification",
            calls.notification_writes / written,
            "calls",
            1 / 25,
            "BatchWriteItem, 25 a call",
        ),
        _row(
            f"{case}: all write calls per notification",
            calls.writes / written,
            "calls",
            None,
            "with the hourly push counters",
        ),
        _row(
            f"{case}: DynamoDB calls in all",
            calls.reads + calls.writes + calls.queries,
            "calls",
            None,
            note,
        ),
        _row(
            f"{case}: pushes per second",
            pushed / push_seconds,
            "pushes/s",
            None,
            f"Publish taking {PUBLISH_MS:.0f} ms, 16 in flight",
        ),
        _row(
            f"{case}: slowest invocation at 128 MB",
            worst,
            "ms",
            timeout_ms / 2,
            f"goal: half the {timeout_ms // 1000} s timeout; {note}",
        ),
    ]


def _row(case: str, figure: float, unit: str, baseline: float | None, note: str) -> dict[str, Any]:
    return {
        "section": "fanout",
        "case": case,
        "figure": round(figure, 4),
        "unit": unit,
        "baseline": baseline,
        "note": note,
    }


def measure() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for layout in ("uniform city", "dense district"):
        rows += matching_rows(layout)
    for count in (100, 1_000, 10_000):
        rows += delivery_rows(count)
    return rows


if __name__ == "__main__":
    from benchmarks.report import print_rows

    print_rows(measure())
