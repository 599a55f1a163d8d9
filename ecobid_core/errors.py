"""Domain errors.

Each carries the stable ``code`` of the REST contract, so an entrypoint can map any of
them to a response without knowing the rule that raised it. Nothing here knows HTTP
status codes: that mapping lives with the API.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


class DomainError(Exception):
    """A rule refused the request; nothing was changed."""

    code = "domain_error"

    def __init__(self, message: str, details: Sequence[Mapping[str, Any]] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.details = list(details)


class ValidationFailed(DomainError):
    """Input broke an invariant of the model (length, range, category, ...)."""

    code = "validation_error"

    @classmethod
    def on(cls, field: str, message: str) -> ValidationFailed:
        return cls(f"{field}: {message}", [{"field": field, "message": message}])


class NotFound(DomainError):
    code = "not_found"


class Forbidden(DomainError):
    code = "forbidden"


class Conflict(DomainError):
    """A business rule refused the request (409)."""

    code = "conflict"


class ItemNotAvailable(Conflict):
    code = "item_not_available"


class OwnItem(Conflict):
    code = "own_item"


class AuctionClosed(Conflict):
    code = "auction_closed"


class BidTooLow(Conflict):
    code = "bid_too_low"

    def __init__(self, minimum: int) -> None:
        super().__init__(
            f"the bid must be at least {minimum}",
            [{"field": "amount", "minimum": minimum}],
        )
        self.minimum = minimum


class VersionConflict(Conflict):
    """The caller's view of the entity is stale (an ``If-Match`` that no longer holds)."""

    code = "version_conflict"


class NotAnAuction(Conflict):
    """Auction terms sent to edit a free item: the request is well formed, the item is not
    an auction (a 409 like every rule that depends on the stored item, not a 400)."""

    code = "not_an_auction"


class ReservationNotPending(Conflict):
    code = "reservation_not_pending"


class AuctionHasBids(Conflict):
    code = "auction_has_bids"


class TooManyImages(Conflict):
    """The item already has as many photos as it may have; one must go first."""

    code = "too_many_images"


class AlreadyRated(Conflict):
    code = "already_rated"


class RatingClosed(Conflict):
    code = "rating_closed"


class ConcurrentUpdate(Exception):
    """A conditional write lost a race.

    Not a domain error: the use case is retried on fresh state, where the rules then
    decide (usually a clean 409). It only reaches a caller when retries run out.
    """


class Unavailable(Exception):
    """A dependency stayed throttled or down after retries; safe to retry later."""
