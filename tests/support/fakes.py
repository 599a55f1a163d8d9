"""Hand-written fakes for unit tests: a clock we move and ids we can read."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from ecobid_adapters.memory import MemoryStore, MemoryUnitOfWork

T0 = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


class FakeClock:
    def __init__(self, start: datetime = T0) -> None:
        self.current = start

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


class SeqIds:
    def __init__(self, prefix: str = "id") -> None:
        self._numbers = itertools.count(1)
        self.prefix = prefix

    def new_id(self) -> str:
        return f"{self.prefix}{next(self._numbers):06d}"


def memory_uow_factory(store: MemoryStore | None = None):
    store = store or MemoryStore()
    return lambda: MemoryUnitOfWork(store)
