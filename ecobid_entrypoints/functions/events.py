"""OnDomainEvent: the target of the bus's rules, handing each event to the consumers.

The consumers notify users, release the photos of items that are gone, and arrange the
one-time schedules (ProcessReservation's two halves, an auction's end moved by a soft
close).
"""

from __future__ import annotations

import logging
from typing import Any

from ecobid_adapters.aws.event_codec import event_from_detail
from ecobid_entrypoints.functions.runtime import container, invocation
from ecobid_entrypoints.processors.consumers import notify, release
from ecobid_entrypoints.processors.schedules import arrange_deadlines

log = logging.getLogger("ecobid.events")


class DeliveryFailed(Exception):
    """Raised so that EventBridge retries the event; names the cause's type only."""


def on_domain_event(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """OnDomainEvent: one EventBridge event -> the consumers.

    An event that cannot be decoded is logged and dropped: retrying cannot mend it. Any
    other failure raises, so EventBridge retries, which is safe: the consumers are
    idempotent on the event id.
    """
    with invocation(context):
        return _deliver(event)


def _deliver(event: dict[str, Any]) -> dict[str, Any]:
    try:
        domain_event = event_from_detail(str(event.get("detail-type")), event.get("detail", {}))
    except ValueError as error:
        log.error("dropped an undecodable event %s: %s", event.get("id"), error)
        return {"eventId": None, "delivered": 0}
    app = container()
    try:
        delivered = notify(domain_event, app.unit_of_work)
        release(domain_event, app.unit_of_work, app.image_store())
    except Exception as error:
        log.exception("delivering %s failed", domain_event.event_id)
        raise DeliveryFailed(type(error).__name__) from None
    try:
        arrange_deadlines(domain_event, app.unit_of_work, app.scheduler())
    except Exception:
        # Never fatal: the change stands, and the periodic sweeps end what is due.
        log.exception("scheduling for %s failed", domain_event.event_id)
    return {"eventId": domain_event.event_id, "delivered": delivered}
