"""User profiles: what neighbours see of each other."""

from __future__ import annotations

from datetime import datetime

from attrs import define, frozen

from ecobid_core.model.aggregate import FIRST_VERSION, Versioned
from ecobid_core.model.values import Location, text


@frozen
class Rating:
    average: float = 0.0
    count: int = 0


@define(kw_only=True)
class UserProfile(Versioned):
    id: str
    email: str
    display_name: str
    bio: str
    location: Location | None
    rating: Rating
    created_at: datetime
    updated_at: datetime
    version: int = FIRST_VERSION

    @classmethod
    def first_seen(cls, *, user_id: str, email: str, now: datetime) -> UserProfile:
        """The profile made the first time a signed-in user reaches the API."""
        local_part = email.split("@", 1)[0].strip() or "neighbour"
        return cls(
            id=user_id,
            email=email,
            display_name=local_part[:50],
            bio="",
            location=None,
            rating=Rating(),
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
            self.display_name = text(display_name, "displayName", min_len=1, max_len=50)
        if bio is not None:
            self.bio = text(bio, "bio", min_len=0, max_len=500)
        if location is not None or clear_location:
            self.location = location
        self._changed(now)
