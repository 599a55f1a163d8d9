"""Ratings on both adapters: the rules, the exact mean, paging, the outbox and races."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import datetime, timedelta

import hypothesis.strategies as st
import pytest
from hypothesis import HealthCheck, given, settings

from ecobid_core.errors import AlreadyRated, DomainError, Forbidden, Unavailable
from ecobid_core.model.events import RatingSubmitted
from ecobid_core.model.rating import Rating
from ecobid_core.model.records import Transaction, TransactionKind
from ecobid_core.model.user import RatingSummary, UserProfile
from ecobid_core.services import ratings
from ecobid_core.services.retry import with_retries
from tests.contract import builders as b
from tests.contract.conftest import Backend


class Clock:
    def __init__(self, now: datetime = b.NOW) -> None:
        self.at = now

    def now(self) -> datetime:
        return self.at


def _users(backend: Backend, *user_ids: str) -> None:
    for user_id in user_ids:
        with backend() as uow:
            uow.users.add(UserProfile.first_seen(user_id=user_id, email="x@y.org", now=b.NOW))
            uow.commit()


def _deal(backend: Backend, seller: str, buyer: str, at: datetime = b.NOW) -> Transaction:
    kind = TransactionKind.GIFT
    transaction = Transaction(
        id=Transaction.id_for(kind, b.new_id("item")),
        item_id=b.new_id("item"),
        seller_id=seller,
        buyer_id=buyer,
        amount=0,
        currency=None,
        kind=kind,
        created_at=at,
    )
    with backend() as uow:
        uow.transactions.add(transaction)
        uow.commit()
    return transaction


def _summary(backend: Backend, user_id: str) -> RatingSummary:
    with backend() as uow:
        profile = uow.users.get(user_id)
    assert profile is not None
    return profile.rating


def _submit(backend: Backend, deal: Transaction, rater: str, score: int, at: datetime) -> Rating:
    cmd = ratings.SubmitRating(transaction_id=deal.id, rater_id=rater, score=score)
    return ratings.submit_rating(cmd, backend(), Clock(at)).rating


def test_a_rating_commits_with_the_profile_and_its_event(uow_factory: Backend) -> None:
    _users(uow_factory, "seller", "buyer")
    deal = _deal(uow_factory, "seller", "buyer")
    rating = _submit(uow_factory, deal, "buyer", 5, b.NOW + timedelta(days=1))
    assert (rating.rater_id, rating.ratee_id, rating.item_id) == ("buyer", "seller", deal.item_id)
    with uow_factory() as uow:
        assert uow.ratings.get(deal.id, "buyer") == rating
        assert uow.ratings.get(deal.id, "seller") is None
        seller = uow.users.get("seller")
    assert seller is not None
    assert (seller.rating, seller.version) == (RatingSummary(5, 1), 2)
    events = [e for e in uow_factory.outbox() if e.name == "RatingSubmitted"]
    assert events == [
        RatingSubmitted(
            event_id="RatingSubmitted:seller:2",
            occurred_at=rating.created_at,
            rating_id=rating.id,
            transaction_id=deal.id,
            item_id=deal.item_id,
            rater_id="buyer",
            ratee_id="seller",
            score=5,
        )
    ]
    with pytest.raises(AlreadyRated):
        _submit(uow_factory, deal, "buyer", 1, b.NOW + timedelta(days=2))
    with pytest.raises(Forbidden):
        _submit(uow_factory, deal, "seller-of-something-else", 1, b.NOW)
    assert _summary(uow_factory, "seller") == RatingSummary(5, 1)


def test_both_parties_find_the_transaction_newest_first(uow_factory: Backend) -> None:
    _users(uow_factory, "hub", "p0", "p1", "p2")
    deals = [
        _deal(uow_factory, "hub", "p0", b.NOW),
        _deal(uow_factory, "p1", "hub", b.NOW + timedelta(minutes=1)),
        _deal(uow_factory, "hub", "p2", b.NOW + timedelta(minutes=2)),
    ]
    mine = _submit(uow_factory, deals[1], "hub", 4, b.NOW + timedelta(hours=1))
    with uow_factory() as uow:
        first = ratings.list_user_transactions("hub", "hub", 2, None, uow)
    assert [(e.transaction, e.my_rating) for e in first.entries] == [
        (deals[2], None),
        (deals[1], mine),
    ]
    assert first.cursor is not None
    with uow_factory() as uow:
        rest = ratings.list_user_transactions("hub", "hub", 2, first.cursor, uow)
    assert ([e.transaction for e in rest.entries], rest.cursor) == ([deals[0]], None)
    with uow_factory() as uow:
        seen_by_buyer = ratings.list_user_transactions("p2", "p2", 5, None, uow)
        received = ratings.list_ratings_received("p1", 5, None, uow)
    assert [e.transaction for e in seen_by_buyer.entries] == [deals[2]]
    assert (list(received.entries), received.cursor) == ([mine], None)


ATTEMPTS = st.lists(
    st.tuples(
        st.integers(0, 2),  # which deal
        st.sampled_from(["seller", "buyer", "stranger"]),
        st.integers(-1, 7),  # score, valid or not
        st.integers(0, 40),  # days after the deal
    ),
    max_size=12,
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(attempts=ATTEMPTS)
def test_the_average_is_the_mean_of_the_accepted_scores(
    uow_factory: Backend, attempts: list[tuple[int, str, int, int]]
) -> None:
    run = uuid.uuid4().hex[:8]  # examples share a store: each has users of its own
    people = {role: f"{role}-{run}" for role in ("seller", "buyer", "stranger")}
    _users(uow_factory, *people.values())
    deals = [_deal(uow_factory, people["seller"], people["buyer"]) for _ in range(3)]
    accepted: dict[str, list[int]] = {user: [] for user in people.values()}
    done: set[tuple[int, str]] = set()
    for deal_no, role, score, days in attempts:
        try:
            rating = _submit(
                uow_factory, deals[deal_no], people[role], score, b.NOW + timedelta(days=days)
            )
        except DomainError:
            allowed = False
        else:
            allowed = True
            accepted[rating.ratee_id].append(rating.score)
        expected = (
            role != "stranger" and 1 <= score <= 5 and days < 30 and (deal_no, role) not in done
        )
        assert allowed == expected
        if allowed:
            done.add((deal_no, role))
    for user, scores in accepted.items():
        summary = _summary(uow_factory, user)
        assert summary.count == len(scores)
        assert summary.average == (sum(scores) / len(scores) if scores else None)


def _at_once(backend: Backend, submissions: list[tuple[Transaction, str, int]]) -> list[object]:
    """Run the submissions in parallel threads, each retried on a lost race as the API does."""
    start = threading.Barrier(len(submissions))
    outcomes: list[object] = [None] * len(submissions)

    def submit(number: int) -> None:
        deal, rater, score = submissions[number]
        start.wait()
        try:
            outcomes[number] = with_retries(
                lambda: _submit(backend, deal, rater, score, b.NOW),
                attempts=60,
                pause=time.sleep,
                max_delay=0.05,
            )
        except (DomainError, Unavailable) as error:
            outcomes[number] = error

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(len(submissions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_twenty_identical_submissions_count_once(uow_factory: Backend) -> None:
    _users(uow_factory, "giver", "taker")
    deal = _deal(uow_factory, "giver", "taker")
    outcomes = _at_once(uow_factory, [(deal, "giver", 4)] * 20)
    assert sum(isinstance(o, Rating) for o in outcomes) == 1
    assert sum(isinstance(o, AlreadyRated) for o in outcomes) == 19
    assert _summary(uow_factory, "taker") == RatingSummary(4, 1)
    assert len([e for e in uow_factory.outbox() if e.name == "RatingSubmitted"]) == 1


def test_ten_raters_of_one_user_at_once_all_count(uow_factory: Backend) -> None:
    raters = [f"rater-{n}" for n in range(10)]
    _users(uow_factory, "hub", *raters)
    scores = [5, 4, 4, 3, 5, 1, 2, 5, 4, 4]
    deals = [_deal(uow_factory, "hub", rater) for rater in raters]
    outcomes = _at_once(uow_factory, list(zip(deals, raters, scores, strict=True)))
    assert all(isinstance(o, Rating) for o in outcomes), outcomes
    summary = _summary(uow_factory, "hub")
    assert summary == RatingSummary(sum(scores), 10)
    assert summary.average == sum(scores) / 10
