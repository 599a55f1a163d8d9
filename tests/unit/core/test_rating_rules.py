"""The rating rules in the model alone: who rates whom, score, comment, window, the mean."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction

import attrs
import hypothesis.strategies as st
import pytest
from hypothesis import given

from ecobid_core.errors import Forbidden, RatingClosed, ValidationFailed
from ecobid_core.model.rating import RATING_WINDOW, Rating
from ecobid_core.model.records import Transaction, TransactionKind
from ecobid_core.model.user import RatingSummary, UserProfile

NOW = datetime(2030, 1, 1, tzinfo=UTC)
DEAL = Transaction(
    id="sale-item-1",
    item_id="item-1",
    seller_id="sam",
    buyer_id="bea",
    amount=1_500,
    currency="EUR",
    kind=TransactionKind.SALE,
    created_at=NOW,
)


def test_each_party_rates_the_other() -> None:
    by_seller = Rating.submit(DEAL, "sam", 4, "  Quick and kind. ", NOW)
    by_buyer = Rating.submit(DEAL, "bea", 1, "", NOW)
    assert (by_seller.ratee_id, by_seller.comment) == ("bea", "Quick and kind.")
    assert by_buyer.ratee_id == "sam"
    assert by_seller.id != by_buyer.id
    assert by_seller.id == Rating.id_for(DEAL.id, "sam")


def test_an_outsider_may_not_rate() -> None:
    with pytest.raises(Forbidden):
        Rating.submit(DEAL, "eve", 5, "", NOW)


@pytest.mark.parametrize("score", [0, 6, -1, True])
def test_a_score_outside_one_to_five_is_refused(score: int) -> None:
    with pytest.raises(ValidationFailed):
        Rating.submit(DEAL, "sam", score, "", NOW)


def test_a_comment_is_at_most_500_characters() -> None:
    assert len(Rating.submit(DEAL, "sam", 3, "x" * 500, NOW).comment) == 500
    with pytest.raises(ValidationFailed):
        Rating.submit(DEAL, "sam", 3, "x" * 501, NOW)


def test_the_window_closes_after_thirty_days_unless_configured() -> None:
    last_moment = NOW + RATING_WINDOW - timedelta(microseconds=1)
    assert Rating.submit(DEAL, "sam", 3, "", last_moment).created_at == last_moment
    with pytest.raises(RatingClosed):
        Rating.submit(DEAL, "sam", 3, "", NOW + RATING_WINDOW)
    week = timedelta(days=7)
    with pytest.raises(RatingClosed):
        Rating.submit(DEAL, "sam", 3, "", NOW + week, window=week)


@given(st.lists(st.integers(1, 5), max_size=200))
def test_the_average_is_the_exact_mean(scores: list[int]) -> None:
    profile = UserProfile.first_seen(user_id="bea", email="bea@example.com", now=NOW)
    for n, score in enumerate(scores):
        deal = attrs.evolve(DEAL, id=f"sale-{n}")
        profile.receive(Rating.submit(deal, "sam", score, "", NOW), NOW)
    assert profile.rating == RatingSummary(sum(scores), len(scores))
    expected = float(Fraction(sum(scores), len(scores))) if scores else None
    assert profile.rating.average == expected
    assert len(profile.pull_events()) == len(scores)


def test_a_rating_is_counted_on_its_ratee_only() -> None:
    profile = UserProfile.first_seen(user_id="sam", email="sam@example.com", now=NOW)
    with pytest.raises(ValueError, match="ratee"):
        profile.receive(Rating.submit(DEAL, "sam", 3, "", NOW), NOW)
