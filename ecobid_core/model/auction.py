"""The pure rules of a small auction: proxy bidding, reserve price and soft close.

An ``Auction`` is an immutable value: every operation returns a new one, so a use case
can compute the next state, write it conditionally and simply retry on a lost race.
Money is an ``int`` in minor units and times are timezone-aware UTC, as everywhere in
the core.

Bids are proxy bids: ``amount`` is the bidder's hidden maximum. Only the leader's and
the runner-up's maxima matter for the visible price, so those two are all the state
kept; the list of bids itself belongs to whoever stores them.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Final

from attrs import Factory, evolve, frozen

from ecobid_core.errors import AuctionClosed, AuctionHasBids, BidTooLow, ValidationFailed
from ecobid_core.model import money

SOFT_CLOSE: Final = timedelta(minutes=2)
"""A bid accepted this close to the end that moves the price or the leader moves the end
to this long after the bid."""

MIN_DURATION: Final = timedelta(minutes=5)
MAX_DURATION: Final = timedelta(days=14)

# (exclusive upper bound of the price, step). Prices at or above the last bound step by
# ``_TOP_INCREMENT``.
_INCREMENTS: Final[tuple[tuple[int, int], ...]] = (
    (100, 5),
    (500, 25),
    (2_500, 50),
    (10_000, 100),
    (25_000, 250),
    (50_000, 500),
)
_TOP_INCREMENT: Final = 1_000

_CURRENCY = re.compile(r"[A-Z]{3}")


def increment(price: int) -> int:
    """The smallest step above ``price`` a competing bid must make, in minor units.

    The step grows with the price so that bidding stays meaningful for a 2 EUR lamp and
    a 900 EUR bike alike.
    """
    if price < 0:
        raise ValueError(f"a price cannot be negative: {price}")
    for bound, step in _INCREMENTS:
        if price < bound:
            return step
    return _TOP_INCREMENT


class _Unchanged(Enum):
    # A sentinel of its own, because ``None`` is a real value for ``reserve_price``.
    UNCHANGED = "unchanged"


UNCHANGED: Final = _Unchanged.UNCHANGED


@frozen
class Outcome:
    """How an ended auction came out; a sale only if the reserve was met."""

    sold: bool
    winner_id: str | None = None
    price: int | None = None


@frozen
class Auction:
    """The bidding state of one auction item.

    ``leader_max`` and ``second_max`` are hidden from everyone but the rules: showing
    them would defeat proxy bidding. ``second_max`` is the highest maximum among the
    bidders other than the leader; it never exceeds ``current_price``.
    """

    start_price: int
    currency: str
    ends_at: datetime
    reserve_price: int | None = None
    current_price: int = Factory(lambda self: self.start_price, takes_self=True)
    bid_count: int = 0
    leader_id: str | None = None
    leader_max: int | None = None
    second_max: int | None = None

    def __attrs_post_init__(self) -> None:
        # Also checked here, not only in ``open``, so that no way of building an
        # auction (a repository rehydrating one, ``evolve``) can bypass the terms. The
        # currency's shape only: whether ISO 4217 lists it is checked where a seller
        # names it (``open``, ``with_terms``), so a stored auction stays readable after
        # its currency leaves the list.
        _check_terms(self.start_price, self.currency, self.reserve_price)

    @classmethod
    def open(
        cls,
        *,
        start_price: int,
        currency: str,
        ends_at: datetime,
        reserve_price: int | None = None,
        now: datetime,
    ) -> Auction:
        """Start an auction with no bids, checking the seller's terms."""
        _check_terms(start_price, currency, reserve_price)
        money.currency(currency, "auction.currency")
        return cls(
            start_price=start_price,
            currency=currency,
            ends_at=_check_ends_at(ends_at, now),
            reserve_price=reserve_price,
        )

    def minimum_bid(self) -> int:
        """The lowest amount anyone, the leader included, may bid now."""
        if self.leader_id is None:
            return self.start_price
        return self.current_price + increment(self.current_price)

    @property
    def reserve_met(self) -> bool:
        """Whether the auction would sell if it ended now."""
        if self.leader_max is None:
            return False
        return self.reserve_price is None or self.leader_max >= self.reserve_price

    def is_closed(self, now: datetime) -> bool:
        """Closed by the clock: an end job that has not run yet changes nothing."""
        return now >= self.ends_at

    def place_bid(self, bidder_id: str, amount: int, now: datetime) -> Auction:
        """Accept ``amount`` as ``bidder_id``'s maximum, or raise without changing anything.

        Raises ``AuctionClosed`` at or after ``ends_at`` and ``BidTooLow`` below
        ``minimum_bid()``; the closed check comes first, since no amount could help.
        """
        if self.is_closed(now):
            raise AuctionClosed("the auction has ended")
        minimum = self.minimum_bid()
        if amount < minimum:
            raise BidTooLow(minimum)

        if self.leader_id is None or self.leader_max is None:
            leader_id, leader_max, second_max = bidder_id, amount, None
            price = self.start_price
        elif bidder_id == self.leader_id:
            # Raising one's own maximum must not bid against oneself, so the price
            # stays, even where the runner-up's maximum would now allow more; and a
            # lower amount never lowers the maximum already promised.
            leader_id, leader_max = bidder_id, max(self.leader_max, amount)
            second_max = self.second_max
            price = self.current_price
        elif amount > self.leader_max:
            leader_id, leader_max, second_max = bidder_id, amount, self.leader_max
            price = _proxy_price(leader_max, second_max)
        else:
            # An equal maximum loses to the earlier bid. The amount is above the price,
            # hence above every other bidder's maximum, the bidder's own earlier one
            # included: it becomes the runner-up's maximum.
            leader_id, leader_max, second_max = self.leader_id, self.leader_max, amount
            price = _proxy_price(leader_max, second_max)

        if self.reserve_price is not None and leader_max >= self.reserve_price:
            price = max(price, self.reserve_price)

        # Only a bid that moves the price or the leader is a public step: a leader's own
        # raise short of the reserve neither shows (it would tell everyone a hidden
        # maximum went up) nor extends the end (the leader could keep the auction open).
        step = price != self.current_price or leader_id != self.leader_id
        ends_at = self.ends_at
        if step and ends_at - now < SOFT_CLOSE:
            ends_at = now + SOFT_CLOSE

        return evolve(
            self,
            current_price=price,
            bid_count=self.bid_count + 1 if step else self.bid_count,
            leader_id=leader_id,
            leader_max=leader_max,
            second_max=second_max,
            ends_at=ends_at,
        )

    def outcome(self) -> Outcome:
        """The result once the auction is closed; meaningless before."""
        if self.leader_id is None or not self.reserve_met:
            return Outcome(sold=False)
        return Outcome(sold=True, winner_id=self.leader_id, price=self.current_price)

    def with_terms(
        self,
        *,
        start_price: int | _Unchanged = UNCHANGED,
        reserve_price: int | _Unchanged | None = UNCHANGED,
        ends_at: datetime | _Unchanged = UNCHANGED,
        currency: str | _Unchanged = UNCHANGED,
        now: datetime,
    ) -> Auction:
        """Change the seller's terms, which is only fair while nobody has bid.

        Only a new ``ends_at`` is checked against ``now``: the one already agreed was
        valid when set, and editing the price close to the end should not require
        moving the end as well.
        """
        if self.bid_count > 0:
            raise AuctionHasBids("auction terms are fixed once a bid exists")
        new_start = self.start_price if isinstance(start_price, _Unchanged) else start_price
        new_currency = self.currency if isinstance(currency, _Unchanged) else currency
        new_reserve = self.reserve_price if isinstance(reserve_price, _Unchanged) else reserve_price
        _check_terms(new_start, new_currency, new_reserve)
        if not isinstance(currency, _Unchanged):
            money.currency(currency, "auction.currency")
        new_ends_at = (
            self.ends_at if isinstance(ends_at, _Unchanged) else _check_ends_at(ends_at, now)
        )
        return evolve(
            self,
            start_price=new_start,
            currency=new_currency,
            reserve_price=new_reserve,
            ends_at=new_ends_at,
            current_price=new_start,
        )


def _proxy_price(leader_max: int, second_max: int) -> int:
    # The leader pays one step over the runner-up, but never more than they offered.
    return min(leader_max, second_max + increment(second_max))


def _check_terms(start_price: int, currency: str, reserve_price: int | None) -> None:
    if start_price < 1:
        raise ValidationFailed.on("auction.startPrice", "must be at least 1")
    if not _CURRENCY.fullmatch(currency):
        raise ValidationFailed.on("auction.currency", "must be three upper-case letters")
    if reserve_price is not None and reserve_price < start_price:
        raise ValidationFailed.on("auction.reservePrice", "must be at least the start price")


def _check_ends_at(ends_at: datetime, now: datetime) -> datetime:
    if ends_at.tzinfo is None or ends_at.utcoffset() is None:
        raise ValidationFailed.on("auction.endsAt", "must include a time zone")
    if not now + MIN_DURATION <= ends_at <= now + MAX_DURATION:
        raise ValidationFailed.on("auction.endsAt", "must be 5 minutes to 14 days from now")
    return ends_at.astimezone(UTC)
