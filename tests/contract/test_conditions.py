"""Conditional writes: if-absent adds, versioned updates, all-or-nothing commits."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from ecobid_core.errors import ConcurrentUpdate
from ecobid_core.ports import UnitOfWork
from tests.contract import builders as b
from tests.contract.conftest import Backend

ADDERS: dict[str, tuple[Callable[[], Any], Callable[[UnitOfWork, Any], None]]] = {
    "item": (b.free_item, lambda uow, e: uow.items.add(e)),
    "auction": (b.auction_item, lambda uow, e: uow.items.add(e)),
    "reservation": (b.reservation, lambda uow, e: uow.reservations.add(e)),
    "user": (b.user, lambda uow, e: uow.users.add(e)),
    "transaction": (b.transaction, lambda uow, e: uow.transactions.add(e)),
    "bid": (lambda: b.bid("item-twice", 1), lambda uow, e: uow.bids.add(e)),
}


@pytest.mark.parametrize("kind", list(ADDERS))
def test_adding_an_existing_record_fails(uow_factory: Backend, kind: str) -> None:
    build, add = ADDERS[kind]
    entity = build()
    with uow_factory() as uow:
        add(uow, entity)
        uow.commit()
    with uow_factory() as uow:
        add(uow, copy.deepcopy(entity))  # the same record again, as a retried request
        with pytest.raises(ConcurrentUpdate):
            uow.commit()


def _stored_item(uow_factory: Backend) -> Any:
    item = b.free_item()
    with uow_factory() as uow:
        uow.items.add(item)
        uow.commit()
    return item


def test_versions_count_stored_states(uow_factory: Backend) -> None:
    item = _stored_item(uow_factory)
    assert item.version == 1
    for expected in (2, 3):
        with uow_factory() as uow:
            current = uow.items.get(item.id)
            assert current is not None
            current.edit("owner-1", b.NOW, title=f"v{expected}")
            uow.items.update(current)
            assert current.version == expected  # advanced by the change itself
            uow.commit()
        with uow_factory() as uow:
            stored = uow.items.get(item.id)
            assert stored is not None
            assert (stored.version, stored.title) == (expected, f"v{expected}")


def test_stale_update_fails_and_writes_nothing(uow_factory: Backend) -> None:
    item = _stored_item(uow_factory)
    with uow_factory() as first, uow_factory() as second:
        mine = first.items.get(item.id)
        theirs = second.items.get(item.id)
        assert mine is not None
        assert theirs is not None
        theirs.edit("owner-1", b.NOW, title="theirs")
        second.items.update(theirs)
        second.commit()
        mine.edit("owner-1", b.NOW, title="mine")
        first.items.update(mine)
        with pytest.raises(ConcurrentUpdate):
            first.commit()
    with uow_factory() as uow:
        stored = uow.items.get(item.id)
    assert stored is not None
    assert (stored.title, stored.version) == ("theirs", 2)
    assert [e.event_id for e in uow_factory.outbox() if e.name == "ItemUpdated"] == [
        f"ItemUpdated:{item.id}:2"
    ]


def test_updating_a_missing_record_fails(uow_factory: Backend) -> None:
    user = b.user()
    with uow_factory() as uow:
        uow.users.add(user)
        uow.commit()
    with uow_factory() as uow:
        ghost = uow.users.get(user.id)
        assert ghost is not None
        uow_factory.drop_user(user.id)  # gone between the read and the write
        ghost.edit(b.NOW, bio="still here?")
        uow.users.update(ghost)
        with pytest.raises(ConcurrentUpdate):
            uow.commit()
    with uow_factory() as uow:
        assert uow.users.get(user.id) is None


def test_only_what_the_unit_of_work_read_can_be_updated(uow_factory: Backend) -> None:
    item = _stored_item(uow_factory)
    with uow_factory() as uow:
        item.edit("owner-1", b.NOW, title="never read here")
        with pytest.raises(ValueError, match="not read by this unit of work"):
            uow.items.update(item)


def test_a_failing_write_takes_the_whole_commit_with_it(uow_factory: Backend) -> None:
    item = _stored_item(uow_factory)
    fresh = b.free_item()
    reservation = b.reservation()
    with uow_factory() as uow:
        stale = uow.items.get(item.id)
        assert stale is not None
        with uow_factory() as other:  # a change committed after this unit of work's read
            newer = other.items.get(item.id)
            assert newer is not None
            newer.edit("owner-1", b.NOW, title="newer")
            other.items.update(newer)
            other.commit()
        stale.edit("owner-1", b.NOW, title="stale")
        uow.items.add(fresh)
        uow.reservations.add(reservation)
        uow.items.update(stale)
        with pytest.raises(ConcurrentUpdate):
            uow.commit()
    with uow_factory() as uow:
        assert uow.items.get(fresh.id) is None
        assert uow.reservations.get(reservation.id) is None
        kept = uow.items.get(item.id)
        assert kept is not None
        assert kept.title == "newer"
    assert sorted(e.event_id for e in uow_factory.outbox()) == [
        f"ItemCreated:{item.id}:1",
        f"ItemUpdated:{item.id}:2",
    ]


def test_uncommitted_changes_are_invisible_and_discarded(uow_factory: Backend) -> None:
    item = b.free_item()
    with uow_factory() as uow:
        uow.items.add(item)
        with uow_factory() as other:
            assert other.items.get(item.id) is None
        # leaving the block without commit discards the staged write
    with uow_factory() as uow:
        assert uow.items.get(item.id) is None
        uow.commit()  # nothing staged: a harmless no-op
    assert uow_factory.outbox() == []


def test_commit_clears_what_was_staged(uow_factory: Backend) -> None:
    item = b.free_item()
    with uow_factory() as uow:
        uow.items.add(item)
        uow.commit()
        uow.commit()  # a second commit must not write the same records again
    with uow_factory() as uow:
        stored = uow.items.get(item.id)
    assert stored is not None
    assert stored.version == 1


def test_of_two_readers_exactly_one_commits(uow_factory: Backend) -> None:
    item = _stored_item(uow_factory)
    outcomes = []
    with uow_factory() as a, uow_factory() as c:
        copies = [(a, a.items.get(item.id)), (c, c.items.get(item.id))]
        for number, (uow, current) in enumerate(copies):
            assert current is not None
            current.edit("owner-1", b.NOW, title=f"writer {number}")
            uow.items.update(current)
        for uow, _ in copies:
            try:
                uow.commit()
                outcomes.append("ok")
            except ConcurrentUpdate:
                outcomes.append("lost")
    assert outcomes == ["ok", "lost"]
    with uow_factory() as uow:
        stored = uow.items.get(item.id)
    assert stored is not None
    assert (stored.title, stored.version) == ("writer 0", 2)


def test_committed_events_reach_the_outbox(uow_factory: Backend) -> None:
    item = b.free_item()
    reservation = b.reservation(item_id=item.id)
    recorded = [*item.pending_events, *reservation.pending_events]
    with uow_factory() as uow:
        uow.items.add(item)
        uow.reservations.add(reservation)
        uow.commit()
    with uow_factory() as uow:
        current = uow.reservations.get(reservation.id)
        assert current is not None
        current.cancel("holder-1", b.NOW)
        recorded.extend(current.pending_events)
        uow.reservations.update(current)
        uow.commit()
    events = {e.event_id: e for e in uow_factory.outbox()}
    assert set(events) == {
        f"ItemCreated:{item.id}:1",
        f"ReservationCreated:{reservation.id}:1",
        f"ReservationCancelled:{reservation.id}:2",
    }
    # Rebuilt field for field, floats and times included.
    assert sorted(events.values(), key=lambda e: e.event_id) == sorted(
        recorded, key=lambda e: e.event_id
    )
