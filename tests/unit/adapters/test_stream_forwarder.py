"""The outbox relay with a hand-written publisher, on stream records in their real shape."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import pytest

from ecobid_adapters.aws.dynamodb import codec, outbox
from ecobid_adapters.aws.event_codec import event_from_detail, to_wire
from ecobid_adapters.aws.stream_forwarder import forward_stream_batch
from ecobid_adapters.aws.wire_event import WireEvent
from ecobid_core.errors import Unavailable
from ecobid_core.model.events import DomainEvent, ItemWithdrawn

NOW = datetime(2030, 3, 1, 9, 30, tzinfo=UTC)


class RecordingPublisher:
    """Fails every call whose batch contains one of ``refuse``."""

    def __init__(self, refuse: Sequence[str] = ()) -> None:
        self.refuse = set(refuse)
        self.calls: list[list[WireEvent]] = []

    def forward(self, events: Sequence[WireEvent]) -> None:
        self.calls.append(list(events))
        if self.refuse & {event.event_id for event in events}:
            raise Unavailable("the event bus is unavailable")

    @property
    def published(self) -> list[str]:
        return [event.event_id for call in self.calls for event in call]


def withdrawn(n: int) -> ItemWithdrawn:
    return ItemWithdrawn(
        event_id=f"ItemWithdrawn:item-{n}:2",
        occurred_at=NOW,
        item_id=f"item-{n}",
        owner_id="owner",
        title="Lamp",
    )


def stream_record(
    sequence: int, image: dict[str, Any], event_name: str = "INSERT"
) -> dict[str, Any]:
    return {
        "eventID": f"id-{sequence}",
        "eventName": event_name,
        "eventSource": "aws:dynamodb",
        "dynamodb": {
            "Keys": {"PK": image["PK"], "SK": image["SK"]},
            "NewImage": image,
            "SequenceNumber": str(sequence),
            "StreamViewType": "NEW_IMAGE",
        },
    }


def outbox_insert(sequence: int, event: DomainEvent) -> dict[str, Any]:
    stored = outbox.record(event, NOW.timestamp(), outbox.DEFAULT_RETENTION)
    return stream_record(sequence, codec.serialize(stored))


def entity_change(sequence: int, event_name: str = "MODIFY") -> dict[str, Any]:
    image = codec.serialize({"PK": "ITEM#item-1", "SK": "ITEM", "title": "Lamp"})
    return stream_record(sequence, image, event_name)


def test_outbox_inserts_are_published_in_order_and_the_rest_skipped() -> None:
    publisher = RecordingPublisher()
    records = [
        outbox_insert(100, withdrawn(1)),
        entity_change(101),
        entity_change(102, "INSERT"),
        outbox_insert(103, withdrawn(2)),
        {**outbox_insert(104, withdrawn(3)), "eventName": "REMOVE"},  # TTL tidying up
    ]
    assert forward_stream_batch(records, publisher) == {"batchItemFailures": []}
    assert publisher.published == [withdrawn(1).event_id, withdrawn(2).event_id]
    # The event itself, not just its id, in the very form the outbox stored.
    assert publisher.calls[0][0] == to_wire(withdrawn(1))


def test_events_go_out_in_groups_of_one_put_events_call() -> None:
    publisher = RecordingPublisher()
    records = [outbox_insert(n, withdrawn(n)) for n in range(1, 24)]
    assert forward_stream_batch(records, publisher) == {"batchItemFailures": []}
    assert [len(call) for call in publisher.calls] == [10, 10, 3]


def test_a_failed_group_is_reported_from_its_first_record_and_ends_the_batch() -> None:
    publisher = RecordingPublisher(refuse=[withdrawn(15).event_id])
    records = [outbox_insert(n, withdrawn(n)) for n in range(1, 31)]
    response = forward_stream_batch(records, publisher)
    # Lambda resumes the shard at record 11: the group that failed, and all after it.
    assert response == {"batchItemFailures": [{"itemIdentifier": "11"}]}
    assert len(publisher.calls) == 2  # the third group waits for the retry


@pytest.mark.parametrize(
    "damage",
    [
        {"detail": {"S": '["not", "an object"]'}},
        {"detail": {"S": '{"unterminated": '}},
        {"detail": {"N": "1"}},
        {"eventName": {"NULL": True}},
    ],
)
def test_a_malformed_outbox_record_is_reported_alone_and_the_others_forwarded(damage) -> None:
    publisher = RecordingPublisher()
    broken = outbox_insert(2, withdrawn(2))
    broken["dynamodb"]["NewImage"].update(damage)
    records = [outbox_insert(1, withdrawn(1)), broken, outbox_insert(3, withdrawn(3))]
    response = forward_stream_batch(records, publisher)
    assert response == {"batchItemFailures": [{"itemIdentifier": "2"}]}
    assert publisher.published == [withdrawn(1).event_id, withdrawn(3).event_id]


def test_an_empty_or_unrelated_batch_publishes_nothing() -> None:
    publisher = RecordingPublisher()
    assert forward_stream_batch([], publisher) == {"batchItemFailures": []}
    assert forward_stream_batch([entity_change(1)], publisher) == {"batchItemFailures": []}
    assert publisher.calls == []


ODD_DETAILS = [
    # Key order, unicode (escaped and not), spacing and number forms as stored: a relay
    # that decoded and encoded again would change every one of them.
    r'{"title":"Lampe \u00e9t\u00e9 \ud83d\udca1","itemId":"item-1","eventId":"e1"}',
    r'{ "z": 1.50, "a": 1e3, "eventId": "e2", "title": "Stühle 🪑 \u2028 ok" }',
    r'{"eventId":"e3","nested":{"b":[1,2,{"c":null}],"a":"\"quoted\""}}',
]


@pytest.mark.parametrize("detail", ODD_DETAILS)
def test_a_detail_passes_through_byte_for_byte(detail: str) -> None:
    publisher = RecordingPublisher()
    record = outbox_insert(1, withdrawn(1))
    record["dynamodb"]["NewImage"]["detail"] = {"S": detail}
    assert forward_stream_batch([record], publisher) == {"batchItemFailures": []}
    (forwarded,) = publisher.calls[0]
    assert forwarded.detail.encode() == detail.encode()
    assert (forwarded.name, forwarded.occurred_at) == ("ItemWithdrawn", NOW)


def test_the_consumer_decodes_what_the_relay_forwarded() -> None:
    publisher = RecordingPublisher()
    forward_stream_batch([outbox_insert(1, withdrawn(1))], publisher)
    (forwarded,) = publisher.calls[0]
    assert event_from_detail(forwarded.name, forwarded.detail) == withdrawn(1)


def matches(pattern: Any, value: Any) -> bool:
    """Lambda's event filtering for the pattern forms the outbox filter uses: nested
    objects and lists of exact values (https://docs.aws.amazon.com/lambda/latest/dg/
    invocation-eventfiltering.html#filtering-syntax)."""
    if isinstance(pattern, dict):
        return isinstance(value, dict) and all(
            key in value and matches(inner, value[key]) for key, inner in pattern.items()
        )
    return value in pattern


def test_the_stream_filter_lets_through_exactly_what_the_relay_forwards() -> None:
    pattern = outbox.stream_filter_pattern()
    outbox_removal = outbox_insert(104, withdrawn(3))
    outbox_removal["eventName"] = "REMOVE"  # the TTL's delete of a forwarded record
    records = [
        outbox_insert(100, withdrawn(1)),
        entity_change(101),
        entity_change(102, "INSERT"),
        outbox_insert(103, withdrawn(2)),
        outbox_removal,
    ]
    for record in records:
        publisher = RecordingPublisher()
        assert forward_stream_batch([record], publisher) == {"batchItemFailures": []}
        assert matches(pattern, record) == bool(publisher.published), record
    assert [matches(pattern, r) for r in records] == [True, False, False, True, False]
