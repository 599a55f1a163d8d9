"""Who hears of what: the recipients and words of every event but a new item.

A new item reaches the owners of the alerts it matches (``fanout.audience``); every
other event's recipients follow from the event itself, by the rules below. ``fanout``
writes and pushes what these return, once each however often an event arrives.
"""

from __future__ import annotations

from functools import singledispatch

from attrs import frozen

from ecobid_core.model.events import (
    AuctionEnded,
    BidPlaced,
    DomainEvent,
    ImageProcessed,
    RatingSubmitted,
    ReservationCancelled,
    ReservationConfirmed,
    ReservationCreated,
    ReservationExpired,
)
from ecobid_core.model.money import format_money
from ecobid_core.ports import UnitOfWork


@frozen
class Message:
    user_id: str
    type: str
    message: str


@singledispatch
def messages_for(event: DomainEvent, uow: UnitOfWork) -> list[Message]:
    return []


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
