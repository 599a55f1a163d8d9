"""The consumer that keeps each auction's and each hold's schedule in step with events.

It runs after the change is committed, never inside the write: a failed schedule loses
nothing, because the periodic sweeps still end whatever is due.
"""

from __future__ import annotations

from ecobid_core.model.events import DomainEvent
from ecobid_core.ports import Scheduler, UnitOfWorkFactory
from ecobid_core.services.deadlines import arrange


def arrange_deadlines(
    event: DomainEvent, uow_factory: UnitOfWorkFactory, scheduler: Scheduler
) -> None:
    """ProcessReservation's scheduling half, and the schedules of auctions' ends."""
    arrange(event, uow_factory, scheduler)
