"""The consumers of domain events, shared by EventBridge targets and the local server.

Each is idempotent on the event id, because delivery is at least once.
"""

from __future__ import annotations

from collections.abc import Callable

from ecobid_core.model.events import EVENT_TYPES, DomainEvent
from ecobid_core.ports import ImageStore, UnitOfWorkFactory
from ecobid_core.services import fanout
from ecobid_core.services.deadlines import arrange
from ecobid_core.services.notify_ports import NotifyPorts
from ecobid_core.services.photos import release_photos

#: The consumers' per-event-type rules (functools.singledispatch functions) besides
#: fan-out's: an event type one of them registers is one the bus must route to
#: ``OnDomainEvent``.
_DISPATCHERS: tuple[Callable[..., object], ...] = (arrange, release_photos)


def notify(event: DomainEvent, ports: NotifyPorts) -> int:
    """ProcessNewItem, ProcessReservation and the notifying half of EndAuction.

    Every slice in turn (``fanout``): what serves an event in one process, as the local
    server does. A Lambda serves one slice an invocation (``functions.events``).
    """
    written, after = 0, None
    while True:
        delivery = notify_slice(event, ports, after)
        written += delivery.written
        if delivery.next_after is None:
            return written
        after = delivery.next_after


def notify_slice(event: DomainEvent, ports: NotifyPorts, after: str | None) -> fanout.Delivery:
    """One slice of an event's recipients: those after the user id ``after``."""
    return fanout.deliver(event, ports, after)


def release(event: DomainEvent, uow_factory: UnitOfWorkFactory, store: ImageStore) -> int:
    """The photos of an item that is gone go to the store's expiry."""
    return release_photos(event, uow_factory, store)


def consumed_event_names() -> frozenset[str]:
    """Names of the event types some consumer acts on (the rest need no delivery)."""
    return frozenset(
        name
        for name, event_type in EVENT_TYPES.items()
        if fanout.notifies(event_type)
        or any(
            dispatcher.dispatch(event_type) is not dispatcher.dispatch(DomainEvent)  # type: ignore[attr-defined]
            for dispatcher in _DISPATCHERS
        )
    )
