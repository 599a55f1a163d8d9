"""Ratings: after a hand-over, each party rates the other once.

A rating belongs to a transaction and its rater: its id is made of both, so the store's
if-absent condition is what keeps it to one, however many requests race. Only the
transaction's seller and buyer may rate, each the other, within a window after it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final

from attrs import frozen

from ecobid_core.errors import Forbidden, RatingClosed, ValidationFailed
from ecobid_core.model.records import Transaction
from ecobid_core.model.text import clean_text

MIN_SCORE: Final = 1
MAX_SCORE: Final = 5
MAX_COMMENT: Final = 500
#: How long after a transaction its parties may rate each other, unless configured.
RATING_WINDOW: Final = timedelta(days=30)


@frozen(kw_only=True)
class Rating:
    id: str
    transaction_id: str
    item_id: str
    rater_id: str
    ratee_id: str
    score: int
    comment: str
    created_at: datetime

    @staticmethod
    def id_for(transaction_id: str, rater_id: str) -> str:
        return f"{transaction_id}>{rater_id}"

    @classmethod
    def submit(
        cls,
        transaction: Transaction,
        rater_id: str,
        score: int,
        comment: str,
        now: datetime,
        window: timedelta = RATING_WINDOW,
    ) -> Rating:
        """The rater's rating of the other party, if the rules allow it now."""
        ratee_id = _other_party(transaction, rater_id)
        if isinstance(score, bool) or not MIN_SCORE <= score <= MAX_SCORE:
            raise ValidationFailed.on("score", f"must be a whole number {MIN_SCORE} to {MAX_SCORE}")
        kept = clean_text(comment, "comment", min_len=0, max_len=MAX_COMMENT, multiline=True)
        if now >= transaction.created_at + window:
            raise RatingClosed(f"ratings close {window.days} days after the transaction")
        return cls(
            id=cls.id_for(transaction.id, rater_id),
            transaction_id=transaction.id,
            item_id=transaction.item_id,
            rater_id=rater_id,
            ratee_id=ratee_id,
            score=score,
            comment=kept,
            created_at=now,
        )


def _other_party(transaction: Transaction, user_id: str) -> str:
    if user_id == transaction.seller_id:
        return transaction.buyer_id
    if user_id == transaction.buyer_id:
        return transaction.seller_id
    raise Forbidden("only the transaction's seller or buyer may rate it")
