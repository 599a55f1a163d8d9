"""Outbox records: JSON-safe event details that rebuild the event, found by the relay."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from datetime import timedelta

import pytest

from ecobid_adapters.aws.dynamodb import codec, event_from_stream_image, outbox, schema
from ecobid_adapters.aws.event_codec import event_from_detail, event_to_detail
from ecobid_adapters.aws.stream_forwarder import forward_stream_batch
from ecobid_adapters.aws.wire_event import WireEvent
from ecobid_core.model.events import EVENT_TYPES, DomainEvent
from ecobid_core.model.item import ImageStatus
from ecobid_core.model.rating import Rating
from tests.contract import builders as b


def _samples() -> list[DomainEvent]:
    """At least one event of every type, recorded by the domain itself, so that a field
    added to an event is covered without touching this test."""
    now = b.NOW
    item = b.free_item(now=now)
    item.add_image("owner-1", "img", "image/jpeg", now)
    item.image_processed("img", ImageStatus.READY, now)
    item.edit("owner-1", now, title="Chair", location=b.location_in("u33dc1x"))
    item.withdraw("owner-1", now)
    events = item.pull_events()
    for settle in ("confirm", "cancel", "expire"):
        reservation = b.reservation()
        if settle == "confirm":
            reservation.confirm("owner-1", now, "gift-x")
        elif settle == "cancel":
            reservation.cancel("holder-1", now)
        else:
            reservation.expire(reservation.expires_at)
        events.extend(reservation.pull_events())
    for bids in ((("A", 300), ("B", 1_200)), (("A", 300),)):
        auction = b.auction_item(now=now, ends_in=timedelta(minutes=10))
        for number, (bidder, amount) in enumerate(bids):
            auction.place_bid(bidder, amount, f"bid-{number}", now)
        auction.end_auction(now + timedelta(minutes=20))  # sold, then below the reserve
        events.extend(auction.pull_events())
    ratee = b.user(user_id="buyer-1")
    ratee.receive(Rating.submit(b.transaction(), "owner-1", 4, "Thanks!", now), now)
    events.extend(ratee.pull_events())
    return events


SAMPLES = _samples()


def test_every_event_type_has_a_sample() -> None:
    assert {type(e) for e in SAMPLES} == set(EVENT_TYPES.values())


@pytest.mark.parametrize("event", SAMPLES, ids=lambda e: e.event_id)
def test_detail_is_json_safe_and_rebuilds_the_event(event: DomainEvent) -> None:
    detail = event_to_detail(event)
    assert detail["eventId"] == event.event_id
    assert detail["occurredAt"].endswith("Z")
    wire = json.loads(json.dumps(detail))
    assert event_from_detail(event.name, wire) == event


def test_unknown_event_type_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown event type"):
        event_from_detail("Nope", {})


def test_outbox_records_expire_days_later_and_are_found_by_the_relay() -> None:
    now = time.time()
    records = [outbox.record(e, now, outbox.DEFAULT_RETENTION) for e in SAMPLES]
    assert all(r[schema.TTL_ATTRIBUTE] == int(now + 3 * 86_400) for r in records)
    images = [codec.serialize(r) for r in records]
    assert [event_from_stream_image(image) for image in images] == SAMPLES
    published: list[WireEvent] = []

    class Publisher:
        def forward(self, events: Sequence[WireEvent]) -> None:
            published.extend(events)

    stream = [
        {"eventName": "INSERT", "dynamodb": {"NewImage": image, "SequenceNumber": str(n)}}
        for n, image in enumerate(images)
    ]
    entity = {
        "eventName": "INSERT",
        "dynamodb": {
            "NewImage": codec.serialize({"PK": "ITEM#i", "SK": "ITEM"}),
            "SequenceNumber": "99",
        },
    }
    assert forward_stream_batch([*stream, entity], Publisher()) == {"batchItemFailures": []}
    assert [event_from_detail(e.name, e.detail) for e in published] == SAMPLES
    assert [e.detail for e in published] == [r["detail"] for r in records]


def test_non_outbox_images_are_not_events() -> None:
    assert (
        event_from_stream_image(codec.serialize({"PK": "ITEM#i", "SK": "ITEM", "entity": "Item"}))
        is None
    )
