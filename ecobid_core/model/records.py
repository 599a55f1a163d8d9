"""Write-once records: transactions, bids and notifications.

They are never edited, so they carry no version; their ids are chosen so that writing one
twice (a retried job, a redelivered event) is refused by the store rather than doubled.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from attrs import frozen


class TransactionKind(StrEnum):
    GIFT = "gift"
    SALE = "sale"


@frozen(kw_only=True)
class Transaction:
    id: str
    item_id: str
    seller_id: str
    buyer_id: str
    amount: int
    currency: str | None
    kind: TransactionKind
    created_at: datetime

    @staticmethod
    def id_for(kind: TransactionKind, item_id: str) -> str:
        # An item changes hands once: one id per item and kind makes a second write fail.
        return f"{kind.value}-{item_id}"


@frozen(kw_only=True)
class Bid:
    """An accepted bid: the bidder's hidden maximum and the visible step it produced."""

    id: str
    item_id: str
    bidder_id: str
    amount: int
    created_at: datetime
    price_after: int
    leader_after: str
    seq: int


@frozen(kw_only=True)
class Notification:
    id: str
    user_id: str
    type: str
    item_id: str | None
    message: str
    created_at: datetime
    reservation_id: str | None = None
    read: bool = False

    @staticmethod
    def id_for(event_id: str, user_id: str) -> str:
        # One notification per event and recipient, however often the event arrives.
        return f"{event_id}>{user_id}"
