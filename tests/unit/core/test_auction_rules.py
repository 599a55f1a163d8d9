"""The auction rules of the REST contract, one example at a time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from ecobid_core.errors import AuctionClosed, AuctionHasBids, BidTooLow, ValidationFailed
from ecobid_core.model.auction import SOFT_CLOSE, Auction, Outcome, increment

NOW = datetime(2030, 5, 1, 12, 0, tzinfo=UTC)
ENDS = NOW + timedelta(days=3)


def auction(start_price: int = 100, reserve_price: int | None = None) -> Auction:
    return Auction.open(
        start_price=start_price,
        currency="EUR",
        ends_at=ENDS,
        reserve_price=reserve_price,
        now=NOW,
    )


def field_of(error: ValidationFailed) -> str:
    return str(error.details[0]["field"])


@pytest.mark.parametrize(
    ("price", "step"),
    [
        (0, 5),
        (99, 5),
        (100, 25),
        (499, 25),
        (500, 50),
        (2_499, 50),
        (2_500, 100),
        (9_999, 100),
        (10_000, 250),
        (24_999, 250),
        (25_000, 500),
        (49_999, 500),
        (50_000, 1_000),
        (10_000_000, 1_000),
    ],
)
def test_increment_table_at_every_boundary(price: int, step: int) -> None:
    assert increment(price) == step


def test_increment_refuses_a_negative_price() -> None:
    with pytest.raises(ValueError, match="negative"):
        increment(-1)


def test_worked_example_of_the_contract() -> None:
    a = auction(start_price=100, reserve_price=1_000)
    assert (a.current_price, a.leader_id, a.minimum_bid(), a.reserve_met) == (100, None, 100, False)

    a = a.place_bid("A", 300, NOW)
    assert (a.current_price, a.leader_id, a.minimum_bid()) == (100, "A", 125)

    a = a.place_bid("B", 200, NOW)
    assert (a.current_price, a.leader_id, a.minimum_bid()) == (225, "A", 250)

    a = a.place_bid("B", 300, NOW)
    assert (a.current_price, a.leader_id, a.leader_max, a.minimum_bid()) == (300, "A", 300, 325)
    assert not a.reserve_met

    a = a.place_bid("C", 1_200, NOW)
    assert (a.current_price, a.leader_id, a.minimum_bid()) == (1_000, "C", 1_050)
    assert a.reserve_met
    assert a.bid_count == 4


def test_first_bid_shows_the_start_price_whatever_the_maximum() -> None:
    a = auction(start_price=100).place_bid("A", 5_000, NOW)
    assert (a.current_price, a.leader_id, a.leader_max, a.second_max) == (100, "A", 5_000, None)
    assert a.reserve_met


def test_equal_maxima_go_to_the_earlier_bid() -> None:
    a = auction().place_bid("A", 400, NOW).place_bid("B", 400, NOW)
    assert (a.leader_id, a.current_price, a.second_max) == ("A", 400, 400)


def test_overtaking_bid_takes_the_lead_one_step_over_the_old_leader() -> None:
    a = auction().place_bid("A", 300, NOW).place_bid("B", 1_000, NOW)
    assert (a.leader_id, a.current_price, a.second_max) == ("B", 325, 300)


def test_price_never_exceeds_the_leaders_maximum() -> None:
    a = auction().place_bid("A", 300, NOW).place_bid("B", 290, NOW)
    # 290 + 25 would be 315, but A only offered 300.
    assert (a.leader_id, a.current_price) == ("A", 300)


def test_below_minimum_is_refused_with_the_minimum() -> None:
    a = auction().place_bid("A", 300, NOW)
    with pytest.raises(BidTooLow) as caught:
        a.place_bid("B", 124, NOW)
    assert caught.value.minimum == 125
    assert a.place_bid("B", 125, NOW).current_price == 150


def test_first_bid_below_start_price_is_refused() -> None:
    with pytest.raises(BidTooLow) as caught:
        auction(start_price=100).place_bid("A", 99, NOW)
    assert caught.value.minimum == 100


def test_leader_too_must_bid_at_least_the_minimum() -> None:
    a = auction().place_bid("A", 300, NOW)
    with pytest.raises(BidTooLow) as caught:
        a.place_bid("A", 120, NOW)
    assert caught.value.minimum == 125


def test_leader_raising_own_maximum_does_not_move_the_price() -> None:
    a = auction().place_bid("A", 300, NOW).place_bid("B", 200, NOW)
    raised = a.place_bid("A", 2_000, NOW)
    assert (raised.current_price, raised.leader_id, raised.leader_max) == (225, "A", 2_000)
    # No public step: a step at the same price would tell everyone the maximum went up.
    assert raised.bid_count == 2


def test_leader_raising_a_capped_price_still_does_not_move_it() -> None:
    # Price 300 is capped by A's own maximum; the formula alone would now allow 315,
    # but the contract says a leader raising their maximum does not raise the price.
    a = auction().place_bid("A", 300, NOW).place_bid("B", 290, NOW)
    raised = a.place_bid("A", 400, NOW)
    assert (raised.current_price, raised.leader_max, raised.minimum_bid()) == (300, 400, 325)


def test_leader_bidding_less_than_own_maximum_keeps_the_maximum() -> None:
    a = auction().place_bid("A", 1_000, NOW)
    again = a.place_bid("A", 125, NOW)
    assert (again.leader_max, again.current_price, again.bid_count) == (1_000, 100, 1)


def test_leader_raising_to_meet_the_reserve_moves_the_price_to_the_reserve() -> None:
    a = auction(reserve_price=1_000).place_bid("A", 300, NOW).place_bid("B", 200, NOW)
    assert (a.current_price, a.reserve_met) == (225, False)
    raised = a.place_bid("A", 1_000, NOW)
    assert (raised.current_price, raised.reserve_met) == (1_000, True)


def test_single_bidder_meeting_the_reserve_pays_at_least_the_reserve() -> None:
    a = auction(start_price=100, reserve_price=700).place_bid("A", 700, NOW)
    assert (a.current_price, a.reserve_met) == (700, True)


def test_price_above_the_reserve_is_not_pulled_down_to_it() -> None:
    a = auction(reserve_price=200).place_bid("A", 1_000, NOW).place_bid("B", 600, NOW)
    assert a.current_price == 650


def test_reserve_met_without_reserve_needs_a_leader() -> None:
    a = auction()
    assert not a.reserve_met
    assert a.place_bid("A", 100, NOW).reserve_met


def test_soft_close_moves_the_end_to_two_minutes_after_a_late_bid() -> None:
    a = auction()
    late = ENDS - timedelta(seconds=30)
    moved = a.place_bid("A", 100, late)
    assert moved.ends_at == late + SOFT_CLOSE == ENDS + timedelta(seconds=90)
    # The new end is again inside the window, and moves again on the next late bid.
    later = moved.ends_at - timedelta(seconds=1)
    assert moved.place_bid("B", 125, later).ends_at == later + SOFT_CLOSE


def test_a_leaders_own_raise_in_the_window_moves_neither_the_end_nor_the_count() -> None:
    a = auction().place_bid("A", 300, NOW).place_bid("B", 200, NOW)
    late = ENDS - timedelta(seconds=30)
    raised = a.place_bid("A", 2_000, late)
    assert (raised.ends_at, raised.bid_count, raised.current_price) == (ENDS, 2, 225)
    assert raised.leader_max == 2_000


def test_a_competing_bid_in_the_window_still_extends() -> None:
    a = auction().place_bid("A", 300, NOW).place_bid("A", 2_000, NOW)
    late = ENDS - timedelta(seconds=30)
    competing = a.place_bid("B", 500, late)
    assert (competing.ends_at, competing.leader_id, competing.current_price) == (
        late + SOFT_CLOSE,
        "A",
        550,
    )
    assert competing.bid_count == 2


def test_a_leaders_raise_that_meets_the_reserve_is_a_step_and_extends() -> None:
    a = auction(reserve_price=1_000).place_bid("A", 300, NOW).place_bid("B", 200, NOW)
    late = ENDS - timedelta(seconds=30)
    raised = a.place_bid("A", 1_000, late)
    assert (raised.current_price, raised.bid_count, raised.ends_at) == (
        1_000,
        3,
        late + SOFT_CLOSE,
    )


def test_an_unknown_currency_is_refused() -> None:
    with pytest.raises(ValidationFailed) as caught:
        Auction.open(start_price=100, currency="XYZ", ends_at=ENDS, now=NOW)
    assert caught.value.details == [
        {"field": "auction.currency", "message": "must be an ISO 4217 currency code, e.g. EUR"}
    ]


def test_soft_close_applies_just_inside_the_window() -> None:
    now = ENDS - SOFT_CLOSE + timedelta(microseconds=1)
    assert auction().place_bid("A", 100, now).ends_at == now + SOFT_CLOSE


def test_bid_exactly_two_minutes_before_the_end_does_not_move_it() -> None:
    assert auction().place_bid("A", 100, ENDS - SOFT_CLOSE).ends_at == ENDS


def test_early_bid_does_not_move_the_end() -> None:
    assert auction().place_bid("A", 100, NOW).ends_at == ENDS


def test_refused_late_bid_does_not_move_the_end() -> None:
    a = auction().place_bid("A", 300, NOW)
    with pytest.raises(BidTooLow):
        a.place_bid("B", 101, ENDS - timedelta(seconds=10))
    assert a.ends_at == ENDS


def test_closed_at_exactly_ends_at() -> None:
    a = auction()
    assert not a.is_closed(ENDS - timedelta(microseconds=1))
    assert a.is_closed(ENDS)
    with pytest.raises(AuctionClosed):
        a.place_bid("A", 100, ENDS)
    with pytest.raises(AuctionClosed):
        a.place_bid("A", 100, ENDS + timedelta(days=1))


def test_closed_wins_over_too_low() -> None:
    with pytest.raises(AuctionClosed):
        auction().place_bid("A", 1, ENDS)


def test_outcome_sold_when_the_reserve_is_met() -> None:
    a = auction(reserve_price=1_000).place_bid("A", 300, NOW).place_bid("B", 1_200, NOW)
    assert a.outcome() == Outcome(sold=True, winner_id="B", price=1_000)


def test_outcome_not_sold_when_the_reserve_is_not_met() -> None:
    a = auction(reserve_price=1_000).place_bid("A", 300, NOW).place_bid("B", 999, NOW)
    assert a.outcome() == Outcome(sold=False, winner_id=None, price=None)


def test_outcome_sold_at_current_price_without_reserve() -> None:
    a = auction().place_bid("A", 300, NOW).place_bid("B", 200, NOW)
    assert a.outcome() == Outcome(sold=True, winner_id="A", price=225)


def test_outcome_not_sold_without_bids() -> None:
    assert auction().outcome() == Outcome(sold=False, winner_id=None, price=None)


def test_open_starts_empty_at_the_start_price() -> None:
    a = auction(start_price=250, reserve_price=400)
    assert a == Auction(start_price=250, currency="EUR", ends_at=ENDS, reserve_price=400)
    assert (a.current_price, a.bid_count, a.leader_id, a.leader_max, a.second_max) == (
        250,
        0,
        None,
        None,
        None,
    )


def test_open_accepts_the_duration_limits_inclusive() -> None:
    for ends_at in (NOW + timedelta(minutes=5), NOW + timedelta(days=14)):
        assert Auction.open(start_price=1, currency="EUR", ends_at=ends_at, now=NOW).ends_at == (
            ends_at
        )


def test_open_normalises_ends_at_to_utc() -> None:
    paris = timezone(timedelta(hours=2))
    a = Auction.open(start_price=1, currency="EUR", ends_at=ENDS.astimezone(paris), now=NOW)
    assert a.ends_at == ENDS
    assert a.ends_at.tzinfo is UTC


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"start_price": 0}, "auction.startPrice"),
        ({"start_price": -5}, "auction.startPrice"),
        ({"currency": "eur"}, "auction.currency"),
        ({"currency": "EU"}, "auction.currency"),
        ({"currency": "EURO"}, "auction.currency"),
        ({"currency": "EUR\n"}, "auction.currency"),
        ({"reserve_price": 99}, "auction.reservePrice"),
        ({"ends_at": NOW + timedelta(minutes=5) - timedelta(microseconds=1)}, "auction.endsAt"),
        ({"ends_at": NOW + timedelta(days=14, microseconds=1)}, "auction.endsAt"),
        ({"ends_at": NOW - timedelta(days=1)}, "auction.endsAt"),
        ({"ends_at": ENDS.replace(tzinfo=None)}, "auction.endsAt"),
    ],
)
def test_open_validation_errors(changes: dict[str, object], field: str) -> None:
    terms: dict[str, object] = {
        "start_price": 100,
        "currency": "EUR",
        "ends_at": ENDS,
        "reserve_price": None,
        "now": NOW,
    }
    with pytest.raises(ValidationFailed) as caught:
        Auction.open(**{**terms, **changes})  # type: ignore[arg-type]
    assert field_of(caught.value) == field


def test_reserve_equal_to_start_price_is_allowed() -> None:
    assert auction(start_price=100, reserve_price=100).reserve_price == 100


def test_constructor_checks_the_terms_too() -> None:
    with pytest.raises(ValidationFailed) as caught:
        Auction(start_price=0, currency="EUR", ends_at=ENDS)
    assert field_of(caught.value) == "auction.startPrice"


def test_with_terms_changes_terms_before_any_bid() -> None:
    a = auction(start_price=100, reserve_price=500)
    new_end = NOW + timedelta(days=7)
    changed = a.with_terms(start_price=200, ends_at=new_end, currency="GBP", now=NOW)
    assert (changed.start_price, changed.current_price, changed.minimum_bid()) == (200, 200, 200)
    assert (changed.currency, changed.ends_at, changed.reserve_price) == ("GBP", new_end, 500)
    assert a.start_price == 100  # the original value is untouched


def test_with_terms_can_remove_the_reserve() -> None:
    assert auction(reserve_price=500).with_terms(reserve_price=None, now=NOW).reserve_price is None


def test_with_terms_checks_only_a_new_end_against_now() -> None:
    a = auction()
    late = ENDS - timedelta(minutes=1)
    assert a.with_terms(start_price=150, now=late).ends_at == ENDS
    with pytest.raises(ValidationFailed) as caught:
        a.with_terms(ends_at=late + timedelta(minutes=1), now=late)
    assert field_of(caught.value) == "auction.endsAt"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"start_price": 0}, "auction.startPrice"),
        ({"currency": "usd"}, "auction.currency"),
        ({"start_price": 600}, "auction.reservePrice"),
        ({"reserve_price": 50}, "auction.reservePrice"),
    ],
)
def test_with_terms_validates(changes: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        auction(start_price=100, reserve_price=500).with_terms(**changes, now=NOW)  # type: ignore[arg-type]
    assert field_of(caught.value) == field


def test_with_terms_refused_after_a_bid() -> None:
    a = auction().place_bid("A", 100, NOW)
    with pytest.raises(AuctionHasBids, match="fixed once a bid exists"):
        a.with_terms(start_price=50, now=NOW)


def test_operations_return_new_values() -> None:
    a = auction()
    b = a.place_bid("A", 300, NOW)
    assert a.bid_count == 0
    assert a.leader_id is None
    assert b is not a
