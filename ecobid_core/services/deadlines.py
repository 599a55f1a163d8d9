"""Deadlines: a one-time schedule ends each auction, and lapses each hold, on time.

Domain events arrange the schedules after the change is committed, so a failure to
schedule never loses the change: the periodic sweeps still end what is due. Events come
at least once and in any order, so every step is idempotent by the schedule's name, and
the targets decide by the stored state, never by the firing alone.
"""

from __future__ import annotations

from datetime import datetime
from functools import singledispatch

from ecobid_core.errors import NotFound
from ecobid_core.model.events import (
    BidPlaced,
    DomainEvent,
    ItemCreated,
    ItemUpdated,
    ReservationCancelled,
    ReservationConfirmed,
    ReservationCreated,
)
from ecobid_core.model.values import ItemStatus, ItemType
from ecobid_core.ports import Clock, Scheduler, UnitOfWorkFactory
from ecobid_core.services.auctions import end_auction
from ecobid_core.services.reservations import expire_reservation
from ecobid_core.services.retry import with_retries

#: The jobs the schedules call, by the names of their functions.
END_AUCTION = "EndAuction"
EXPIRE_RESERVATION = "ExpireReservation"


def auction_schedule(item_id: str) -> str:
    return f"auction-end-{item_id}"


def hold_schedule(reservation_id: str) -> str:
    return f"hold-expiry-{reservation_id}"


@singledispatch
def arrange(event: DomainEvent, uow_factory: UnitOfWorkFactory, scheduler: Scheduler) -> None:
    """Create, move or drop the schedule this event calls for (most call for none)."""


@arrange.register
def _(event: ItemCreated, uow_factory: UnitOfWorkFactory, scheduler: Scheduler) -> None:
    if event.item_type == ItemType.AUCTION.value:
        _follow_auction_end(event.item_id, uow_factory, scheduler)


@arrange.register
def _(event: ItemUpdated, uow_factory: UnitOfWorkFactory, scheduler: Scheduler) -> None:
    if "auction" in event.changed:  # the owner may move the end before the first bid
        _follow_auction_end(event.item_id, uow_factory, scheduler)


@arrange.register
def _(event: BidPlaced, uow_factory: UnitOfWorkFactory, scheduler: Scheduler) -> None:
    # A soft close may have moved the end. An older bid's event arriving late moves the
    # schedule back; the target then fires early, finds the auction open and re-arms it.
    _schedule_end(event.item_id, event.ends_at, scheduler)


@arrange.register
def _(event: ReservationCreated, uow_factory: UnitOfWorkFactory, scheduler: Scheduler) -> None:
    scheduler.schedule(
        hold_schedule(event.reservation_id),
        event.expires_at,
        EXPIRE_RESERVATION,
        {"reservationId": event.reservation_id},
    )


@arrange.register
def _(
    event: ReservationConfirmed | ReservationCancelled,
    uow_factory: UnitOfWorkFactory,
    scheduler: Scheduler,
) -> None:
    # Settled: the expiry would find nothing to do, so spare it the call.
    scheduler.cancel(hold_schedule(event.reservation_id))


def end_auction_on_time(
    item_id: str, uow_factory: UnitOfWorkFactory, clock: Clock, scheduler: Scheduler
) -> bool:
    """EndAuction's target: settle the auction, or re-arm if its end has moved on.

    Ending is the same idempotent use case as the sweep's: a second firing, or the sweep
    getting there first, settles nothing twice.
    """
    try:
        if with_retries(lambda: end_auction(item_id, uow_factory(), clock)):
            return True
    except NotFound:
        return False
    with uow_factory() as uow:
        item = uow.items.get(item_id)
    if item is not None and item.auction is not None and item.is_live(clock.now()):
        _schedule_end(item_id, item.auction.ends_at, scheduler)
    return False


def expire_hold_on_time(reservation_id: str, uow_factory: UnitOfWorkFactory, clock: Clock) -> bool:
    """ExpireReservation's target: a hold that was settled meanwhile stays as it is."""
    return with_retries(lambda: expire_reservation(reservation_id, uow_factory(), clock))


def _follow_auction_end(item_id: str, uow_factory: UnitOfWorkFactory, scheduler: Scheduler) -> None:
    with uow_factory() as uow:
        item = uow.items.get(item_id)
    if item is not None and item.auction is not None and item.status is ItemStatus.ACTIVE:
        _schedule_end(item_id, item.auction.ends_at, scheduler)


def _schedule_end(item_id: str, ends_at: datetime, scheduler: Scheduler) -> None:
    scheduler.schedule(auction_schedule(item_id), ends_at, END_AUCTION, {"itemId": item_id})
