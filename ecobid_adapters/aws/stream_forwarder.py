"""The outbox relay: DynamoDB Stream records of outbox items -> the event publisher.

The outbox records' format belongs to the DynamoDB adapter, which writes them; this
module only asks it which stream images are outbox events.

Lambda reads a stream shard in order and, on a partial batch response, resumes from the
lowest reported ``SequenceNumber``: everything after it comes again anyway. So records
are forwarded in order and the first failure ends the batch; publishing later records
now would only send them twice and out of order. Records that are not new outbox items
(entity changes, removals by TTL) are skipped. An outbox record that cannot be decoded is
reported too, never dropped: the event source mapping's retry limit and failure
destination decide what happens to it, visibly.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from ecobid_adapters.aws.dynamodb.outbox import event_from_stream_image
from ecobid_adapters.aws.eventbridge import MAX_ENTRIES_PER_CALL
from ecobid_core.model.events import DomainEvent
from ecobid_core.ports import EventPublisher

log = logging.getLogger(__name__)


def forward_stream_batch(
    records: Iterable[Mapping[str, Any]], publisher: EventPublisher
) -> dict[str, list[dict[str, str]]]:
    """Forward a stream batch; returns Lambda's partial batch response."""
    outbox, undecodable = _decode_until_bad(records)
    # Groups of one PutEvents call: fewer round trips, and a failure still names the
    # first record that may not have gone out.
    for start in range(0, len(outbox), MAX_ENTRIES_PER_CALL):
        group = outbox[start : start + MAX_ENTRIES_PER_CALL]
        try:
            publisher.publish([event for _, event in group])
        except Exception as error:
            log.error(
                "publishing from sequence number %s failed: %s: %s",
                group[0][0],
                type(error).__name__,
                error,
            )
            return _failed_from(group[0][0])
    return _failed_from(undecodable) if undecodable else {"batchItemFailures": []}


def _decode_until_bad(
    records: Iterable[Mapping[str, Any]],
) -> tuple[list[tuple[str, DomainEvent]], str | None]:
    """The new outbox events in order, up to the sequence number of one that is broken."""
    decoded: list[tuple[str, DomainEvent]] = []
    for record in records:
        if record.get("eventName") != "INSERT":
            continue  # outbox records are only ever inserted (and removed by TTL)
        sequence = str(record["dynamodb"]["SequenceNumber"])
        try:
            event = event_from_stream_image(record["dynamodb"].get("NewImage") or {})
        except Exception:
            # Whatever the decoder raises (cattrs raises exception groups), the record
            # cannot be forwarded: stop here and say so.
            log.error("undecodable outbox record at sequence number %s", sequence)
            return decoded, sequence
        if event is not None:
            decoded.append((sequence, event))
    return decoded, None


def _failed_from(sequence: str) -> dict[str, list[dict[str, str]]]:
    return {"batchItemFailures": [{"itemIdentifier": sequence}]}
