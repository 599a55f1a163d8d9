"""Giving: reserve a free item, then the giver confirms the hand-over (or either cancels)."""

from __future__ import annotations

from datetime import datetime, timedelta

from attrs import frozen

from ecobid_core.errors import ConcurrentUpdate, Forbidden, NotFound
from ecobid_core.model.item import Item
from ecobid_core.model.records import Transaction, TransactionKind
from ecobid_core.model.reservation import Reservation, ReservationRole, ReservationStatus
from ecobid_core.ports import Clock, IdGenerator, Page, UnitOfWork, UnitOfWorkFactory
from ecobid_core.services.items import load_visible


@frozen
class Confirmed:
    reservation: Reservation
    transaction: Transaction


@frozen(kw_only=True)
class ReservationQuery:
    """One page of a user's reservations; ``role`` and ``status`` narrow it when given."""

    user_id: str
    caller_id: str
    role: ReservationRole | None = None
    status: ReservationStatus | None = None
    limit: int = 20
    cursor: str | None = None


def reserve_item(
    item_id: str,
    user_id: str,
    uow: UnitOfWork,
    clock: Clock,
    ids: IdGenerator,
    hold_for: timedelta,
) -> Reservation:
    now = clock.now()
    with uow:
        item = load_visible(uow, item_id, user_id)
        lapsed = item.lapsed_hold(now)
        hold = item.reserve(user_id, ids.new_id(), now, hold_for)
        if lapsed is not None:
            _expire(uow, lapsed.reservation_id, now)
        reservation = Reservation.hold(
            reservation_id=hold.reservation_id,
            item_id=item.id,
            user_id=user_id,
            owner_id=item.owner_id,
            now=now,
            expires_at=hold.expires_at,
        )
        uow.items.update(item)
        uow.reservations.add(reservation)
        uow.commit()
    return reservation


def confirm_reservation(
    reservation_id: str, user_id: str, uow: UnitOfWork, clock: Clock
) -> Confirmed:
    now = clock.now()
    with uow:
        reservation, item = _load(uow, reservation_id)
        transaction = Transaction(
            id=Transaction.id_for(TransactionKind.GIFT, item.id),
            item_id=item.id,
            seller_id=item.owner_id,
            buyer_id=reservation.user_id,
            amount=0,
            currency=None,
            kind=TransactionKind.GIFT,
            created_at=now,
        )
        reservation.confirm(user_id, now, transaction.id)
        item.give(reservation.id, now)
        uow.reservations.update(reservation)
        uow.items.update(item)
        uow.transactions.add(transaction)
        uow.commit()
    return Confirmed(reservation, transaction)


def cancel_reservation(
    reservation_id: str, user_id: str, uow: UnitOfWork, clock: Clock
) -> Reservation:
    now = clock.now()
    with uow:
        reservation, item = _load(uow, reservation_id)
        reservation.cancel(user_id, now)
        item.release(reservation.id, now)
        uow.reservations.update(reservation)
        uow.items.update(item)
        uow.commit()
    return reservation


def get_reservation(reservation_id: str, user_id: str, uow: UnitOfWork) -> Reservation:
    with uow:
        reservation = uow.reservations.get(reservation_id)
    if reservation is None or user_id not in (reservation.user_id, reservation.owner_id):
        raise NotFound("no such reservation")
    return reservation


def expire_lapsed_reservations(
    uow_factory: UnitOfWorkFactory, clock: Clock, batch: int = 100
) -> int:
    """The hourly tidy-up: write down holds the clock has already ended.

    Reads and writes already treat a lapsed hold as expired, so this job only makes the
    stored state (and the ``ReservationExpired`` event) catch up. One commit per hold: a
    race with a user's own action just means the user got there first.
    """
    with uow_factory() as uow:
        lapsed = uow.reservations.lapsed(clock.now(), batch)
    processed = 0
    for candidate in lapsed:
        try:
            processed += expire_reservation(candidate.id, uow_factory(), clock)
        except ConcurrentUpdate:
            continue
    return processed


def expire_reservation(reservation_id: str, uow: UnitOfWork, clock: Clock) -> bool:
    """Write down one hold's expiry, if the clock has ended it.

    False, changing nothing, when the hold is gone, not due yet, or was confirmed or
    cancelled meanwhile: the hold's own schedule and the hourly job may both run it.
    """
    with uow:
        if not _expire_with_item(uow, reservation_id, clock.now()):
            return False
        uow.commit()
    return True


def _expire(uow: UnitOfWork, reservation_id: str, now: datetime) -> Reservation | None:
    """Stage the expiry of a hold that has lapsed by the clock (not the item's side)."""
    reservation = uow.reservations.get(reservation_id)
    if reservation is None or reservation.status_at(now) is reservation.status:
        return None
    reservation.expire(now)
    uow.reservations.update(reservation)
    return reservation


def _expire_with_item(uow: UnitOfWork, reservation_id: str, now: datetime) -> bool:
    reservation = _expire(uow, reservation_id, now)
    if reservation is None:
        return False
    item = uow.items.get(reservation.item_id)
    if item is not None and item.hold is not None and item.hold.reservation_id == reservation_id:
        item.release(reservation_id, now)
        uow.items.update(item)
    return True


def _load(uow: UnitOfWork, reservation_id: str) -> tuple[Reservation, Item]:
    reservation = uow.reservations.get(reservation_id)
    if reservation is None:
        raise NotFound("no such reservation")
    item = uow.items.get(reservation.item_id)
    if item is None:
        raise NotFound("no such item")
    return reservation, item


def list_reservations(query: ReservationQuery, uow: UnitOfWork, clock: Clock) -> Page[Reservation]:
    """The caller's reservations, newest first: those held, those given, or both."""
    if query.user_id != query.caller_id:
        raise Forbidden("you can only list your own reservations")
    now = clock.now()

    def keep(reservation: Reservation) -> bool:
        # By the clock: a hold past its expiry is expired, whatever is stored.
        return query.status is None or reservation.status_at(now) is query.status

    with uow:
        return uow.reservations.for_user(query.user_id, query.role, query.limit, query.cursor, keep)
