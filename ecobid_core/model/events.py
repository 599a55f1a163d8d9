"""Domain events: facts that other parts of the system react to.

Aggregates record them (``ecobid_core.model.aggregate``); the unit of work writes them to
the outbox in the same commit as the change, so an event exists if and only if its change
does. ``event_id`` is derived from the aggregate and the version the change produced,
which makes it unique and stable: consumers use it to stay idempotent under at-least-once
delivery.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from attrs import field, frozen


@frozen(kw_only=True)
class DomainEvent:
    name: ClassVar[str] = "DomainEvent"
    event_id: str
    occurred_at: datetime


@frozen(kw_only=True)
class ItemCreated(DomainEvent):
    name: ClassVar[str] = "ItemCreated"
    item_id: str
    owner_id: str
    item_type: str
    category: str
    lat: float
    lon: float
    geohash: str
    title: str


@frozen(kw_only=True)
class ItemUpdated(DomainEvent):
    name: ClassVar[str] = "ItemUpdated"
    item_id: str
    owner_id: str
    changed: tuple[str, ...] = field(factory=tuple)


@frozen(kw_only=True)
class ItemWithdrawn(DomainEvent):
    name: ClassVar[str] = "ItemWithdrawn"
    item_id: str
    owner_id: str
    title: str


@frozen(kw_only=True)
class ReservationCreated(DomainEvent):
    name: ClassVar[str] = "ReservationCreated"
    reservation_id: str
    item_id: str
    user_id: str
    owner_id: str
    expires_at: datetime


@frozen(kw_only=True)
class ReservationConfirmed(DomainEvent):
    name: ClassVar[str] = "ReservationConfirmed"
    reservation_id: str
    item_id: str
    user_id: str
    owner_id: str
    transaction_id: str


@frozen(kw_only=True)
class ReservationCancelled(DomainEvent):
    name: ClassVar[str] = "ReservationCancelled"
    reservation_id: str
    item_id: str
    user_id: str
    owner_id: str
    cancelled_by: str


@frozen(kw_only=True)
class ReservationExpired(DomainEvent):
    name: ClassVar[str] = "ReservationExpired"
    reservation_id: str
    item_id: str
    user_id: str
    owner_id: str


@frozen(kw_only=True)
class BidPlaced(DomainEvent):
    name: ClassVar[str] = "BidPlaced"
    item_id: str
    bid_id: str
    bidder_id: str
    owner_id: str
    current_price: int
    leader_id: str
    previous_leader_id: str | None
    ends_at: datetime


@frozen(kw_only=True)
class AuctionEnded(DomainEvent):
    name: ClassVar[str] = "AuctionEnded"
    item_id: str
    owner_id: str
    title: str
    sold: bool
    winner_id: str | None
    price: int | None
    currency: str
    transaction_id: str | None


@frozen(kw_only=True)
class ImageProcessed(DomainEvent):
    name: ClassVar[str] = "ImageProcessed"
    item_id: str
    image_id: str
    status: str


@frozen(kw_only=True)
class RatingSubmitted(DomainEvent):
    name: ClassVar[str] = "RatingSubmitted"
    rating_id: str
    transaction_id: str
    item_id: str
    rater_id: str
    ratee_id: str
    score: int


EVENT_TYPES: dict[str, type[DomainEvent]] = {
    cls.name: cls
    for cls in (
        ItemCreated,
        ItemUpdated,
        ItemWithdrawn,
        ReservationCreated,
        ReservationConfirmed,
        ReservationCancelled,
        ReservationExpired,
        BidPlaced,
        AuctionEnded,
        ImageProcessed,
        RatingSubmitted,
    )
}
