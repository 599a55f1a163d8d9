"""A geo index in memory for the nearest-page walk: entries in (geohash, id) order, read
by key range, forwards or backwards, with a limit and a resume key, as the adapters'
indexes answer; it counts the reads it is sent."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from ecobid_core.geo import RangeRead


@dataclass(frozen=True)
class Point:
    lat: float
    lon: float


@dataclass(frozen=True)
class Entry:
    id: str
    geohash: str
    location: Point
    shown: bool = True


class RangeIndex:
    def __init__(self, entries: Sequence[Entry]) -> None:
        self.keys = sorted((e.geohash, e.id) for e in entries)
        self.by_key = {(e.geohash, e.id): e for e in entries}
        self.queries = 0

    def read(self, reads: Sequence[RangeRead]) -> list[list[Entry]]:
        self.queries += len(reads)
        return [self._one(read) for read in reads]

    def _one(self, read: RangeRead) -> list[Entry]:
        start = bisect.bisect_left(self.keys, (read.first, ""))
        end = bisect.bisect_right(self.keys, (read.last + "~", ""))
        if read.after is not None and read.forward:
            start = max(start, bisect.bisect_right(self.keys, read.after))
        elif read.after is not None:
            end = min(end, bisect.bisect_left(self.keys, read.after))
        keys = self.keys[start:end] if read.forward else self.keys[start:end][::-1]
        return [self.by_key[key] for key in keys[: read.limit]]
