"""Nearby search: queries, rounds, read units and items read per page, on the DynamoDB plan.

The adapter's own code builds every request (``DynamoItems.nearby``: the walk, the key
ranges, ``Limit``, ``ScanIndexForward`` and ``ExclusiveStartKey``) and sends it to
``CountingDynamo``, a fake client that answers from sorted geo indexes exactly as
DynamoDB would and counts what a query reads (``Count``: the items ``Limit`` lets it
evaluate) and bills (its items' stored size, index keys included, rounded up to 4 KB
once per query, eventually consistent). A round is one call of the adapter's
``geo_reads.read_ranges`` (its queries go out together). moto would answer the same,
but takes seconds per page at 100,000 items.

The floor of a page is what its returned items would bill read in one query:
their stored bytes in 4 KB units, half a unit each, at least half a unit.
"""

from __future__ import annotations

import bisect
import math
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from benchmarks.search_bound import Bounds, Index
from ecobid_adapters.aws.dynamodb import DynamoUnitOfWork, codec, geo_reads, keys
from ecobid_adapters.aws.dynamodb.capacity import item_size, read_units
from ecobid_core.model.item import Item
from ecobid_core.model.values import CATEGORIES, Location
from ecobid_core.services.search import NearbyQuery, search_nearby

CENTRE = (52.52, 13.405)
SIDE_KM = 20.0
LIMIT = 20
_NOW = datetime(2030, 1, 1, tzinfo=UTC)
NOTE = "DynamoDB adapter's real plan on a counting fake client; limit 20"
#: The goals of a page (docs/access-patterns.md).
MOST_QUERIES = 16
MOST_ROUNDS = 3
MOST_FLOORS = 3.0
MOST_READ_PER_ITEM = 2.0


class CountingDynamo:
    """``query`` on the two geo indexes, as DynamoDB answers it; counts queries and reads."""

    def __init__(self, items: list[Item]) -> None:
        self.queries = self.reads = 0
        self.units = 0.0  # read units billed, by DynamoDB's sizing rules
        self._index: dict[str, tuple[list[str], list[Item]]] = {}
        rows: dict[str, list[tuple[str, Item]]] = {}
        for item in items:
            for category in (None, item.category):
                partition = keys.geo_partition(item.geohash, category)
                rows.setdefault(partition, []).append(
                    (keys.geo_position(item.geohash, item.id), item)
                )
        for partition, found in rows.items():
            found.sort(key=lambda row: row[0])
            self._index[partition] = ([k for k, _ in found], [i for _, i in found])
        self.items = items
        self.index = Index(self._index, stored_size)

    def query(self, **request: Any) -> dict[str, Any]:
        values = request["ExpressionAttributeValues"]
        sort_keys, items = self._index.get(values[":pk"]["S"], ([], []))
        start = bisect.bisect_left(sort_keys, values[":first"]["S"])
        end = bisect.bisect_right(sort_keys, values[":last"]["S"])
        forward = request.get("ScanIndexForward", True)
        if "ExclusiveStartKey" in request:
            names = request["ExpressionAttributeNames"]
            after = request["ExclusiveStartKey"][names["#sk"]]["S"]
            if forward:
                start = max(start, bisect.bisect_right(sort_keys, after))
            else:
                end = min(end, bisect.bisect_left(sort_keys, after))
        if forward:
            taken = items[start : min(end, start + request["Limit"])]
            more = start + len(taken) < end
        else:
            taken = items[max(start, end - request["Limit"]) : end][::-1]
            more = end - len(taken) > start
        self.queries += 1
        self.reads += len(taken)
        response: dict[str, Any] = {
            "Items": [codec.serialize(_record(item)) for item in taken],
            "Count": len(taken),
        }
        # Index reads are eventually consistent; even an empty one bills half a unit.
        size = sum(item_size(found) for found in response["Items"])
        self.units += read_units(size, consistent=False)
        if more or len(taken) == request["Limit"]:
            last = taken[-1]
            response["LastEvaluatedKey"] = {"GSI": {"S": keys.geo_position(last.geohash, last.id)}}
        return response


def _record(item: Item) -> dict[str, Any]:
    """The item as the index stores it (projection ``ALL``: its index keys too)."""
    return {
        **codec.to_record(item),
        **keys.item(item.id),
        **keys.item_indexes(item),
        "entity": "Item",
    }


def stored_size(item: Item) -> int:
    return item_size(codec.serialize(_record(item)))


def floor_units(items: list[Item]) -> float:
    """What the returned items would bill read in one query: the least a page can cost."""
    return read_units(sum(stored_size(item) for item in items), consistent=False)


@contextmanager
def counting_rounds() -> Iterator[list[int]]:
    """Counts calls of the adapter's round of reads (its queries go out together)."""
    count = [0]
    real = geo_reads.read_ranges

    def counted(*args: Any, **kwargs: Any) -> Any:
        count[0] += 1
        return real(*args, **kwargs)

    geo_reads.read_ranges = counted  # type: ignore[assignment]
    try:
        yield count
    finally:
        geo_reads.read_ranges = real  # type: ignore[assignment]


def _points(count: int, clustered: bool, rng: random.Random) -> Iterator[tuple[float, float]]:
    half = SIDE_KM / 2
    towns = [(rng.uniform(-half, half), rng.uniform(-half, half)) for _ in range(12)]
    for _ in range(count):
        if clustered:
            x, y = rng.choice(towns)
            x, y = x + rng.gauss(0, 0.8), y + rng.gauss(0, 0.8)
        else:
            x, y = rng.uniform(-half, half), rng.uniform(-half, half)
        x, y = max(-half, min(half, x)), max(-half, min(half, y))
        yield CENTRE[0] + y / 111.2, CENTRE[1] + x / (111.2 * math.cos(math.radians(CENTRE[0])))


def _items(count: int, clustered: bool) -> list[Item]:
    rng = random.Random(count + clustered)
    return [
        Item.create(
            item_id=f"item-{n:06d}",
            owner_id="owner",
            title="Thing",
            description="",
            category_name=rng.choice(CATEGORIES),
            location=Location(lat, lon),
            now=_NOW,
        )
        for n, (lat, lon) in enumerate(_points(count, clustered, rng))
    ]


class _Clock:
    def now(self) -> Any:
        return _NOW


@dataclass(frozen=True)
class PageCost:
    returned: int
    queries: int
    rounds: int
    reads: int
    units: float
    floor: float
    #: What an omniscient plan would pay for the same page (``search_bound``).
    least_units: float
    least_reads: int

    @property
    def full(self) -> bool:
        return self.returned == LIMIT

    def meets_goals(self) -> bool:
        return self._within(self.units, self.reads) and (
            self.queries <= MOST_QUERIES and self.rounds <= MOST_ROUNDS
        )

    def goals_in_reach(self) -> bool:
        """Whether any plan over this index could meet the read goals on this page."""
        return self._within(self.least_units, self.least_reads)

    def _within(self, units: float, reads: int) -> bool:
        return units <= MOST_FLOORS * self.floor and (
            not self.full or reads <= MOST_READ_PER_ITEM * self.returned
        )


def pages(
    client: CountingDynamo,
    centre: tuple[float, float],
    radius: float,
    category: str | None,
    count: int = 3,
) -> list[PageCost]:
    """The cost of each of the first ``count`` pages (fewer if the search ends sooner)."""
    costs, cursor, shown = [], None, 0
    bounds = Bounds(client.index, client.items, centre, radius, category)
    with counting_rounds() as rounds:
        for _ in range(count):
            client.queries = client.reads = 0
            client.units = 0.0
            rounds[0] = 0
            query = NearbyQuery(
                lat=centre[0],
                lon=centre[1],
                radius_km=radius,
                category=category,
                limit=LIMIT,
                cursor=cursor,
            )
            page = search_nearby(query, DynamoUnitOfWork(client, "bench"), _Clock())
            returned = [hit.item for hit in page.entries]
            least = bounds.page(shown, LIMIT, MOST_QUERIES)
            shown += len(returned)
            costs.append(
                PageCost(
                    len(returned),
                    client.queries,
                    rounds[0],
                    client.reads,
                    client.units,
                    floor_units(returned),
                    least.units,
                    least.reads,
                )
            )
            cursor = page.cursor
            if cursor is None:
                break
    return costs


#: Sparse cases: a centre 100 km from the items, a table of 30 items, a rare category.
EMPTY_CENTRE = (CENTRE[0] + 0.9, CENTRE[1])
RARE = CATEGORIES[-1]


def measure() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    every: list[PageCost] = []
    for count in (10_000, 100_000):
        for clustered in (False, True):
            items = _items(count, clustered)
            client = CountingDynamo(items)
            spread = "clustered" if clustered else "uniform"
            for radius in (1.0, 5.0, 20.0, 50.0):
                for category in (None, CATEGORIES[0]):
                    where = f"{count} {spread}, {radius:g} km, {category or 'any category'}"
                    costs = pages(client, CENTRE, radius, category)
                    rows += _rows(where, costs)
                    every += costs
    common = [item for item in _items(10_000, False) if item.category != RARE]
    sparse = CountingDynamo(common + _rare(12))
    nearly_empty = CountingDynamo(_items(30, False))
    for radius in (1.0, 5.0, 20.0, 50.0):
        for where, costs in (
            (f"10000, empty area, {radius:g} km", pages(sparse, EMPTY_CENTRE, radius, None)),
            (f"10000, a category of 12 items, {radius:g} km", pages(sparse, CENTRE, radius, RARE)),
            (f"30 uniform, {radius:g} km", pages(nearly_empty, CENTRE, radius, None)),
        ):
            rows += _rows(where, costs)
            every += costs
    note = "pages 1-3 of every case above, summed: what the whole matrix bills and reads"
    rows.append(_row("read units, every page", sum(c.units for c in every), "RCU", None, note))
    rows.append(_row("items read, every page", sum(c.reads for c in every), "items", None, note))
    note = "the same pages as an omniscient plan of at most 16 queries would read them"
    least = sum(c.least_units for c in every)
    rows.append(_row("least read units, every page", least, "RCU", None, note))
    meeting = sum(cost.meets_goals() for cost in every)
    note = "pages 1-3 of every case above; goals: queries, rounds, read units, items read"
    rows.append(_row("pages meeting every goal", meeting, f"of {len(every)}", len(every), note))
    reachable = [cost for cost in every if cost.goals_in_reach()]
    note = "pages whose read goals an omniscient plan of at most 16 queries would meet"
    rows.append(
        _row("pages any plan could meet", len(reachable), f"of {len(every)}", len(every), note)
    )
    met = sum(cost.meets_goals() for cost in reachable)
    note = "of the pages any plan could meet, those this plan meets"
    rows.append(_row("reachable pages met", met, f"of {len(reachable)}", len(reachable), note))
    return rows


def _rare(count: int) -> list[Item]:
    """Items of a category no other item has, spread over the same square."""
    rng = random.Random(5)
    return [
        Item.create(
            item_id=f"rare-{n:03d}",
            owner_id="owner",
            title="Thing",
            description="",
            category_name=CATEGORIES[-1],
            location=Location(lat, lon),
            now=_NOW,
        )
        for n, (lat, lon) in enumerate(_points(count, False, rng))
    ]


def _rows(where: str, costs: list[PageCost]) -> list[dict[str, Any]]:
    rows = []
    shown = [("first", costs[0])] + [("later", cost) for cost in costs[2:3] or costs[1:2]]
    for name, cost in shown:
        case = f"{where}, {name} page"
        full = "" if cost.full else " (not a full page)"
        note = f"{NOTE}; {cost.returned} returned{full}; {cost.units:g} RCU, floor {cost.floor:g}"
        per = max(cost.returned, 1)
        rows.append(_row(f"{case}: queries", cost.queries, "queries", MOST_QUERIES, note))
        rows.append(_row(f"{case}: rounds", cost.rounds, "rounds", MOST_ROUNDS, note))
        floors = cost.units / cost.floor
        rows.append(_row(f"{case}: read units / floor", floors, "x floor", MOST_FLOORS, note))
        goal = MOST_READ_PER_ITEM if cost.full else None
        read = cost.reads / per
        rows.append(_row(f"{case}: items read per item", read, "items/item", goal, note))
        least = f"{NOTE}; the least an omniscient plan of {MOST_QUERIES} queries pays"
        rows.append(
            _row(
                f"{case}: least read units / floor",
                cost.least_units / cost.floor,
                "x floor",
                MOST_FLOORS,
                least,
            )
        )
        rows.append(
            _row(
                f"{case}: least items read per item",
                cost.least_reads / per,
                "items/item",
                goal,
                least,
            )
        )
    return rows


def _row(case: str, figure: float, unit: str, goal: float | None, note: str) -> dict[str, Any]:
    # The baseline column holds the goal: the old plan is not measured in the same run.
    return {
        "section": "search",
        "case": case,
        "figure": round(figure, 2),
        "unit": unit,
        "baseline": goal,
        "note": note,
    }


if __name__ == "__main__":
    started = time.perf_counter()
    for row in measure():
        figure = f"{row['figure']:>8} {row['unit']:<13} {row['baseline']!s:>5}"
        print(f"{row['case']:<74} {figure}  {row['note']}")
    print(f"({time.perf_counter() - started:.0f} s)")
