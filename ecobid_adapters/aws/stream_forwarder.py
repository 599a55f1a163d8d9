"""The outbox relay: DynamoDB Stream records of outbox items -> the event bus.

The outbox records' format belongs to the DynamoDB adapter, which writes them; this
module only asks it which stream images are outbox events. It forwards each event's
stored detail as it is: decoding and re-encoding it here could only change it (key order,
number forms, escapes), and only the consumers need the decoded event.

Lambda reads a stream shard in order and, on a partial batch response, resumes from the
lowest reported ``SequenceNumber``: everything after it comes again anyway. So records
are forwarded in order and the first failure ends the batch; publishing later records
now would only send them twice and out of order. Records that are not new outbox items
(entity changes, removals by TTL) are skipped. A malformed outbox record is reported
too, never dropped: the event source mapping's retry limit and failure destination
decide what happens to it, visibly.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from ecobid_adapters.aws.dynamodb.outbox import wire_event_from_stream_image
from ecobid_adapters.aws.eventbridge import MAX_ENTRIES_PER_CALL
from ecobid_adapters.aws.wire_event import WireEvent, WireEventSink

log = logging.getLogger(__name__)


def forward_stream_batch(
    records: Iterable[Mapping[str, Any]], bus: WireEventSink
) -> dict[str, list[dict[str, str]]]:
    """Forward a stream batch; returns Lambda's partial batch response."""
    outbox, malformed = _outbox_until_bad(records)
    # Groups of one PutEvents call: fewer round trips, and a failure still names the
    # first record that may not have gone out.
    for start in range(0, len(outbox), MAX_ENTRIES_PER_CALL):
        group = outbox[start : start + MAX_ENTRIES_PER_CALL]
        try:
            bus.forward([event for _, event in group])
        except Exception:
            log.exception("publishing from sequence number %s failed", group[0][0])
            return _failed_from(group[0][0])
    return _failed_from(malformed) if malformed else {"batchItemFailures": []}


def _outbox_until_bad(
    records: Iterable[Mapping[str, Any]],
) -> tuple[list[tuple[str, WireEvent]], str | None]:
    """The new outbox events in order, up to the sequence number of one that is broken."""
    found: list[tuple[str, WireEvent]] = []
    for record in records:
        if record.get("eventName") != "INSERT":
            continue  # outbox records are only ever inserted (and removed by TTL)
        sequence = str(record["dynamodb"]["SequenceNumber"])
        try:
            event = wire_event_from_stream_image(record["dynamodb"].get("NewImage") or {})
        except ValueError as error:
            log.error("malformed outbox record at sequence number %s: %s", sequence, error)
            return found, sequence
        if event is not None:
            found.append((sequence, event))
    return found, None


def _failed_from(sequence: str) -> dict[str, list[dict[str, str]]]:
    return {"batchItemFailures": [{"itemIdentifier": sequence}]}
