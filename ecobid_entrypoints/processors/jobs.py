"""Scheduled jobs, by the names the local server's ``/_dev/jobs/{name}`` uses."""

from __future__ import annotations

from collections.abc import Callable

from ecobid_core.services.auctions import end_due_auctions
from ecobid_core.services.reservations import expire_lapsed_reservations
from ecobid_entrypoints.api.deps import AppDeps


def cancel_expired_reservations(deps: AppDeps) -> int:
    """CancelExpiredReservations: hourly, writes down holds the clock already ended."""
    total = 0
    while processed := expire_lapsed_reservations(deps.uow_factory, deps.clock):
        total += processed
    return total


def end_auctions(deps: AppDeps) -> int:
    """EndAuction's sweep: settles every auction past its end, in batches."""
    total = 0
    while processed := end_due_auctions(deps.uow_factory, deps.clock):
        total += processed
    return total


JOBS: dict[str, Callable[[AppDeps], int]] = {
    "end-auctions": end_auctions,
    "cancel-expired-reservations": cancel_expired_reservations,
}
