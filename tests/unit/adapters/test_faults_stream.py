"""Poison stream records: each reported alone, logged with its sequence number, never raised.

A poison record is one no retry can mend. The relay reports it in ``batchItemFailures``
(so it ends in the failure queue, visibly) and still forwards the records around it. The
memory backend has no stream and no relay (commits reach the consumers in-process), so
this fault exists on the AWS side only; the relay itself is tested with an in-memory bus.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest

from ecobid_adapters.aws.eventbridge import EventsRefused
from ecobid_adapters.aws.stream_forwarder import forward_stream_batch
from tests.unit.adapters.test_stream_forwarder import (
    RecordingPublisher,
    entity_change,
    outbox_insert,
    withdrawn,
)


@pytest.fixture(autouse=True)
def relay_logs(monkeypatch: pytest.MonkeyPatch) -> None:
    # A tool run earlier in the session may have configured logging with
    # ``disable_existing_loggers``; these tests are about what the relay logs.
    monkeypatch.setattr(logging.getLogger(forward_stream_batch.__module__), "disabled", False)


def damaged(sequence: int, damage: Any) -> dict[str, Any]:
    record = outbox_insert(sequence, withdrawn(sequence))
    damage(record)
    return record


POISON = {
    "new-image-not-a-map": lambda r: r["dynamodb"].update(NewImage="garbage"),
    "new-image-missing": lambda r: r["dynamodb"].pop("NewImage"),
    "attribute-not-typed": lambda r: r["dynamodb"]["NewImage"].update(detail="{}"),
    "detail-not-json": lambda r: r["dynamodb"]["NewImage"].update(detail={"S": "{nope"}),
    "detail-a-list": lambda r: r["dynamodb"]["NewImage"].update(detail={"S": "[1]"}),
    "event-name-missing": lambda r: r["dynamodb"]["NewImage"].pop("eventName"),
    "bad-timestamp": lambda r: r["dynamodb"]["NewImage"].update(occurredAt={"S": "yesterday"}),
}


@pytest.mark.parametrize("damage", POISON.values(), ids=POISON.keys())
def test_a_poison_record_is_reported_alone_and_the_rest_delivered(
    damage: Any, caplog: pytest.LogCaptureFixture
) -> None:
    publisher = RecordingPublisher()
    records = [
        outbox_insert(1, withdrawn(1)),
        entity_change(2),
        damaged(3, damage),
        outbox_insert(4, withdrawn(4)),
    ]
    with caplog.at_level(logging.ERROR):
        response = forward_stream_batch(records, publisher)
    assert response == {"batchItemFailures": [{"itemIdentifier": "3"}]}
    assert publisher.published == [withdrawn(1).event_id, withdrawn(4).event_id]
    (logged,) = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert "sequence number 3" in logged


def test_several_poison_records_are_each_reported() -> None:
    publisher = RecordingPublisher()
    records = [
        damaged(1, POISON["detail-a-list"]),
        outbox_insert(2, withdrawn(2)),
        damaged(3, POISON["new-image-missing"]),
    ]
    response = forward_stream_batch(records, publisher)
    assert response == {"batchItemFailures": [{"itemIdentifier": "1"}, {"itemIdentifier": "3"}]}
    assert publisher.published == [withdrawn(2).event_id]


def test_records_that_are_not_outbox_inserts_are_not_poison() -> None:
    # Other entities, unknown entity types and removals pass by: the relay forwards only.
    publisher = RecordingPublisher()
    unknown = outbox_insert(2, withdrawn(2))
    unknown["dynamodb"]["NewImage"]["entity"] = {"S": "SomethingNew"}
    removed = damaged(3, POISON["detail-not-json"]) | {"eventName": "REMOVE"}
    records = [entity_change(1, "INSERT"), unknown, removed, outbox_insert(4, withdrawn(4))]
    assert forward_stream_batch(records, publisher) == {"batchItemFailures": []}
    assert publisher.published == [withdrawn(4).event_id]


def test_a_record_without_a_sequence_number_is_logged_and_not_reported(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Reporting it would need an itemIdentifier; an empty one fails the whole batch.
    publisher = RecordingPublisher()
    nameless = outbox_insert(2, withdrawn(2))
    nameless["dynamodb"].pop("SequenceNumber")
    records = [
        outbox_insert(1, withdrawn(1)),
        nameless,
        "not a record",
        outbox_insert(3, withdrawn(3)),
    ]
    with caplog.at_level(logging.ERROR):
        response = forward_stream_batch(records, publisher)  # type: ignore[arg-type]
    assert response == {"batchItemFailures": []}
    assert publisher.published == [withdrawn(1).event_id, withdrawn(3).event_id]
    assert any("no sequence number" in r.getMessage() for r in caplog.records)


class RefusingSome(RecordingPublisher):
    """A bus that takes a group but refuses some of its events, as PutEvents may."""

    def forward(self, events: Any) -> None:
        self.calls.append(list(events))
        refused = [e.event_id for e in events if e.event_id in self.refuse]
        if refused:
            raise EventsRefused("refused", refused)


def test_a_poison_record_and_refused_events_are_all_reported() -> None:
    publisher = RefusingSome(refuse=[withdrawn(5).event_id])
    records = [damaged(1, POISON["detail-a-list"])] + [
        outbox_insert(n, withdrawn(n)) for n in range(2, 8)
    ]
    response = forward_stream_batch(records, publisher)
    # Only the refused record of the group, not the group's first: the rest went out.
    assert response == {"batchItemFailures": [{"itemIdentifier": "1"}, {"itemIdentifier": "5"}]}
