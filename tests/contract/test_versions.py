"""The aggregate owns its version: each change makes the next, and names its event.

Storage only keeps the version the aggregate carries, guarded by the one it read, so
event ids follow from the aggregate alone, however many changes one commit holds.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from ecobid_core.errors import ConcurrentUpdate
from ecobid_core.model.item import ImageStatus
from tests.contract import builders as b
from tests.contract.conftest import Backend


def _events(backend: Backend, name: str) -> list[str]:
    return sorted(e.event_id for e in backend.outbox() if e.name == name)


def _add(backend: Backend, repository: str, entity: Any) -> None:
    with backend() as uow:
        getattr(uow, repository).add(entity)
        uow.commit()


def _change(backend: Backend, repository: str, entity_id: str, change: Callable[[Any], Any]) -> Any:
    """Read, change and update one entity in one unit of work; returns it as stored."""
    with backend() as uow:
        entities = getattr(uow, repository)
        current = entities.get(entity_id)
        assert current is not None
        change(current)
        entities.update(current)
        uow.commit()
    with backend() as uow:
        return getattr(uow, repository).get(entity_id)


def test_two_changes_in_one_commit_have_distinct_event_ids(uow_factory: Backend) -> None:
    item = b.free_item()
    _add(uow_factory, "items", item)

    def edit_twice(current: Any) -> None:
        current.edit("owner-1", b.NOW, title="first")
        current.edit("owner-1", b.NOW, description="second")

    stored = _change(uow_factory, "items", item.id, edit_twice)
    assert (stored.version, stored.title, stored.description) == (3, "first", "second")
    assert _events(uow_factory, "ItemUpdated") == [
        f"ItemUpdated:{item.id}:2",
        f"ItemUpdated:{item.id}:3",
    ]


def test_two_images_processed_one_after_the_other_have_distinct_event_ids(
    uow_factory: Backend,
) -> None:
    item = b.free_item()
    for image_id in ("img-1", "img-2"):
        item.add_image("owner-1", image_id, "image/jpeg", b.NOW)
    _add(uow_factory, "items", item)
    for image_id in ("img-1", "img-2"):
        _change(
            uow_factory,
            "items",
            item.id,
            lambda current, image_id=image_id: current.image_processed(
                image_id, ImageStatus.READY, b.NOW
            ),
        )
    # Created at 1, two images added (2, 3), then one version per processed image.
    assert _events(uow_factory, "ImageProcessed") == [
        f"ImageProcessed:{item.id}:4",
        f"ImageProcessed:{item.id}:5",
    ]


def test_a_reservation_and_its_item_each_count_their_own_changes(
    uow_factory: Backend,
) -> None:
    item = b.free_item()
    _add(uow_factory, "items", item)
    reservation = b.reservation(item_id=item.id)
    _add(uow_factory, "reservations", reservation)

    def reserve_then_withdraw(current: Any) -> None:
        current.reserve("holder-1", reservation.id, b.NOW, timedelta(hours=1))
        assert current.withdraw("owner-1", b.NOW).reservation_id == reservation.id

    stored_item = _change(uow_factory, "items", item.id, reserve_then_withdraw)
    stored_reservation = _change(
        uow_factory, "reservations", reservation.id, lambda r: r.cancel("owner-1", b.NOW)
    )
    assert (stored_item.version, stored_reservation.version) == (3, 2)
    assert _events(uow_factory, "ItemWithdrawn") == [f"ItemWithdrawn:{item.id}:3"]
    assert _events(uow_factory, "ReservationCancelled") == [
        f"ReservationCancelled:{reservation.id}:2"
    ]


def test_a_profile_advances_its_version_on_every_edit(uow_factory: Backend) -> None:
    user = b.user()
    _add(uow_factory, "users", user)
    for bio in ("one", "two"):
        stored = _change(uow_factory, "users", user.id, lambda u, bio=bio: u.edit(b.NOW, bio=bio))
    assert (stored.version, stored.bio) == (3, "two")


def test_the_same_change_committed_twice_concurrently_lands_once(uow_factory: Backend) -> None:
    item = b.free_item()
    _add(uow_factory, "items", item)
    with uow_factory() as first, uow_factory() as second:
        copies = [(first, first.items.get(item.id)), (second, second.items.get(item.id))]
        for uow, current in copies:
            assert current is not None
            current.withdraw("owner-1", b.NOW)  # both make version 2 and its event
            uow.items.update(current)
        first.commit()
        with pytest.raises(ConcurrentUpdate):
            second.commit()
    with uow_factory() as uow:
        stored = uow.items.get(item.id)
    assert stored is not None
    assert stored.version == 2
    assert _events(uow_factory, "ItemWithdrawn") == [f"ItemWithdrawn:{item.id}:2"]
    assert len(uow_factory.outbox()) == 2  # ItemCreated and the one withdrawal
