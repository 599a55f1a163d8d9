"""Photos outlive nothing: once an item is gone, its photos are released to the store.

An item given away, sold, ended or withdrawn never comes back on offer, so nobody will
be shown its photos again. The store deletes released photos in its own time (S3's
lifecycle rules, within 90 days); listed items' photos are never released. Releasing
twice is harmless, so a redelivered event needs no bookkeeping.
"""

from __future__ import annotations

from functools import singledispatch

from ecobid_core.model.events import (
    AuctionEnded,
    DomainEvent,
    ItemWithdrawn,
    ReservationConfirmed,
)
from ecobid_core.model.values import LISTED_STATUSES
from ecobid_core.ports import ImageStore, UnitOfWorkFactory


@singledispatch
def release_photos(event: DomainEvent, uow_factory: UnitOfWorkFactory, store: ImageStore) -> int:
    """Release the photos of the item the event ended; answers how many (most events: 0)."""
    return 0


@release_photos.register
def _(event: ItemWithdrawn, uow_factory: UnitOfWorkFactory, store: ImageStore) -> int:
    return _release(event.item_id, uow_factory, store)


@release_photos.register
def _(event: ReservationConfirmed, uow_factory: UnitOfWorkFactory, store: ImageStore) -> int:
    return _release(event.item_id, uow_factory, store)


@release_photos.register
def _(event: AuctionEnded, uow_factory: UnitOfWorkFactory, store: ImageStore) -> int:
    return _release(event.item_id, uow_factory, store)


def _release(item_id: str, uow_factory: UnitOfWorkFactory, store: ImageStore) -> int:
    with uow_factory() as uow:
        item = uow.items.get(item_id)
    if item is None or item.status in LISTED_STATUSES:
        return 0
    for image in item.images:
        store.release(item.id, image.id)
    return len(item.images)
