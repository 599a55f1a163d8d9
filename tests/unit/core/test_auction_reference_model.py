"""``Auction`` against a reference model that recomputes everything from the bid list.

The implementation keeps only three numbers (leader's maximum, runner-up's maximum,
price) and updates them step by step; the model below keeps every accepted bid and
derives the same facts from scratch after each one, straight from the contract's words.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from ecobid_core.errors import AuctionClosed, BidTooLow
from ecobid_core.model.auction import SOFT_CLOSE, Auction, increment
from tests.support.auction_reference import Reference, reference_increment

T0 = datetime(2030, 1, 1, tzinfo=UTC)
BIDDERS = ("ann", "bob", "cat", "dan")


def assert_agree(auction: Auction, model: Reference) -> None:
    assert auction.leader_id == model.leader
    assert auction.leader_max == model.leader_max
    assert auction.second_max == model.second_max
    assert auction.current_price == model.price
    assert auction.reserve_met == model.reserve_met
    assert auction.minimum_bid() == model.minimum
    assert auction.ends_at == model.ends_at
    assert auction.bid_count == model.steps


prices = st.one_of(
    st.integers(1, 120),
    st.integers(1, 3_000),
    st.integers(1, 60_000),
    st.sampled_from([1, 99, 100, 499, 500, 2_499, 2_500, 9_999, 10_000, 24_999, 25_000, 49_999]),
)


@st.composite
def terms(draw: st.DrawFn) -> tuple[int, int | None, timedelta]:
    start = draw(prices)
    reserve = draw(st.none() | st.just(start) | st.integers(start, start * 4 + 3_000))
    duration = draw(
        st.sampled_from([timedelta(minutes=5), timedelta(minutes=7), timedelta(days=14)])
        | st.timedeltas(timedelta(minutes=5), timedelta(hours=3))
    )
    return start, reserve, duration


def draw_amount(data: st.DataObject, model: Reference) -> int:
    minimum = model.minimum
    choices: list[st.SearchStrategy[int]] = [
        st.just(minimum),
        st.integers(minimum, minimum + 300),
        st.integers(minimum, minimum * 3 + 5_000),
        st.integers(max(0, minimum - 300), minimum - 1),
        st.just(minimum - 1),
    ]
    if model.leader_max is not None:
        choices.append(st.just(model.leader_max))  # a tie with the hidden maximum
        choices.append(st.just(model.leader_max + 1))
    if model.reserve_price is not None:
        choices += [st.just(model.reserve_price), st.just(model.reserve_price - 1)]
    return data.draw(st.one_of(choices), label="amount")


def draw_time(data: st.DataObject, now: datetime, ends_at: datetime) -> datetime:
    choice = data.draw(
        st.sampled_from(["stay", "small", "window", "edge", "end", "past", "long"]), label="when"
    )
    if choice == "small":
        return now + data.draw(st.timedeltas(timedelta(0), timedelta(seconds=90)))
    if choice == "window":
        target = ends_at - data.draw(st.timedeltas(timedelta(0), SOFT_CLOSE))
    elif choice == "edge":
        target = (
            ends_at
            - SOFT_CLOSE
            + data.draw(st.sampled_from([-1, 0, 1])) * timedelta(microseconds=1)
        )
    elif choice == "end":
        target = ends_at
    elif choice == "past":
        target = ends_at + data.draw(st.timedeltas(timedelta(microseconds=1), timedelta(hours=1)))
    elif choice == "long":
        target = now + data.draw(st.timedeltas(timedelta(minutes=1), timedelta(days=2)))
    else:
        target = now
    return max(now, target)  # the clock never runs backwards


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(terms=terms(), data=st.data())
def test_auction_matches_the_reference_model_after_every_step(
    terms: tuple[int, int | None, timedelta], data: st.DataObject
) -> None:
    start, reserve, duration = terms
    auction = Auction.open(
        start_price=start, currency="EUR", ends_at=T0 + duration, reserve_price=reserve, now=T0
    )
    model = Reference(start, reserve, T0 + duration)
    assert_agree(auction, model)
    now = T0
    for _ in range(data.draw(st.integers(1, 25), label="steps")):
        now = draw_time(data, now, model.ends_at)
        bidder = data.draw(st.sampled_from(BIDDERS), label="bidder")
        amount = draw_amount(data, model)
        minimum = model.minimum
        expected = model.bid(bidder, amount, now)
        if expected is None:
            auction = auction.place_bid(bidder, amount, now)
        else:
            # Any other exception, the sibling error included, escapes and fails the test.
            with pytest.raises(expected) as refused:
                auction.place_bid(bidder, amount, now)
            if isinstance(refused.value, BidTooLow):
                assert refused.value.minimum == minimum
        assert_agree(auction, model)
        assert auction.is_closed(now) == (now >= model.ends_at)


def test_reference_increment_agrees_with_the_implementation() -> None:
    boundaries = [99, 100, 499, 500, 2_499, 2_500, 9_999, 10_000, 24_999, 25_000, 49_999, 50_000]
    for price in [*range(0, 60_001, 7), *boundaries]:
        assert increment(price) == reference_increment(price)


class PriceInvariants(RuleBasedStateMachine):
    """The price only ever goes up and never past what the leader offered."""

    auction: Auction
    now: datetime
    last_price: int

    @initialize(start=prices, reserve_extra=st.none() | st.integers(0, 5_000))
    def open(self, start: int, reserve_extra: int | None) -> None:
        reserve = None if reserve_extra is None else start + reserve_extra
        self.now = T0
        self.auction = Auction.open(
            start_price=start,
            currency="EUR",
            ends_at=T0 + timedelta(hours=1),
            reserve_price=reserve,
            now=T0,
        )
        self.last_price = self.auction.current_price

    @rule(
        bidder=st.sampled_from(BIDDERS),
        over_minimum=st.integers(-50, 3_000),
    )
    def bid(self, bidder: str, over_minimum: int) -> None:
        amount = self.auction.minimum_bid() + over_minimum
        try:
            self.auction = self.auction.place_bid(bidder, amount, self.now)
        except BidTooLow:
            assert over_minimum < 0
        except AuctionClosed:
            assert self.auction.is_closed(self.now)
        else:
            assert over_minimum >= 0

    @rule(step=st.timedeltas(timedelta(0), timedelta(minutes=20)))
    def advance(self, step: timedelta) -> None:
        self.now += step

    @invariant()
    def price_never_decreases_nor_exceeds_the_leaders_maximum(self) -> None:
        price = self.auction.current_price
        assert price >= self.last_price
        assert price >= self.auction.start_price
        if self.auction.leader_max is not None:
            assert price <= self.auction.leader_max
        if self.auction.second_max is not None:
            assert self.auction.second_max <= price
        self.last_price = price


PriceInvariants.TestCase.settings = settings(
    max_examples=150, stateful_step_count=30, deadline=None
)
test_price_invariants = PriceInvariants.TestCase
