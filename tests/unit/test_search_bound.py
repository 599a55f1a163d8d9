"""The search bench's lower bound: the least an omniscient plan pays for a page."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest

from benchmarks import search as bench
from benchmarks.search_bound import least_cost


def _bytes(per_item: int) -> Callable[[str, int, int], int]:
    return lambda _partition, first, last: (last - first + 1) * per_item


def test_needed_items_far_apart_are_cheaper_read_apart_when_queries_allow() -> None:
    spots = [("p", 0), ("p", 1), ("p", 10)]
    # One range reads 11 items of 1,000 bytes: 3 blocks of 4 KB, 1.5 units.
    assert least_cost(spots, _bytes(1000), most_queries=1).units == 1.5
    # Two ranges read 3 items in 2 queries of one block each: 1 unit.
    two = least_cost(spots, _bytes(1000), most_queries=2)
    assert (two.units, two.reads) == (1.0, 3)


def test_small_items_share_one_query_since_each_query_bills_half_a_unit() -> None:
    spots = [("p", 0), ("p", 5)]
    best = least_cost(spots, _bytes(100), most_queries=16)
    assert (best.units, best.reads) == (0.5, 6)


def test_a_range_never_crosses_a_partition() -> None:
    spots = [("a", 0), ("b", 0)]
    assert math.isinf(least_cost(spots, _bytes(100), most_queries=1).units)
    assert least_cost(spots, _bytes(100), most_queries=2).units == 1.0


def test_an_empty_page_still_bills_its_one_query() -> None:
    assert least_cost([], _bytes(100), most_queries=16).units == 0.5


@pytest.fixture(scope="module")
def dense() -> bench.CountingDynamo:
    return bench.CountingDynamo(bench._items(10_000, clustered=False))


@pytest.mark.parametrize("category", [None, "furniture"])
def test_the_plan_never_pays_less_than_the_bound(
    dense: bench.CountingDynamo, category: str | None
) -> None:
    costs = bench.pages(dense, bench.CENTRE, 5.0, category)
    assert len(costs) == 3
    for cost in costs:
        assert cost.least_units <= cost.units, cost
        assert cost.least_reads >= cost.returned  # every item shown is read at least once
        assert cost.least_units >= cost.floor  # the floor reads them all in one query
