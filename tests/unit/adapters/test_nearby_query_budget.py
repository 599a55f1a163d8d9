"""A nearby page on the DynamoDB adapter costs a few queries in a few rounds, and a
bounded number of items where towns make the density hard to guess.

The adapter's own requests go to the bench's counting client, which answers from sorted
geo indexes as DynamoDB does; queries and rounds (calls of ``geo_reads.read_ranges``,
whose queries go out together) are counted, not timed, so the test cannot flake. It
fails if any page sends more than 16 queries or needs more than 3 rounds, on a dense
table of 10,000 items and on sparse searches over it; and if a page among 100,000 items
in towns reads more than 30 pages' worth.
"""

from __future__ import annotations

import pytest

from benchmarks import search as bench
from ecobid_core.model.values import CATEGORIES

MOST_QUERIES = 16
MOST_ROUNDS = 3


@pytest.fixture(scope="module")
def dense() -> bench.CountingDynamo:
    return bench.CountingDynamo(bench._items(10_000, clustered=False))


@pytest.fixture(scope="module")
def sparse() -> bench.CountingDynamo:
    common = [item for item in bench._items(10_000, False) if item.category != bench.RARE]
    return bench.CountingDynamo(common + bench._rare(12))


@pytest.fixture(scope="module")
def towns() -> bench.CountingDynamo:
    return bench.CountingDynamo(bench._items(100_000, clustered=True))


def _check(costs: list[bench.PageCost], pages: int) -> None:
    assert len(costs) == pages
    for number, cost in enumerate(costs):
        assert cost.queries <= MOST_QUERIES, (number, cost)
        assert cost.rounds <= MOST_ROUNDS, (number, cost)
        assert cost.queries >= cost.rounds >= 1  # something was counted


@pytest.mark.parametrize("radius", [1.0, 5.0, 50.0])
@pytest.mark.parametrize("category", [None, CATEGORIES[0]])
def test_dense_pages_send_at_most_16_queries_in_3_rounds(
    dense: bench.CountingDynamo, radius: float, category: str | None
) -> None:
    costs = bench.pages(dense, bench.CENTRE, radius, category, count=4)
    # 1 km of one category holds under a page; every other search fills four pages.
    _check(costs, 1 if (radius, category) == (1.0, CATEGORIES[0]) else 4)
    assert all(cost.returned == bench.LIMIT for cost in costs[:-1])


@pytest.mark.parametrize("radius", [1.0, 5.0, 20.0, 50.0])
def test_sparse_pages_send_at_most_16_queries_in_3_rounds(
    sparse: bench.CountingDynamo, radius: float
) -> None:
    empty = bench.pages(sparse, bench.EMPTY_CENTRE, radius, None)
    _check(empty, 1)
    assert empty[0].returned == 0
    rare = bench.pages(sparse, bench.CENTRE, radius, bench.RARE)
    _check(rare, 1)
    assert rare[0].returned <= 12


@pytest.mark.parametrize("category", [None, CATEGORIES[0]])
def test_pages_among_towns_read_at_most_thirty_pages_worth(
    towns: bench.CountingDynamo, category: str | None
) -> None:
    # Centre and towns as on the bench: the centre sits in a gap beside a town, where a
    # page that read its runs whole once read 1,379-2,087 items for 20.
    costs = bench.pages(towns, bench.CENTRE, 5.0, category, count=4)
    assert len(costs) == 4 and all(cost.returned == bench.LIMIT for cost in costs)
    assert max(cost.reads for cost in costs) <= 30 * bench.LIMIT
