"""In-memory repositories, with the conditions and orderings of the DynamoDB ones."""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ecobid_adapters.memory.store import ABSENT, StagedWrite
from ecobid_adapters.read_versions import ReadVersions, Stored
from ecobid_core import geo
from ecobid_core.errors import ValidationFailed
from ecobid_core.model.item import Item
from ecobid_core.model.records import Bid, Notification, Transaction
from ecobid_core.model.reservation import Reservation, ReservationStatus
from ecobid_core.model.user import UserProfile
from ecobid_core.model.values import SEARCHABLE, ItemStatus
from ecobid_core.ports import Page

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


class MemoryItems(_Versioned[Item]):
    table = "items"

    def in_cells(self, cells: Sequence[str], category: str | None) -> list[Item]:
        prefixes = tuple(cells)
        return self._select(
            lambda item: (
                item.status in SEARCHABLE
                and item.geohash.startswith(prefixes)
                and (category is None or item.category == category)
            )
        )

    def by_owner(self, owner_id: str, limit: int, after: str | None) -> Page[Item]:
        start = _decode_position(after) if after else None
        items = sorted(
            self._select(lambda item: item.owner_id == owner_id),
            key=lambda item: (item.created_at, item.id),
            reverse=True,
        )
        if start is not None:
            items = [item for item in items if (item.created_at.isoformat(), item.id) < start]
        page = items[:limit]
        more = len(items) > limit and bool(page)
        cursor = _encode_position(page[-1].created_at, page[-1].id) if more else None
        return Page(page, cursor)

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


class MemoryUsers(_Versioned[UserProfile]):
    table = "users"

    def in_cells(self, cells: Sequence[str]) -> list[UserProfile]:
        prefixes = tuple(cells)
        return self._select(
            lambda user: (
                user.location is not None
                and geo.encode(user.location.lat, user.location.lon).startswith(prefixes)
            )
        )


class MemoryTransactions(_Table[Transaction]):
    table = "transactions"


class MemoryBids(_Table[Bid]):
    table = "bids"

    def for_item(self, item_id: str) -> list[Bid]:
        bids = self._select(lambda bid: bid.item_id == item_id)
        return sorted(bids, key=lambda bid: bid.seq, reverse=True)


class MemoryNotifications(_Table[Notification]):
    table = "notifications"

    def for_user(self, user_id: str, limit: int) -> list[Notification]:
        mine = self._select(lambda n: n.user_id == user_id)
        mine.sort(key=lambda n: (n.created_at, n.id), reverse=True)
        return mine[:limit]


def _encode_position(created_at: datetime, item_id: str) -> str:
    raw = json.dumps([created_at.isoformat(), item_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_position(cursor: str) -> tuple[str, str]:
    try:
        created, item_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if isinstance(created, str) and isinstance(item_id, str):
            return created, item_id
    except (ValueError, TypeError):
        pass
    raise ValidationFailed.on("cursor", "is not a cursor this listing returned")
