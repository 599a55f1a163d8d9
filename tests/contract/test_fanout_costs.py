"""What fan-out costs on the DynamoDB adapter (moto): calls per batch, nothing twice."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ecobid_adapters.aws.dynamodb import DynamoUnitOfWork
from ecobid_adapters.aws.dynamodb.metering import RequestMeter, forbid_scans
from ecobid_adapters.aws.dynamodb.notify import (
    DynamoAlerts,
    DynamoInbox,
    DynamoPushRates,
    DynamoPushSettings,
)
from ecobid_adapters.memory.notify import LocalPushSender
from ecobid_adapters.system import UuidIds
from ecobid_core.model.alerts import FILING_LENGTHS, Alert
from ecobid_core.model.events import ItemCreated, RatingSubmitted
from ecobid_core.model.values import Location
from ecobid_core.services import devices, fanout
from ecobid_core.services.notify_ports import NotifyPorts

NOW = datetime(2030, 1, 1, 12, tzinfo=UTC)
RECIPIENTS = 60


class _Clock:
    def now(self) -> datetime:
        return NOW


def _ports(dynamodb: Any, table: str) -> NotifyPorts:
    return NotifyPorts(
        uow_factory=lambda: DynamoUnitOfWork(dynamodb, table),
        alerts=DynamoAlerts(dynamodb, table),
        settings=DynamoPushSettings(dynamodb, table),
        inbox=DynamoInbox(dynamodb, table),
        rates=DynamoPushRates(dynamodb, table),
        sender=LocalPushSender(),
        clock=_Clock(),
        ids=UuidIds(),
    )


def test_a_new_item_costs_a_few_queries_and_a_batch_call_per_25(dynamodb: Any, table: str):
    ports = _ports(dynamodb, table)
    for n in range(RECIPIENTS):
        user = f"user{n:03d}"
        ports.alerts.put(
            Alert.create(
                alert_id="a", user_id=user, location=Location(52.52, 13.405), radius_km=2, now=NOW
            ),
            None,
        )
        devices.put_device(user, user, "phone", "ios", f"token-{user}-0000", ports)
    event = ItemCreated(
        event_id="ItemCreated:i1:1",
        occurred_at=NOW,
        item_id="i1",
        owner_id="owner",
        item_type="free",
        category="books",
        lat=52.521,
        lon=13.405,
        geohash="u33dc0",
        title="Book",
    )
    meter = RequestMeter()
    with meter.attached(dynamodb), forbid_scans(dynamodb):
        done = fanout.deliver(event, ports)
        assert (done.written, done.pushed) == (RECIPIENTS, RECIPIENTS)
        assert meter.calls["Query"] == len(FILING_LENGTHS)
        assert meter.items_read["Query"] == RECIPIENTS  # every candidate matched
        # notifications, then the hourly counters: 25 a call each
        assert meter.calls["BatchWriteItem"] == 2 * 3
        assert meter.calls["BatchGetItem"] == 3  # existing, settings, counters
        assert meter.calls["PutItem"] == meter.calls["TransactWriteItems"] == 0
        meter.reset()
        again = fanout.deliver(event, ports)
        assert (again.written, again.pushed) == (0, 0)
        assert meter.calls["BatchWriteItem"] == 0
        assert meter.writes == 0
    inbox = ports.inbox
    assert inbox.unread_count("user000") == 1
    inbox.mark_read("user000", None)
    assert inbox.unread_count("user000") == 0
    [note] = inbox.page("user000", 10, None).entries
    assert note.read


def test_any_other_event_costs_a_batch_read_and_write_and_nothing_twice(dynamodb: Any, table: str):
    """What a rating, a reservation, an auction's end cost: their recipients come from
    the event, so no index read, and one recipient is one call of each kind."""
    ports = _ports(dynamodb, table)
    devices.put_device("ratee", "ratee", "phone", "ios", "token-ratee-0000", ports)
    event = RatingSubmitted(
        event_id="RatingSubmitted:r1",
        occurred_at=NOW,
        rating_id="r1",
        transaction_id="t1",
        item_id="i1",
        rater_id="rater",
        ratee_id="ratee",
        score=4,
    )
    meter = RequestMeter()
    with meter.attached(dynamodb), forbid_scans(dynamodb):
        done = fanout.deliver(event, ports)
        assert (done.written, done.pushed) == (1, 1)
        # the notification absent?, the ratee's push settings; the notification written
        assert dict(meter.calls) == {"BatchGetItem": 2, "BatchWriteItem": 1}
        assert meter.writes == 1
        meter.reset()
        again = fanout.deliver(event, ports)
        assert (again.written, again.pushed) == (0, 0)
        assert dict(meter.calls) == {"BatchGetItem": 1}  # finds it: nothing written or pushed
        assert meter.writes == 0
    [note] = ports.inbox.page("ratee", 10, None).entries
    assert (note.type, note.item_id) == ("rating_received", "i1")
