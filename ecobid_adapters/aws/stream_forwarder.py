"""The outbox relay: DynamoDB Stream records of outbox items -> the event bus.

The outbox records' format belongs to the DynamoDB adapter, which writes them; this
module only asks it which stream images are outbox events. It forwards each event's
stored detail as it is: decoding and re-encoding it here could only change it (key order,
number forms, escapes), and only the consumers need the decoded event.

Lambda reads a stream shard in order and, on a partial batch response, resumes from the
lowest reported ``SequenceNumber``: everything after it comes again anyway. So records
are forwarded in order and the first failure to publish ends the batch; publishing later
records now would only send them twice and out of order. When the bus refused only some
entries of a call, only those records are reported. Records that are not new outbox
items (entity changes, removals by TTL) are skipped.

A poison record (an outbox record no bus would take, a stream record without its image)
is different: no retry can mend it. It is logged with its sequence number and reported
alone, and the records around it are still forwarded: if the relay stopped at it, the
records after it would come back behind it on every retry and go, with it, to the
failure queue when the retries run out, lost to the bus. The price is that Lambda's
retries from the poison record send the events after it in the batch again, at most the
event source mapping's retry limit times; consumers drop repeats by ``eventId``. The
poison record itself ends in the failure queue, visibly, and nothing raises.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from ecobid_adapters.aws.dynamodb.outbox import wire_event_from_stream_image
from ecobid_adapters.aws.eventbridge import MAX_ENTRIES_PER_CALL, EventsRefused
from ecobid_adapters.aws.wire_event import WireEvent, WireEventSink

log = logging.getLogger(__name__)


def forward_stream_batch(
    records: Iterable[Mapping[str, Any]], bus: WireEventSink
) -> dict[str, list[dict[str, str]]]:
    """Forward a stream batch; returns Lambda's partial batch response."""
    outbox, poison = _outbox_events(records)
    failures = [{"itemIdentifier": sequence} for sequence in poison]
    # Groups of one PutEvents call: fewer round trips, and a failure still names the
    # first record that may not have gone out.
    for start in range(0, len(outbox), MAX_ENTRIES_PER_CALL):
        group = outbox[start : start + MAX_ENTRIES_PER_CALL]
        try:
            bus.forward([event for _, event in group])
        except EventsRefused as error:
            # The bus took the rest of the group: only the refused records come again
            # (with whatever follows the first of them: Lambda resumes from there).
            named = set(error.event_ids)
            refused = [sequence for sequence, event in group if event.event_id in named]
            log.error("the bus refused the events at sequence numbers %s", ", ".join(refused))
            failures.extend({"itemIdentifier": sequence} for sequence in refused or [group[0][0]])
            break
        except Exception:
            log.exception("publishing from sequence number %s failed", group[0][0])
            failures.append({"itemIdentifier": group[0][0]})
            break
    return {"batchItemFailures": failures}


def _outbox_events(
    records: Iterable[Mapping[str, Any]],
) -> tuple[list[tuple[str, WireEvent]], list[str]]:
    """The new outbox events in order, and the sequence numbers of poison records."""
    found: list[tuple[str, WireEvent]] = []
    poison: list[str] = []
    for index, record in enumerate(records):
        if not isinstance(record, Mapping) or record.get("eventName") != "INSERT":
            continue  # outbox records are only ever inserted (and removed by TTL)
        change = record.get("dynamodb")
        change = change if isinstance(change, Mapping) else {}
        sequence = change.get("SequenceNumber")
        if not isinstance(sequence, str) or not sequence:
            # Nothing Lambda could resume from: reporting it would fail the whole batch.
            log.error("dropped stream record %d of the batch: it has no sequence number", index)
            continue
        try:
            event = wire_event_from_stream_image(_new_image(change))
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            log.error("poison stream record at sequence number %s: %s", sequence, error)
            poison.append(sequence)
            continue
        if event is not None:
            found.append((sequence, event))
    return found, poison


def _new_image(change: Mapping[str, Any]) -> Mapping[str, Any]:
    image = change.get("NewImage")
    if not isinstance(image, Mapping):
        raise ValueError("an inserted record without a NewImage")
    return image
