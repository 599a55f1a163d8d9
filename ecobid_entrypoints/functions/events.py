"""OnDomainEvent: the target of the bus's rules, handing each event to the consumers.

The consumers notify users, release the photos of items that are gone, and arrange the
one-time schedules (ProcessReservation's two halves, an auction's end moved by a soft
close).

An invocation notifies one slice of an event's recipients (``fanout``: at most
``recipients_per_slice``, sized so that a slice ends inside half the timeout at 128 MB).
When more remain, it invokes this function again, asynchronously, with the same event
and ``ecobidResumeAfter`` set to the last user id served; that invocation serves the
next slice, and so on. A failure anywhere raises, so EventBridge (or Lambda's async
retry) runs the slice again, which writes and pushes nothing twice.
"""

from __future__ import annotations

import json
import logging
import os
from typing import Any

from ecobid_adapters.aws.event_codec import event_from_detail
from ecobid_entrypoints.functions.runtime import container, invocation
from ecobid_entrypoints.processors.consumers import notify_slice, release
from ecobid_entrypoints.processors.schedules import arrange_deadlines

log = logging.getLogger("ecobid.events")
#: The key of a continuation: the user id the previous slice ended at.
RESUME_AFTER = "ecobidResumeAfter"


class DeliveryFailed(Exception):
    """Raised so that EventBridge retries the event; names the cause's type only."""


def on_domain_event(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """OnDomainEvent: one EventBridge event -> the consumers.

    An event that cannot be decoded is logged and dropped: retrying cannot mend it. Any
    other failure raises, so EventBridge retries, which is safe: the consumers are
    idempotent on the event id.
    """
    with invocation(context):
        return _deliver(event, context)


def hand_on(event: dict[str, Any], context: Any) -> None:
    """Start the next slice: another invocation of this function, asynchronously."""
    if os.environ.get("ECOBID_BACKEND", "aws") != "aws" or context is None:
        on_domain_event(event, context)  # one process (tests, tools): the next slice now
        return
    container().aws_clients().lambda_.invoke(
        FunctionName=context.invoked_function_arn,
        InvocationType="Event",
        Payload=json.dumps(event).encode(),
    )


def _deliver(event: dict[str, Any], context: Any) -> dict[str, Any]:
    try:
        domain_event = event_from_detail(str(event.get("detail-type")), event.get("detail", {}))
    except ValueError as error:
        log.error("dropped an undecodable event %s: %s", event.get("id"), error)
        return {"eventId": None, "delivered": 0}
    app = container()
    resumed = event.get(RESUME_AFTER)
    after = resumed if isinstance(resumed, str) and resumed else None
    try:
        delivery = notify_slice(domain_event, app.notify(), after)
        if after is None:  # once an event, not once a slice
            release(domain_event, app.unit_of_work, app.image_store())
        if delivery.next_after is not None:
            hand_on({**event, RESUME_AFTER: delivery.next_after}, context)
    except Exception as error:
        log.exception("delivering %s failed", domain_event.event_id)
        raise DeliveryFailed(type(error).__name__) from None
    if after is None:  # the first slice arranges; continuations only notify
        try:
            arrange_deadlines(domain_event, app.unit_of_work, app.scheduler())
        except Exception:
            # Never fatal: the change stands, and the periodic sweeps end what is due.
            log.exception("scheduling for %s failed", domain_event.event_id)
    return {"eventId": domain_event.event_id, "delivered": delivery.written}
