"""The in-memory unit of work and its repositories."""

from __future__ import annotations

from ecobid_adapters.memory.ratings import MemoryRatings
from ecobid_adapters.memory.repositories import (
    MemoryBids,
    MemoryItems,
    MemoryReservations,
    MemoryTransactions,
    MemoryUsers,
)
from ecobid_adapters.memory.store import MemoryStore, StagedWrite
from ecobid_adapters.staging import StagingUnitOfWork
from ecobid_core.model.events import DomainEvent


class MemoryUnitOfWork(StagingUnitOfWork[StagedWrite]):
    """One attempt at a change; used once, like the DynamoDB unit of work."""

    def __init__(self, store: MemoryStore) -> None:
        self.store = store
        super().__init__()
        self.items = MemoryItems(self)
        self.reservations = MemoryReservations(self)
        self.users = MemoryUsers(self)
        self.transactions = MemoryTransactions(self)
        self.bids = MemoryBids(self)
        self.ratings = MemoryRatings(self)

    def stage(self, write: StagedWrite, events: list[DomainEvent]) -> None:
        self._writes.append(write)
        self._events.extend(events)

    def commit(self) -> None:
        self.store.commit(*self.take_staged())
