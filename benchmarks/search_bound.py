"""The least any plan could pay for a page of a nearby search over the geo indexes.

An omniscient plan knows where every item sits in the index: it reads only key ranges
that start and end on items the page needs (the ones it shows, and the one after them
that says a next page exists), at most ``most_queries`` of them, never across a
partition, and it proves nothing (it knows no other item is nearer). A real plan must
also read enough to know that, so it can only pay more. Of the ways to cover the needed
items with that many ranges, the bound takes the cheapest in read units as DynamoDB
bills them (each query rounds its bytes up to 4 KB, at least half a unit), and the fewest
items read among those.

This is what the bench's goals are set against: a goal below this bound is out of reach
of every plan over this index, however well it guesses.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from ecobid_adapters.aws.dynamodb import keys
from ecobid_adapters.aws.dynamodb.capacity import read_units
from ecobid_core.geo import haversine_km
from ecobid_core.model.item import Item


@dataclass(frozen=True)
class Bound:
    units: float
    reads: int


class Index:
    """One geo index partition by partition: sort keys, items, and running byte sums."""

    def __init__(
        self, partitions: dict[str, tuple[list[str], list[Item]]], size: Callable[[Item], int]
    ):
        self._partitions = partitions
        self._size = size
        self._sums: dict[str, list[int]] = {}

    def position(self, partition: str, item: Item) -> int:
        sort_keys, _ = self._partitions[partition]
        return bisect.bisect_left(sort_keys, keys.geo_position(item.geohash, item.id))

    def bytes_between(self, partition: str, first: int, last: int) -> int:
        """Stored bytes of the entries at positions ``first..last`` (inclusive)."""
        sums = self._sums.get(partition)
        if sums is None:
            items = self._partitions[partition][1]
            sums = [0, *itertools.accumulate(self._size(item) for item in items)]
            self._sums[partition] = sums
        return sums[last + 1] - sums[first]


class Bounds:
    """Bounds for the pages of one search: its items ranked once, nearest first."""

    def __init__(
        self,
        index: Index,
        items: list[Item],
        centre: tuple[float, float],
        radius_km: float,
        category: str | None,
    ) -> None:
        self._index = index
        self._category = category
        ranked = []
        for item in items:
            if category is not None and item.category != category:
                continue
            distance = haversine_km(*centre, item.location.lat, item.location.lon)
            if distance <= radius_km:
                ranked.append((distance, item.id, item))
        ranked.sort(key=lambda entry: entry[:2])
        self._ranked = [item for _, _, item in ranked]

    def page(self, shown: int, limit: int, most_queries: int) -> Bound:
        """The least cost of the page after ``shown`` items, of at most ``limit``."""
        needed = self._ranked[shown : shown + limit + 1]
        spots = []
        for item in needed:
            partition = keys.geo_partition(item.geohash, self._category)
            spots.append((partition, self._index.position(partition, item)))
        spots.sort()
        return least_cost(spots, self._index.bytes_between, most_queries)


def least_cost(
    spots: list[tuple[str, int]],
    bytes_between: Callable[[str, int, int], int],
    most_queries: int,
) -> Bound:
    """Cover ``spots`` (partition, position; sorted) with at most ``most_queries`` ranges."""
    if not spots:
        return Bound(read_units(0, consistent=False), 0)

    @cache
    def best(start: int, queries: int) -> tuple[float, int]:
        if start == len(spots):
            return 0.0, 0
        if queries == 0:
            return math.inf, 0
        cheapest = (math.inf, 0)
        partition, first = spots[start]
        for end in range(start, len(spots)):
            if spots[end][0] != partition:
                break
            last = spots[end][1]
            units = read_units(bytes_between(partition, first, last), consistent=False)
            rest_units, rest_reads = best(end + 1, queries - 1)
            cheapest = min(cheapest, (units + rest_units, last - first + 1 + rest_reads))
        return cheapest

    units, reads = best(0, most_queries)
    return Bound(units, reads)
