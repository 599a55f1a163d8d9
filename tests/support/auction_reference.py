"""A small, obviously-correct model of the auction rules, for tests to compare against.

It keeps every accepted bid and derives leader and price from scratch after each one,
straight from the contract's words; the implementation keeps three numbers instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ecobid_core.errors import AuctionClosed, BidTooLow


def reference_increment(price: int) -> int:
    # Written out again rather than imported, so a wrong table cannot agree with itself.
    for bound, step in ((100, 5), (500, 25), (2_500, 50), (10_000, 100), (25_000, 250)):
        if price < bound:
            return step
    return 500 if price < 50_000 else 1_000


@dataclass(frozen=True)
class Bid:
    bidder: str
    amount: int
    order: int


@dataclass
class Reference:
    start_price: int
    reserve_price: int | None
    ends_at: datetime
    bids: list[Bid] = field(default_factory=list)
    # The contract's public history: a bid is a step when it changes the price or the
    # leader; a leader's own raise short of the reserve is none.
    steps: int = 0

    @staticmethod
    def standings(bids: Sequence[Bid]) -> tuple[str | None, int | None, int | None]:
        """(leader, leader's max, runner-up's max) of a list of accepted bids."""
        best: dict[str, tuple[int, int]] = {}  # bidder -> (max, order it was first reached)
        for bid in bids:
            if bid.bidder not in best or bid.amount > best[bid.bidder][0]:
                best[bid.bidder] = (bid.amount, bid.order)
        if not best:
            return None, None, None
        leader = max(best, key=lambda bidder: (best[bidder][0], -best[bidder][1]))
        others = [amount for bidder, (amount, _) in best.items() if bidder != leader]
        return leader, best[leader][0], max(others) if others else None

    def price_after(self, count: int) -> int:
        """The visible price once the first ``count`` accepted bids are in."""
        if count == 0:
            return self.start_price
        leader_before, _, _ = self.standings(self.bids[: count - 1])
        _, leader_max, second = self.standings(self.bids[:count])
        assert leader_max is not None
        if self.bids[count - 1].bidder == leader_before:
            # The contract: a leader raising their own maximum does not raise the price
            # (unless that meets the reserve, applied below).
            price = self.price_after(count - 1)
        elif second is None:
            price = self.start_price
        else:
            price = min(leader_max, second + reference_increment(second))
        if self.reserve_price is not None and leader_max >= self.reserve_price:
            price = max(price, self.reserve_price)
        return price

    @property
    def leader(self) -> str | None:
        return self.standings(self.bids)[0]

    @property
    def leader_max(self) -> int | None:
        return self.standings(self.bids)[1]

    @property
    def second_max(self) -> int | None:
        return self.standings(self.bids)[2]

    @property
    def price(self) -> int:
        return self.price_after(len(self.bids))

    @property
    def minimum(self) -> int:
        return self.start_price if not self.bids else self.price + reference_increment(self.price)

    @property
    def reserve_met(self) -> bool:
        leader_max = self.leader_max
        if leader_max is None:
            return False
        return self.reserve_price is None or leader_max >= self.reserve_price

    def bid(self, bidder: str, amount: int, now: datetime) -> type[Exception] | None:
        """Apply a bid; return the error class the contract demands, if any."""
        if now >= self.ends_at:
            return AuctionClosed
        if amount < self.minimum:
            return BidTooLow
        price_before, leader_before = self.price, self.leader
        self.bids.append(Bid(bidder, amount, len(self.bids)))
        if self.price == price_before and self.leader == leader_before:
            return None  # neither a step nor a reason to extend the end
        self.steps += 1
        if self.ends_at - now < timedelta(minutes=2):
            self.ends_at = now + timedelta(minutes=2)
        return None
