"""A user's reservations, both adapters: each role, both merged, filtered, paged."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import timedelta

import pytest

from ecobid_adapters import cursors
from ecobid_core.errors import ValidationFailed
from ecobid_core.model.reservation import Reservation, ReservationRole
from tests.contract import builders as b
from tests.contract.conftest import Backend

_ROLES = [None, ReservationRole.HOLDER, ReservationRole.GIVER]


def _hold(holder: str, owner: str, minutes: int) -> Reservation:
    return Reservation.hold(
        reservation_id=b.new_id("res"),
        item_id=b.new_id("item"),
        user_id=holder,
        owner_id=owner,
        now=b.NOW + timedelta(minutes=minutes),
        expires_at=b.NOW + timedelta(hours=24),
    )


def _everything(uow_factory: Backend) -> list[Reservation]:
    # Several share a minute, so the id must break the tie the same way on both backends.
    held = [_hold("ann", f"giver-{n % 2}", n // 2) for n in range(7)]
    given = [_hold(f"taker-{n % 3}", "ann", n // 3) for n in range(5)]
    others = [_hold("bob", "carl", n) for n in range(3)]
    with uow_factory() as uow:
        for reservation in [*held, *given, *others]:
            uow.reservations.add(reservation)
        uow.commit()
    return [*held, *given]


def _pages(
    uow_factory: Backend,
    role: ReservationRole | None,
    limit: int,
    keep: Callable[[Reservation], bool],
) -> list[list[str]]:
    pages: list[list[str]] = []
    cursor = None
    while True:
        with uow_factory() as uow:
            page = uow.reservations.for_user("ann", role, limit, cursor, keep)
        pages.append([r.id for r in page.entries])
        cursor = page.cursor
        if cursor is None:
            return pages


@pytest.mark.parametrize(("role", "limit"), list(itertools.product(_ROLES, (1, 3, 5, 12, 13))))
def test_pages_newest_first_without_loss_or_repeat(
    uow_factory: Backend, role: ReservationRole | None, limit: int
) -> None:
    mine = _everything(uow_factory)
    # Every third one only: pages then skip records the adapter has read.
    skipped = {r.id for r in mine[::3]}

    def keep(reservation: Reservation) -> bool:
        return reservation.id not in skipped

    def mine_in(reservation: Reservation) -> bool:
        if role is ReservationRole.HOLDER:
            return reservation.user_id == "ann"
        if role is ReservationRole.GIVER:
            return reservation.owner_id == "ann"
        return True

    ordered = sorted(mine, key=lambda r: (r.created_at, r.id), reverse=True)
    for chosen in (lambda _r: True, keep):
        expected = [r.id for r in ordered if mine_in(r) and chosen(r)]
        pages = _pages(uow_factory, role, limit, chosen)
        assert [i for page in pages for i in page] == expected, (role, limit)
        assert all(0 < len(page) <= limit for page in pages) or expected == []
        assert len(pages) == max(1, -(-len(expected) // limit))  # no empty last page


def test_a_cursor_of_another_listing_is_refused(uow_factory: Backend) -> None:
    foreign = cursors.encode_time_id(cursors.OWNER_ITEMS, b.NOW, "item-1")
    with uow_factory() as uow, pytest.raises(ValidationFailed) as raised:
        uow.reservations.for_user("ann", None, 5, foreign, lambda _r: True)
    assert raised.value.details[0]["field"] == "cursor"


def test_a_status_change_keeps_a_reservation_listed_for_both(uow_factory: Backend) -> None:
    hold = _hold("ann", "giver-9", 0)
    with uow_factory() as uow:
        uow.reservations.add(hold)
        uow.commit()
    with uow_factory() as uow:
        current = uow.reservations.get(hold.id)
        assert current is not None
        current.cancel("ann", b.NOW)
        uow.reservations.update(current)
        uow.commit()
    for user, role in (("ann", ReservationRole.HOLDER), ("giver-9", ReservationRole.GIVER)):
        with uow_factory() as uow:
            page = uow.reservations.for_user(user, role, 5, None, lambda _r: True)
        assert [(r.id, r.status.value) for r in page.entries] == [(hold.id, "cancelled")]
    with uow_factory() as uow:
        assert uow.reservations.lapsed(b.NOW + timedelta(days=2), 10) == []
