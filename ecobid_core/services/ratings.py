"""Rating the other party of a hand-over, and finding what to rate and what was received."""

from __future__ import annotations

from datetime import timedelta

from attrs import frozen

from ecobid_core.errors import AlreadyRated, Forbidden, NotFound
from ecobid_core.model.rating import RATING_WINDOW, Rating
from ecobid_core.model.records import Transaction
from ecobid_core.model.user import UserProfile
from ecobid_core.ports import Clock, Page, UnitOfWork


@frozen(kw_only=True)
class SubmitRating:
    transaction_id: str
    rater_id: str
    score: int
    comment: str = ""


@frozen
class Submitted:
    rating: Rating
    ratee: UserProfile  # as committed, for the identity provider's copy


@frozen
class RatedTransaction:
    transaction: Transaction
    my_rating: Rating | None


def submit_rating(
    cmd: SubmitRating, uow: UnitOfWork, clock: Clock, window: timedelta = RATING_WINDOW
) -> Submitted:
    """Store the rating and count it on the ratee's profile, in one commit.

    The rating is added if absent and the profile updated at the version read, so of two
    identical submissions racing one commits and the other, retried, finds it (409); two
    raters of the same user both count, the second on the first one's version.
    """
    now = clock.now()
    with uow:
        transaction = uow.transactions.get(cmd.transaction_id)
        if transaction is None:
            raise NotFound("no such transaction")
        rating = Rating.submit(transaction, cmd.rater_id, cmd.score, cmd.comment, now, window)
        if uow.ratings.get(transaction.id, cmd.rater_id) is not None:
            raise AlreadyRated("you have rated this transaction already")
        ratee = uow.users.get(rating.ratee_id)
        if ratee is None:
            raise NotFound("the other party has no profile")
        ratee.receive(rating, now)
        uow.ratings.add(rating)
        uow.users.update(ratee)
        uow.commit()
    return Submitted(rating, ratee)


def list_user_transactions(
    user_id: str, caller_id: str, limit: int, cursor: str | None, uow: UnitOfWork
) -> Page[RatedTransaction]:
    """The caller's gifts and sales, either side, newest first, with the caller's ratings."""
    if user_id != caller_id:
        raise Forbidden("you can only list your own transactions")
    with uow:
        page = uow.transactions.for_user(user_id, limit, cursor)
        mine = uow.ratings.given_by(user_id, [t.id for t in page.entries]) if page.entries else {}
    return Page([RatedTransaction(t, mine.get(t.id)) for t in page.entries], page.cursor)


def list_ratings_received(
    user_id: str, limit: int, cursor: str | None, uow: UnitOfWork
) -> Page[Rating]:
    with uow:
        return uow.ratings.received_by(user_id, limit, cursor)
