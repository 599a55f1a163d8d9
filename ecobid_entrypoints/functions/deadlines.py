"""The one-time schedules' targets: EndAuction and ExpireReservation.

EventBridge Scheduler invokes each with the schedule's payload as the event:
``{"itemId": "…"}`` or ``{"reservationId": "…"}``. A payload that names no record is
logged and dropped (retrying cannot mend it; the sweeps remain); any other failure
raises, so the scheduler retries, which the targets' idempotency makes safe.
"""

from __future__ import annotations

import logging
from typing import Any

from ecobid_entrypoints.functions.runtime import container, invocation
from ecobid_entrypoints.processors.schedule_targets import TARGETS, BadPayload

log = logging.getLogger("ecobid.deadlines")


def _run(name: str, event: dict[str, Any], context: Any) -> dict[str, Any]:
    with invocation(context):
        app = container()
        try:
            return TARGETS[name](event, app.unit_of_work, app.clock(), app.scheduler())
        except BadPayload as error:
            log.error("%s dropped a payload: %s", name, error)
            return {"dropped": True}


def end_auction(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """EndAuction: settles one auction at its end, or sets its schedule again if it moved."""
    return _run("EndAuction", event, context)


def expire_reservation(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """ExpireReservation: writes down one hold's expiry, unless it was settled meanwhile."""
    return _run("ExpireReservation", event, context)
