"""The transactional outbox: event records written in the commit that caused them.

An event is stored if and only if its change is, because both are in one transaction.
The table's stream then carries each inserted event record to the publisher, which sends
it on to EventBridge; after that the record has no purpose, so its TTL lets DynamoDB
remove it a few days later without anyone paying for a delete.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import timedelta
from typing import Any, Final

from ecobid_adapters.aws.dynamodb import codec, keys, reads, schema, writes
from ecobid_adapters.aws.wire_event import WireEvent
from ecobid_core.model.events import DomainEvent
from ecobid_core.timefmt import parse_utc, utc_iso

ENTITY: Final = "OutboxEvent"
_WIRE_FIELDS = ("eventId", "eventName", "occurredAt", "detail")
DEFAULT_RETENTION: Final = timedelta(days=3)


def record(event: DomainEvent, now_epoch: float, retention: timedelta) -> dict[str, Any]:
    # The codec (cattrs) is imported by the first write of an event, not at a cold start:
    # a function that only reads never loads it.
    from ecobid_adapters.aws import event_codec

    wire = event_codec.to_wire(event)
    return {
        **keys.outbox(event.event_id),
        "entity": ENTITY,
        "eventId": event.event_id,
        # ``eventName`` and ``detail`` (JSON text) are what the stream forwarder reads.
        "eventName": event.name,
        "occurredAt": utc_iso(event.occurred_at),
        # JSON text, not a map: the detail reaches the publisher exactly as it will be
        # sent, floats included, with no Decimal round trip on the way.
        "detail": wire.detail,
        # Wall-clock seconds: housekeeping, unrelated to the domain's (injectable) clock.
        schema.TTL_ATTRIBUTE: int(now_epoch + retention.total_seconds()),
    }


def put(table: str, event: DomainEvent, now_epoch: float, retention: timedelta) -> writes.Write:
    return writes.put_new(table, record(event, now_epoch, retention), f"event {event.event_id}")


def stream_filter_pattern() -> dict[str, Any]:
    """The event source mapping's filter: exactly the records the relay forwards.

    The relay acts on inserted outbox records only (``wire_event_from_stream_image``);
    with this filter Lambda drops every other change before invoking it, so an item or a
    reservation write costs no invocation. Syntax: "Filtering events from DynamoDB event
    sources", https://docs.aws.amazon.com/lambda/latest/dg/with-ddb-filtering.html
    """
    return {"eventName": ["INSERT"], "dynamodb": {"NewImage": {"entity": {"S": [ENTITY]}}}}


def event_from_record(stored: Mapping[str, Any]) -> DomainEvent | None:
    """The event an outbox record holds (plain values), or None for any other record."""
    if stored.get("entity") != ENTITY:
        return None
    from ecobid_adapters.aws import event_codec

    return event_codec.event_from_detail(str(stored["eventName"]), str(stored["detail"]))


def event_from_stream_image(image: Mapping[str, Any]) -> DomainEvent | None:
    """The event in a stream record's ``NewImage`` (attribute values), decoded, or None."""
    return event_from_record(codec.deserialize(image))


def wire_event_from_stream_image(image: Mapping[str, Any]) -> WireEvent | None:
    """The event in a stream record's ``NewImage``, detail untouched, or None for any
    other record. The relay uses this: it forwards, and only consumers decode.

    Raises ``ValueError`` for an outbox record no bus would take: a missing field, or a
    detail that is not the JSON text of an object.
    """
    if image.get("entity") != {"S": ENTITY}:
        return None
    fields = {name: image.get(name, {}).get("S") for name in _WIRE_FIELDS}
    missing = sorted(name for name, value in fields.items() if not isinstance(value, str))
    if missing:
        raise ValueError(f"an outbox record without {', '.join(missing)}")
    detail = fields["detail"]
    try:
        is_object = isinstance(json.loads(detail), dict)
    except (ValueError, RecursionError):
        is_object = False
    if not is_object:
        raise ValueError("an outbox detail must be the JSON text of an object")
    return WireEvent(
        event_id=fields["eventId"],
        name=fields["eventName"],
        occurred_at=parse_utc(fields["occurredAt"]),
        detail=detail,
    )


def read_outbox(client: Any, table: str) -> list[DomainEvent]:
    """Every event still in the outbox, oldest first: for tests and tools.

    One Query per shard; the outbox is small because TTL keeps emptying it.
    """
    events: list[DomainEvent] = []
    for shard in range(keys.OUTBOX_SHARDS):
        request = {
            "TableName": table,
            "KeyConditionExpression": "#pk = :pk",
            "ExpressionAttributeNames": {"#pk": schema.PK},
            "ExpressionAttributeValues": {":pk": {"S": keys.outbox_shard(shard)}},
            "ConsistentRead": True,
        }
        for stored in reads.query(client, request):
            event = event_from_record(stored)
            if event is not None:
                events.append(event)
    events.sort(key=lambda event: (event.occurred_at, event.event_id))
    return events
