"""User profiles: what neighbours see of each other."""

from __future__ import annotations

from datetime import datetime

from attrs import define, field, frozen

from ecobid_core.model.aggregate import FIRST_VERSION, RecordsEvents
from ecobid_core.model.events import DomainEvent, RatingSubmitted
from ecobid_core.model.rating import Rating
from ecobid_core.model.text import clean_text, scrubbed
from ecobid_core.model.values import Location


@frozen
class RatingSummary:
    """The scores a user received, as their sum and count, so the mean is always exact.

    A running float average drifts with every update and cannot be undone; integers can.
    """

    total: int = 0
    count: int = 0

    @property
    def average(self) -> float | None:
        """The mean score; None before the first rating, which is no score at all."""
        return self.total / self.count if self.count else None

    def plus(self, score: int) -> RatingSummary:
        return RatingSummary(self.total + score, self.count + 1)


@define(kw_only=True)
class UserProfile(RecordsEvents):
    id: str
    email: str
    display_name: str
    bio: str
    location: Location | None
    rating: RatingSummary
    created_at: datetime
    updated_at: datetime
    version: int = FIRST_VERSION
    pending_events: list[DomainEvent] = field(factory=list, eq=False, repr=False)

    @classmethod
    def first_seen(cls, *, user_id: str, email: str, now: datetime) -> UserProfile:
        """The profile made the first time a signed-in user reaches the API."""
        display_name = scrubbed(email.split("@", 1)[0])[:50].strip() or "neighbour"
        return cls(
            id=user_id,
            email=email,
            display_name=display_name,
            bio="",
            location=None,
            rating=RatingSummary(),
            created_at=now,
            updated_at=now,
        )

    def edit(
        self,
        now: datetime,
        *,
        display_name: str | None = None,
        bio: str | None = None,
        location: Location | None = None,
        clear_location: bool = False,
    ) -> None:
        if display_name is not None:
            self.display_name = clean_text(
                display_name, "displayName", min_len=1, max_len=50, multiline=False
            )
        if bio is not None:
            self.bio = clean_text(bio, "bio", min_len=0, max_len=500, multiline=True)
        if location is not None or clear_location:
            self.location = location
        self._changed(now)

    def receive(self, rating: Rating, now: datetime) -> None:
        """Count a rating the other party of a hand-over gave this user."""
        if rating.ratee_id != self.id:
            raise ValueError("a rating is counted on its ratee's profile only")
        self.rating = self.rating.plus(rating.score)
        self._changed(now)
        self._record(
            RatingSubmitted(
                event_id=self._event_id(RatingSubmitted),
                occurred_at=now,
                rating_id=rating.id,
                transaction_id=rating.transaction_id,
                item_id=rating.item_id,
                rater_id=rating.rater_id,
                ratee_id=rating.ratee_id,
                score=rating.score,
            )
        )
