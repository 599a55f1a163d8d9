"""The in-memory unit of work and its repositories."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from ecobid_adapters.memory.ratings import MemoryRatings
from ecobid_adapters.memory.repositories import (
    MemoryBids,
    MemoryItems,
    MemoryNotifications,
    MemoryReservations,
    MemoryTransactions,
    MemoryUsers,
)
from ecobid_adapters.memory.store import MemoryStore, StagedWrite
from ecobid_core.model.events import DomainEvent


class MemoryUnitOfWork:
    """One attempt at a change; used once, like the DynamoDB unit of work."""

    def __init__(self, store: MemoryStore) -> None:
        self.store = store
        self._writes: list[StagedWrite] = []
        self._events: list[DomainEvent] = []
        self.items = MemoryItems(self)
        self.reservations = MemoryReservations(self)
        self.users = MemoryUsers(self)
        self.transactions = MemoryTransactions(self)
        self.bids = MemoryBids(self)
        self.notifications = MemoryNotifications(self)
        self.ratings = MemoryRatings(self)

    def stage(self, write: StagedWrite, events: list[DomainEvent]) -> None:
        self._writes.append(write)
        self._events.extend(events)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollback()

    def commit(self) -> None:
        writes, events = self._writes, self._events
        self.rollback()
        self.store.commit(writes, events)

    def rollback(self) -> None:
        self._writes, self._events = [], []
