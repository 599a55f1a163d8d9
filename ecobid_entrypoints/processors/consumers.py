"""The consumers of domain events, shared by EventBridge targets and the local server.

Each is idempotent on the event id, because delivery is at least once.
"""

from __future__ import annotations

from ecobid_core.model.events import DomainEvent
from ecobid_core.ports import UnitOfWorkFactory
from ecobid_core.services.notifications import deliver


def notify(event: DomainEvent, uow_factory: UnitOfWorkFactory) -> int:
    """ProcessNewItem, ProcessReservation and the notifying half of EndAuction."""
    return deliver(event, uow_factory)
