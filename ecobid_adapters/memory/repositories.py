"""In-memory repositories, with the conditions and orderings of the DynamoDB ones."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from ecobid_adapters import cursors
from ecobid_adapters.memory.store import ABSENT, StagedWrite
from ecobid_adapters.nearby import nearby_page
from ecobid_adapters.read_versions import ReadVersions, Stored
from ecobid_core import geo
from ecobid_core.model.item import Item
from ecobid_core.model.records import Bid, Transaction
from ecobid_core.model.reservation import Reservation, ReservationRole, ReservationStatus
from ecobid_core.model.user import UserProfile
from ecobid_core.model.values import SEARCHABLE, ItemStatus
from ecobid_core.ports import Hit, NearbySearch, Page

if TYPE_CHECKING:
    from ecobid_adapters.memory.unit_of_work import MemoryUnitOfWork

E = TypeVar("E")
V = TypeVar("V", bound=Stored)


class _Table(Generic[E]):
    table = ""

    def __init__(self, uow: MemoryUnitOfWork) -> None:
        self._uow = uow

    def get(self, key: str) -> E | None:
        record: E | None = self._uow.store.read(self.table, key)
        return record

    def add(self, entity: E) -> None:
        self._stage(entity, ABSENT)

    def _stage(self, entity: Any, expected_version: int) -> None:
        events = entity.pull_events() if hasattr(entity, "pull_events") else []
        self._uow.stage(StagedWrite(self.table, entity.id, entity, expected_version), events)

    def _select(self, keep: Any) -> list[E]:
        return self._uow.store.select(self.table, keep)


class _Versioned(_Table[V]):
    """An aggregate's table: an update is conditioned on the version this unit of work read."""

    def __init__(self, uow: MemoryUnitOfWork) -> None:
        super().__init__(uow)
        self._read = ReadVersions(self.table)

    def get(self, key: str) -> V | None:
        entity = super().get(key)
        if entity is not None:
            self._read.saw(entity)
        return entity

    def _select(self, keep: Any) -> list[V]:
        found = super()._select(keep)
        for entity in found:
            self._read.saw(entity)
        return found

    def update(self, entity: V) -> None:
        self._stage(entity, self._read.of(entity))


def _by_geohash(item: Item) -> tuple[str, str]:
    """The geo index's order: the DynamoDB adapter's GSI1 sort key, ``(geohash, id)``."""
    return (item.geohash, item.id)


class MemoryItems(_Versioned[Item]):
    table = "items"

    def nearby(self, search: NearbySearch, cursor: str | None) -> Page[Hit]:
        return nearby_page(search, cursor, lambda reads: self.read_ranges(reads, search.category))

    def read_ranges(self, reads: Sequence[geo.RangeRead], category: str | None) -> list[list[Item]]:
        """Each read as the geo index answers it: searchable items of the category whose
        geohash is in the read's range, by (geohash, id) or its reverse, beyond the read's
        position, at most its limit; copied, as every read is, but only what it returns."""
        return [self._read_range(read, category) for read in reads]

    def _read_range(self, read: geo.RangeRead, category: str | None) -> list[Item]:
        first, last = read.first, read.last
        if read.forward:
            # ``(first,)`` sorts before every key whose geohash is ``first``.
            start: tuple[str, ...] = (first,) if read.after is None else max((first,), read.after)
            within = lambda position: position[0] <= last  # noqa: E731
        else:
            # ``(last + "~",)`` sorts after every key whose geohash is ``last``.
            start = (last + "~",) if read.after is None else min((last + "~",), read.after)
            within = lambda position: position[0] >= first  # noqa: E731
        found: list[Item] = self._uow.store.select_range(
            self.table,
            _by_geohash,
            start,
            within,
            lambda item: (
                item.status in SEARCHABLE and (category is None or item.category == category)
            ),
            read.limit,
            forward=read.forward,
        )
        for item in found:
            self._read.saw(item)
        return found

    def by_owner(self, owner_id: str, limit: int, after: str | None) -> Page[Item]:
        mine = self._select(lambda item: item.owner_id == owner_id)
        return newest_first(cursors.OWNER_ITEMS, mine, limit, after)

    def auctions_due(self, now: datetime, limit: int) -> list[Item]:
        due = self._select(
            lambda item: (
                item.status is ItemStatus.ACTIVE
                and item.auction is not None
                and item.auction.ends_at <= now
            )
        )
        due.sort(key=lambda item: (item.auction.ends_at if item.auction else now, item.id))
        return due[:limit]


class MemoryReservations(_Versioned[Reservation]):
    table = "reservations"

    def lapsed(self, now: datetime, limit: int) -> list[Reservation]:
        lapsed = self._select(
            lambda r: r.status is ReservationStatus.PENDING and r.expires_at <= now
        )
        lapsed.sort(key=lambda r: (r.expires_at, r.id))
        return lapsed[:limit]

    def for_user(
        self,
        user_id: str,
        role: ReservationRole | None,
        limit: int,
        after: str | None,
        keep: Callable[[Reservation], bool],
    ) -> Page[Reservation]:
        def mine(r: Reservation) -> bool:
            holds = role is not ReservationRole.GIVER and r.user_id == user_id
            gives = role is not ReservationRole.HOLDER and r.owner_id == user_id
            return (holds or gives) and keep(r)

        return newest_first(cursors.USER_RESERVATIONS, self._select(mine), limit, after)


class MemoryUsers(_Versioned[UserProfile]):
    table = "users"


class MemoryTransactions(_Table[Transaction]):
    table = "transactions"

    def for_user(self, user_id: str, limit: int, after: str | None) -> Page[Transaction]:
        mine = self._select(lambda t: user_id in (t.seller_id, t.buyer_id))
        return newest_first(cursors.USER_TRANSACTIONS, mine, limit, after)


class MemoryBids(_Table[Bid]):
    table = "bids"

    def for_item(self, item_id: str) -> list[Bid]:
        bids = self._select(lambda bid: bid.item_id == item_id)
        return sorted(bids, key=lambda bid: bid.seq, reverse=True)


class _Dated(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def created_at(self) -> datetime: ...


D = TypeVar("D", bound=_Dated)


def newest_first(kind: str, records: Sequence[D], limit: int, after: str | None) -> Page[D]:
    """A page of records, newest first by ``(created_at, id)``, as a GSI2 query pages.

    ``kind`` names the listing, so that its cursors are refused by every other one.
    """
    ordered = sorted(records, key=lambda r: (r.created_at, r.id), reverse=True)
    if after is not None:
        start = cursors.decode_time_id(after, kind)
        ordered = [r for r in ordered if (r.created_at, r.id) < start]
    page = ordered[:limit]
    more = len(ordered) > limit and bool(page)
    cursor = cursors.encode_time_id(kind, page[-1].created_at, page[-1].id) if more else None
    return Page(page, cursor)
