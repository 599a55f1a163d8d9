"""Nearby search: queries and items read per item returned, on the DynamoDB read plan.

The adapter's own code builds every request (``DynamoItems.nearby``: the walk, the key
ranges, ``Limit`` and ``ExclusiveStartKey``) and sends it to ``CountingDynamo``, a fake
client that answers from sorted geo indexes exactly as DynamoDB would and counts what a
query reads (``Count``: the items ``Limit`` lets it evaluate). moto would answer the
same, but takes seconds per page at 100,000 items.
"""

from __future__ import annotations

import bisect
import math
import random
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from ecobid_adapters.aws.dynamodb import DynamoUnitOfWork, codec, keys
from ecobid_adapters.aws.dynamodb.capacity import item_size, read_units
from ecobid_core.model.item import Item
from ecobid_core.model.values import CATEGORIES, Location
from ecobid_core.services.search import NearbyQuery, search_nearby

CENTRE = (52.52, 13.405)
SIDE_KM = 20.0
LIMIT = 20
_NOW = datetime(2030, 1, 1, tzinfo=UTC)
NOTE = "DynamoDB adapter's real plan on a counting fake client; limit 20"


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

    def query(self, **request: Any) -> dict[str, Any]:
        values = request["ExpressionAttributeValues"]
        sort_keys, items = self._index.get(values[":pk"]["S"], ([], []))
        start = bisect.bisect_left(sort_keys, values[":first"]["S"])
        if "ExclusiveStartKey" in request:
            names = request["ExpressionAttributeNames"]
            after = request["ExclusiveStartKey"][names["#sk"]]["S"]
            start = max(start, bisect.bisect_right(sort_keys, after))
        end = bisect.bisect_right(sort_keys, values[":last"]["S"])
        taken = items[start : min(end, start + request["Limit"])]
        self.queries += 1
        self.reads += len(taken)
        response: dict[str, Any] = {
            "Items": [codec.serialize(_record(item)) for item in taken],
            "Count": len(taken),
        }
        # Index reads are eventually consistent; even an empty one bills half a unit.
        size = sum(item_size(found) for found in response["Items"])
        self.units += read_units(size, consistent=False)
        if start + len(taken) < end or len(taken) == request["Limit"]:
            last = taken[-1]
            response["LastEvaluatedKey"] = {"GSI": {"S": keys.geo_position(last.geohash, last.id)}}
        return response


def _record(item: Item) -> dict[str, Any]:
    return {**codec.to_record(item), **keys.item(item.id), "entity": "Item"}


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


Page = tuple[int, int, int, float]


def _pages(client: CountingDynamo, radius: float, category: str | None) -> list[Page]:
    """(returned, queries, reads, read units) of the first page and of the third."""
    rows, cursor = [], None
    for number in range(3):
        client.queries = client.reads = 0
        client.units = 0.0
        query = NearbyQuery(
            lat=CENTRE[0],
            lon=CENTRE[1],
            radius_km=radius,
            category=category,
            limit=LIMIT,
            cursor=cursor,
        )
        page = search_nearby(query, DynamoUnitOfWork(client, "bench"), _Clock())
        if number in (0, 2):
            rows.append((len(page.entries), client.queries, client.reads, client.units))
        cursor = page.cursor
        if cursor is None:
            break
    return rows


def measure() -> list[dict[str, Any]]:
    rows = []
    for count in (10_000, 100_000):
        for clustered in (False, True):
            client = CountingDynamo(_items(count, clustered))
            spread = "clustered" if clustered else "uniform"
            for radius in (1.0, 5.0, 20.0, 50.0):
                for category in (None, CATEGORIES[0]):
                    where = f"{count} {spread}, {radius:g} km, {category or 'any category'}"
                    rows += _rows(where, _pages(client, radius, category))
    return rows


def _rows(where: str, pages: list[Page]) -> list[dict[str, Any]]:
    rows = []
    for name, (returned, queries, reads, units) in zip(("first", "later"), pages, strict=False):
        case = f"{where}, {name} page"
        full = "" if returned == LIMIT else " (not a full page)"
        note = f"{NOTE}; {returned} returned{full}"
        per = max(returned, 1)
        rows.append(_row(f"{case}: items read per item", reads / per, "items/item", 2.0, note))
        rows.append(_row(f"{case}: queries per item", queries / per, "queries/item", None, note))
        rows.append(_row(f"{case}: read units (RCU) per page", units, "RCU", None, note))
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
