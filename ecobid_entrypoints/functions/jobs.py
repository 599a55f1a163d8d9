"""The scheduled jobs' handlers, each run by an EventBridge schedule."""

from __future__ import annotations

from typing import Any

from ecobid_entrypoints.functions.runtime import container, invocation
from ecobid_entrypoints.processors import jobs


def _run(name: str, context: Any) -> dict[str, Any]:
    with invocation(context):
        app = container()
        return {"job": name, "processed": jobs.JOBS[name](app.unit_of_work, app.clock())}


def end_auctions(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """EndAuctions: the sweep that settles every auction past its end."""
    return _run("end-auctions", context)


def cancel_expired_reservations(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """CancelExpiredReservations: hourly, writes down holds that already ended."""
    return _run("cancel-expired-reservations", context)
