"""Who hears of what: domain events turned into notifications, once each.

Events arrive at least once. A notification's id is derived from the event id and its
recipient and written with an if-absent condition, so a redelivered event writes nothing.
"""

from __future__ import annotations

from functools import singledispatch

from attrs import frozen

from ecobid_core import geo
from ecobid_core.errors import ConcurrentUpdate, Forbidden
from ecobid_core.model.events import (
    AuctionEnded,
    BidPlaced,
    DomainEvent,
    ImageProcessed,
    ItemCreated,
    RatingSubmitted,
    ReservationCancelled,
    ReservationConfirmed,
    ReservationCreated,
    ReservationExpired,
)
from ecobid_core.model.money import format_money
from ecobid_core.model.records import Notification
from ecobid_core.ports import UnitOfWork, UnitOfWorkFactory

#: Users whose home is this close to a new item hear of it.
NEARBY_KM = 5.0


@frozen
class Message:
    user_id: str
    type: str
    message: str


@singledispatch
def messages_for(event: DomainEvent, uow: UnitOfWork) -> list[Message]:
    return []


@messages_for.register
def _(event: ItemCreated, uow: UnitOfWork) -> list[Message]:
    cells = geo.cover(event.lat, event.lon, NEARBY_KM)
    return [
        Message(user.id, "item_nearby", f"New nearby: {event.title}")
        for user in uow.users.in_cells(cells)
        if user.id != event.owner_id
        and user.location is not None
        and geo.haversine_km(event.lat, event.lon, user.location.lat, user.location.lon)
        <= NEARBY_KM
    ]


@messages_for.register
def _(event: ReservationCreated, uow: UnitOfWork) -> list[Message]:
    return [Message(event.owner_id, "reservation_created", "Someone reserved your item.")]


@messages_for.register
def _(event: ReservationConfirmed, uow: UnitOfWork) -> list[Message]:
    return [Message(event.user_id, "reservation_confirmed", "The hand-over is confirmed.")]


@messages_for.register
def _(event: ReservationCancelled, uow: UnitOfWork) -> list[Message]:
    other = event.owner_id if event.cancelled_by == event.user_id else event.user_id
    return [Message(other, "reservation_cancelled", "A reservation was cancelled.")]


@messages_for.register
def _(event: ReservationExpired, uow: UnitOfWork) -> list[Message]:
    text = "A reservation expired before the hand-over."
    return [
        Message(event.user_id, "reservation_expired", text),
        Message(event.owner_id, "reservation_expired", text),
    ]


@messages_for.register
def _(event: BidPlaced, uow: UnitOfWork) -> list[Message]:
    outbid = event.previous_leader_id
    if outbid is None or outbid == event.leader_id:
        return []
    return [Message(outbid, "outbid", "You were outbid.")]


@messages_for.register
def _(event: AuctionEnded, uow: UnitOfWork) -> list[Message]:
    # Every bidder but the winner hears that it is over; the public steps name them all
    # (a leader's hidden raise adds no step, but that bidder already has one).
    losers = sorted({bid.bidder_id for bid in uow.bids.for_item(event.item_id)})
    lost = [
        Message(user, "auction_lost", f"{event.title}: the auction ended; you did not win.")
        for user in losers
        if user != event.winner_id
    ]
    if not event.sold or event.winner_id is None or event.price is None:
        return [Message(event.owner_id, "auction_ended", f"{event.title}: ended, no sale."), *lost]
    price = format_money(event.price, event.currency)
    return [
        Message(event.winner_id, "auction_won", f"You won {event.title} at {price}."),
        Message(event.owner_id, "auction_sold", f"{event.title} sold at {price}."),
        *lost,
    ]


@messages_for.register
def _(event: ImageProcessed, uow: UnitOfWork) -> list[Message]:
    if event.status != "rejected":
        return []
    item = uow.items.get(event.item_id)
    owner = [] if item is None else [item.owner_id]
    return [Message(user, "image_rejected", "A photo was rejected.") for user in owner]


@messages_for.register
def _(event: RatingSubmitted, uow: UnitOfWork) -> list[Message]:
    return [Message(event.ratee_id, "rating_received", f"You were rated {event.score} of 5.")]


def deliver(event: DomainEvent, uow_factory: UnitOfWorkFactory) -> int:
    """Write this event's notifications; returns how many were new."""
    with uow_factory() as uow:
        messages = messages_for(event, uow)
    item_id = getattr(event, "item_id", None)
    # Every notification about a reservation names it, so either party can act on it.
    reservation_id = getattr(event, "reservation_id", None)
    written = 0
    for message in messages:
        notification = Notification(
            id=Notification.id_for(event.event_id, message.user_id),
            user_id=message.user_id,
            type=message.type,
            item_id=item_id,
            reservation_id=reservation_id,
            message=message.message,
            created_at=event.occurred_at,
        )
        try:
            with uow_factory() as uow:
                if uow.notifications.get(notification.id) is not None:
                    continue
                uow.notifications.add(notification)
                uow.commit()
                written += 1
        except ConcurrentUpdate:
            continue  # a parallel delivery of the same event wrote it
    return written


def list_notifications(
    user_id: str, caller_id: str, limit: int, uow: UnitOfWork
) -> list[Notification]:
    if user_id != caller_id:
        raise Forbidden("you can only read your own notifications")
    with uow:
        return uow.notifications.for_user(user_id, limit)
