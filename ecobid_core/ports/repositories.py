"""Repositories: the aggregates' way in and out of storage.

Reads return copies the caller may change freely. Writes are only *staged*: nothing is
stored until the unit of work commits, and then all staged writes land together or none
does. Every staged write carries its condition, exactly as a DynamoDB transaction would:

* ``add`` requires that no record with that id exists;
* ``update`` requires that the stored version is still the one this unit of work read
  the entity at, and stores the version the entity carries (aggregates advance their
  own version as they change). Only an entity read through the same unit of work can be
  updated: the repository remembers the version it read.

A failed condition makes ``commit`` raise ``ConcurrentUpdate``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Generic, Protocol, TypeVar

from attrs import frozen

from ecobid_core.geo import RangeRead
from ecobid_core.model.item import Item
from ecobid_core.model.rating import Rating
from ecobid_core.model.records import Bid, Transaction
from ecobid_core.model.reservation import Reservation, ReservationRole
from ecobid_core.model.user import UserProfile

T = TypeVar("T")


@frozen
class Page(Generic[T]):
    entries: Sequence[T]
    cursor: str | None


@frozen
class Hit:
    item: Item
    distance_km: float


@frozen(kw_only=True)
class NearbySearch:
    """Items within ``radius_km`` of (lat, lon), nearest first, that ``keep`` accepts."""

    lat: float
    lon: float
    radius_km: float
    category: str | None
    limit: int
    keep: Callable[[Item], bool]


class ItemRepository(Protocol):
    def get(self, item_id: str) -> Item | None: ...
    def add(self, item: Item) -> None: ...
    def update(self, item: Item) -> None: ...

    def nearby(self, search: NearbySearch, cursor: str | None) -> Page[Hit]:
        """A page of the search, by (distance, id); ``cursor`` is the previous page's.

        Only searchable items (available, active or reserved: a hold can lapse unseen)
        of the category are read, nearest key ranges first, and only as many as the page
        needs (``ecobid_core.geo.nearest``); ``keep`` decides by the clock and the type.
        A cursor the adapter did not issue for this centre is ``ValidationFailed``.
        """
        ...

    def read_ranges(self, reads: Sequence[RangeRead], category: str | None) -> list[list[Item]]:
        """Each read answered as the geo index holds it, in order: the searchable items of
        ``category`` (all if None) in the read's geohash range, in (geohash, id) order or
        its reverse, beyond its position, at most its limit. Fewer than the limit means
        the range has no more.
        """
        ...

    def by_owner(self, owner_id: str, limit: int, after: str | None) -> Page[Item]:
        """The owner's items, newest first; ``after`` is the opaque cursor of the previous
        page (``ValidationFailed`` on ``cursor`` if it is none the adapter issued)."""
        ...

    def auctions_due(self, now: datetime, limit: int) -> list[Item]:
        """Active auctions whose ``ends_at`` is at or before ``now``, oldest first."""
        ...


class ReservationRepository(Protocol):
    def get(self, reservation_id: str) -> Reservation | None: ...
    def add(self, reservation: Reservation) -> None: ...
    def update(self, reservation: Reservation) -> None: ...

    def lapsed(self, now: datetime, limit: int) -> list[Reservation]:
        """Reservations still stored as pending whose ``expires_at`` has passed."""
        ...

    def for_user(
        self,
        user_id: str,
        role: ReservationRole | None,
        limit: int,
        after: str | None,
        keep: Callable[[Reservation], bool],
    ) -> Page[Reservation]:
        """Reservations the user holds (``HOLDER``), gives (``GIVER``) or either (None),
        newest first by (created_at, id), only those ``keep`` accepts (it decides by the
        clock: a stored ``pending`` may have lapsed). ``after`` is the previous page's
        cursor (``ValidationFailed`` on ``cursor`` if it is none the adapter issued)."""
        ...


class UserRepository(Protocol):
    def get(self, user_id: str) -> UserProfile | None: ...
    def add(self, user: UserProfile) -> None: ...
    def update(self, user: UserProfile) -> None: ...


class TransactionRepository(Protocol):
    def get(self, transaction_id: str) -> Transaction | None: ...
    def add(self, transaction: Transaction) -> None: ...

    def for_user(self, user_id: str, limit: int, after: str | None) -> Page[Transaction]:
        """Transactions the user sold or bought (gave or received), newest first.

        Indexed for both parties, so either finds what they can rate without a scan.
        """
        ...


class RatingRepository(Protocol):
    """Ratings are write-once: ``add`` is refused for a (transaction, rater) rated before."""

    def get(self, transaction_id: str, rater_id: str) -> Rating | None: ...
    def add(self, rating: Rating) -> None: ...

    def given_by(self, rater_id: str, transaction_ids: Sequence[str]) -> dict[str, Rating]:
        """The rater's ratings of these transactions, by transaction id: one batch read."""
        ...

    def received_by(self, ratee_id: str, limit: int, after: str | None) -> Page[Rating]:
        """Ratings the user received, newest first; ``after`` is the previous page's cursor."""
        ...


class BidRepository(Protocol):
    def add(self, bid: Bid) -> None: ...

    def for_item(self, item_id: str) -> list[Bid]:
        """The item's accepted bids, newest first."""
        ...
