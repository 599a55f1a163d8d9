"""Bidding on an auction, its public history, and ending it."""

from __future__ import annotations

from functools import partial

from attrs import frozen

from ecobid_core.errors import NotFound
from ecobid_core.model.item import Item
from ecobid_core.model.records import Bid, Transaction, TransactionKind
from ecobid_core.ports import Clock, IdGenerator, UnitOfWork, UnitOfWorkFactory
from ecobid_core.services.items import load_visible
from ecobid_core.services.retry import with_retries


@frozen
class Accepted:
    bid: Bid
    item: Item


def place_bid(
    item_id: str, bidder_id: str, amount: int, uow: UnitOfWork, clock: Clock, ids: IdGenerator
) -> Accepted:
    """The item and the bid are written together, guarded by the item's version, so
    concurrent bids are applied one after another in the order they commit."""
    now = clock.now()
    with uow:
        item = load_visible(uow, item_id, bidder_id)
        steps_before = item.auction.bid_count if item.auction is not None else 0
        bid = item.place_bid(bidder_id, amount, ids.new_id(), now)
        uow.items.update(item)
        if bid.seq > steps_before:
            # A public step. A leader's own raise short of the reserve is none: its
            # maximum lives in the auction's hidden state, and the history stays as it was.
            uow.bids.add(bid)
        uow.commit()
    return Accepted(bid, item)


def bid_history(item_id: str, viewer_id: str, uow: UnitOfWork) -> list[Bid]:
    with uow:
        load_visible(uow, item_id, viewer_id)
        return uow.bids.for_item(item_id)


def end_auction(item_id: str, uow: UnitOfWork, clock: Clock) -> bool:
    """Settle one auction if it is due; harmless to run again or concurrently."""
    now = clock.now()
    with uow:
        item = uow.items.get(item_id)
        if item is None:
            raise NotFound("no such item")
        outcome = item.end_auction(now)
        if outcome is None:
            return False
        if outcome.sold and outcome.winner_id is not None and outcome.price is not None:
            assert item.auction is not None
            uow.transactions.add(
                Transaction(
                    id=Transaction.id_for(TransactionKind.SALE, item.id),
                    item_id=item.id,
                    seller_id=item.owner_id,
                    buyer_id=outcome.winner_id,
                    amount=outcome.price,
                    currency=item.auction.currency,
                    kind=TransactionKind.SALE,
                    created_at=now,
                )
            )
        uow.items.update(item)
        uow.commit()
    return True


def end_due_auctions(uow_factory: UnitOfWorkFactory, clock: Clock, batch: int = 100) -> int:
    """The sweep behind the per-auction schedules: ends every auction that is due."""
    with uow_factory() as uow:
        due = uow.items.auctions_due(clock.now(), batch)
    # A lost race (a late bid, another sweep) is re-run on fresh reads, where the rules
    # decide again: a soft close may have moved the end, another run may have settled it.

    def settle(item_id: str) -> bool:
        return end_auction(item_id, uow_factory(), clock)

    return sum(with_retries(partial(settle, item.id)) for item in due)
