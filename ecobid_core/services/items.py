"""Use cases of an item's life that are not about giving or bidding."""

from __future__ import annotations

from attrs import frozen

from ecobid_core.errors import NotFound
from ecobid_core.model.auction_terms import AuctionTerms
from ecobid_core.model.item import Item
from ecobid_core.model.values import ItemType, Location
from ecobid_core.ports import Clock, IdGenerator, UnitOfWork


@frozen(kw_only=True)
class CreateItem:
    owner_id: str
    title: str
    description: str
    category: str
    location: Location
    item_type: ItemType = ItemType.FREE
    auction: AuctionTerms | None = None


@frozen(kw_only=True)
class EditItem:
    item_id: str
    user_id: str
    expected_version: int | None = None
    title: str | None = None
    description: str | None = None
    category: str | None = None
    location: Location | None = None
    auction: AuctionTerms | None = None


def create_item(cmd: CreateItem, uow: UnitOfWork, clock: Clock, ids: IdGenerator) -> Item:
    item = Item.create(
        item_id=ids.new_id(),
        owner_id=cmd.owner_id,
        title=cmd.title,
        description=cmd.description,
        category_name=cmd.category,
        location=cmd.location,
        now=clock.now(),
        item_type=cmd.item_type,
        terms=cmd.auction,
    )
    with uow:
        uow.items.add(item)
        uow.commit()
    return item


def load_visible(uow: UnitOfWork, item_id: str, viewer_id: str) -> Item:
    """The item as ``viewer_id`` may see it; a withdrawn item is gone for all but its owner."""
    item = uow.items.get(item_id)
    if item is None or not item.visible_to(viewer_id):
        raise NotFound("no such item")
    return item


def get_item(item_id: str, viewer_id: str, uow: UnitOfWork) -> Item:
    with uow:
        return load_visible(uow, item_id, viewer_id)


def edit_item(cmd: EditItem, uow: UnitOfWork, clock: Clock) -> Item:
    with uow:
        item = load_visible(uow, cmd.item_id, cmd.user_id)
        item.edit(
            cmd.user_id,
            clock.now(),
            title=cmd.title,
            description=cmd.description,
            category_name=cmd.category,
            location=cmd.location,
            auction_terms=cmd.auction,
            expected_version=cmd.expected_version,
        )
        uow.items.update(item)
        uow.commit()
    return item


def withdraw_item(item_id: str, user_id: str, uow: UnitOfWork, clock: Clock) -> None:
    now = clock.now()
    with uow:
        item = load_visible(uow, item_id, user_id)
        # A hold that has merely lapsed is left to the expiry job: only a live one is
        # cancelled here, so its holder hears that the item is gone.
        cancelled = item.withdraw(user_id, now)
        if cancelled is not None:
            reservation = uow.reservations.get(cancelled.reservation_id)
            if reservation is not None:
                reservation.cancel(user_id, now)
                uow.reservations.update(reservation)
        uow.items.update(item)
        uow.commit()
