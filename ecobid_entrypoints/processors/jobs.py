"""Scheduled jobs, by the names the local server's ``/_dev/jobs/{name}`` uses.

Each takes only a unit-of-work factory and the clock, so a job's Lambda function imports
no API code.
"""

from __future__ import annotations

from collections.abc import Callable

from ecobid_core.ports import Clock, UnitOfWorkFactory
from ecobid_core.services.auctions import end_due_auctions
from ecobid_core.services.reservations import expire_lapsed_reservations

Job = Callable[[UnitOfWorkFactory, Clock], int]


def _drain(batch: Job, uow_factory: UnitOfWorkFactory, clock: Clock) -> int:
    """Run a batch step until it finds nothing left to do; the total it processed."""
    total = 0
    while processed := batch(uow_factory, clock):
        total += processed
    return total


def cancel_expired_reservations(uow_factory: UnitOfWorkFactory, clock: Clock) -> int:
    """CancelExpiredReservations: hourly, writes down holds the clock already ended."""
    return _drain(expire_lapsed_reservations, uow_factory, clock)


def end_auctions(uow_factory: UnitOfWorkFactory, clock: Clock) -> int:
    """EndAuction's sweep: settles every auction past its end, in batches."""
    return _drain(end_due_auctions, uow_factory, clock)


JOBS: dict[str, Job] = {
    "end-auctions": end_auctions,
    "cancel-expired-reservations": cancel_expired_reservations,
}
