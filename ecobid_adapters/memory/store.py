"""The shared state behind every in-memory unit of work.

Records are kept as private copies and handed out as copies, so a caller's unsaved
changes are invisible to others, as with a real database. One lock makes a commit's
condition checks and writes a single atomic step: the same all-or-nothing, first-writer-
wins behaviour that DynamoDB's TransactWriteItems gives, so races resolve the same way.
"""

from __future__ import annotations

import bisect
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
class SortedIndex:
    """A table's keys in one order, as a range-keyed DynamoDB index keeps them.

    A read then starts where its range starts and stops where it ends, so its cost follows
    what it returns, not the size of the table.
    """

    order: Callable[[Any], Any]
    entries: list[tuple[Any, str]] = field(factory=list)

    def put(self, key: str, old: Any, new: Any) -> None:
        if old is not None:
            del self.entries[bisect.bisect_left(self.entries, (self.order(old), key))]
        if new is not None:
            bisect.insort(self.entries, (self.order(new), key))

    def from_after(self, after: Any) -> Iterator[tuple[Any, str]]:
        # By position, not a slice: a slice would copy the rest of the table every read.
        start = bisect.bisect_right(self.entries, after, key=lambda entry: entry[0])
        for position in range(start, len(self.entries)):
            yield self.entries[position]

    def from_before(self, before: Any) -> Iterator[tuple[Any, str]]:
        start = bisect.bisect_left(self.entries, before, key=lambda entry: entry[0])
        for position in range(start - 1, -1, -1):
            yield self.entries[position]


@define
class MemoryStore:
    tables: dict[str, dict[str, Any]] = field(factory=dict)
    outbox: list[DomainEvent] = field(factory=list)
    lock: threading.RLock = field(factory=threading.RLock)
    subscribers: list[Callable[[Sequence[DomainEvent]], None]] = field(factory=list)
    indexes: dict[str, SortedIndex] = field(factory=dict)

    def read(self, table: str, key: str) -> Any:
        with self.lock:
            record = self.tables.get(table, {}).get(key)
            return copy.deepcopy(record)

    def select(self, table: str, keep: Callable[[Any], bool]) -> list[Any]:
        with self.lock:
            return [copy.deepcopy(r) for r in self.tables.get(table, {}).values() if keep(r)]

    def select_range(
        self,
        table: str,
        order: Callable[[Any], Any],
        after: Any,
        within: Callable[[Any], bool],
        keep: Callable[[Any], bool],
        limit: int,
        forward: bool = True,
    ) -> list[Any]:
        """Up to ``limit`` records ``keep`` accepts, by ``order``, from the first whose
        order key sorts after ``after`` (before it, backwards, if not ``forward``) while
        ``within`` holds for the key; only those copied. The table keeps a sorted index on
        ``order`` from its first range read.
        """
        with self.lock:
            index = self._index(table, order)
            records = self.tables.get(table, {})
            found: list[Any] = []
            walk = index.from_after(after) if forward else index.from_before(after)
            for position, key in walk:
                if len(found) == limit or not within(position):
                    break
                record = records[key]
                if keep(record):
                    found.append(copy.deepcopy(record))
            return found

    def _index(self, table: str, order: Callable[[Any], Any]) -> SortedIndex:
        index = self.indexes.get(table)
        if index is None:
            index = SortedIndex(order)
            for key, record in self.tables.get(table, {}).items():
                index.put(key, None, record)
            self.indexes[table] = index
        elif index.order is not order:
            raise ValueError(f"{table} is indexed by another order")
        return index

    def forget(self, table: str, key: str) -> None:
        """Drop a record with no trace, as if deleted by hand; for tests of what then breaks."""
        with self.lock:
            old = self.tables.get(table, {}).pop(key, None)
            if table in self.indexes:
                self.indexes[table].put(key, old, None)

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
                rows = self.tables.setdefault(write.table, {})
                record = copy.deepcopy(write.record)
                if write.table in self.indexes:
                    self.indexes[write.table].put(write.key, rows.get(write.key), record)
                rows[write.key] = record
            self.outbox.extend(events)
        # Delivered after the lock is released: consumers open units of work of their own.
        for subscriber in list(self.subscribers):
            subscriber(list(events))
