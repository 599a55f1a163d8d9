"""The shared state behind every in-memory unit of work.

Records are kept as private copies and handed out as copies, so a caller's unsaved
changes are invisible to others, as with a real database. One lock makes a commit's
condition checks and writes a single atomic step: the same all-or-nothing, first-writer-
wins behaviour that DynamoDB's TransactWriteItems gives, so races resolve the same way.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from attrs import define, field

from ecobid_core.errors import ConcurrentUpdate
from ecobid_core.model.events import DomainEvent

ABSENT = -1  # the expected version of a record that must not exist yet
UNCONDITIONAL = -2


@define(frozen=True)
class StagedWrite:
    table: str
    key: str
    record: Any
    expected_version: int


@define
class MemoryStore:
    tables: dict[str, dict[str, Any]] = field(factory=dict)
    outbox: list[DomainEvent] = field(factory=list)
    lock: threading.RLock = field(factory=threading.RLock)
    subscribers: list[Callable[[Sequence[DomainEvent]], None]] = field(factory=list)

    def read(self, table: str, key: str) -> Any:
        with self.lock:
            record = self.tables.get(table, {}).get(key)
            return copy.deepcopy(record)

    def select(self, table: str, keep: Callable[[Any], bool]) -> list[Any]:
        with self.lock:
            return [copy.deepcopy(r) for r in self.tables.get(table, {}).values() if keep(r)]

    def select_first(
        self, table: str, keep: Callable[[Any], bool], order: Callable[[Any], Any], limit: int
    ) -> list[Any]:
        """The first ``limit`` records ``keep`` accepts, by ``order``; only those copied."""
        with self.lock:
            found = sorted((r for r in self.tables.get(table, {}).values() if keep(r)), key=order)
            return [copy.deepcopy(r) for r in found[:limit]]

    def records(self, table: str) -> Iterator[Any]:
        """A snapshot of a table for inspection (tests, demo data); never a request path."""
        return iter(self.select(table, lambda _record: True))

    def commit(self, writes: Sequence[StagedWrite], events: Sequence[DomainEvent]) -> None:
        with self.lock:
            for write in writes:
                current = self.tables.get(write.table, {}).get(write.key)
                if write.expected_version == ABSENT and current is not None:
                    raise ConcurrentUpdate(f"{write.table} {write.key} exists already")
                if write.expected_version >= 0 and (
                    current is None or current.version != write.expected_version
                ):
                    raise ConcurrentUpdate(f"{write.table} {write.key} changed meanwhile")
            for write in writes:
                self.tables.setdefault(write.table, {})[write.key] = copy.deepcopy(write.record)
            self.outbox.extend(events)
        # Delivered after the lock is released: consumers open units of work of their own.
        for subscriber in list(self.subscribers):
            subscriber(list(events))
