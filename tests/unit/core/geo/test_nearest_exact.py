"""The range plan against brute force on dense, clustered and sparse tables.

The adapters' tests seed tens of items; here the walk meets thousands, so reads fill
their limits, resume after their last item, probe backwards and merge across gaps, and
every page must still be exactly the next items by (distance, id).
"""

from __future__ import annotations

import math
import random

import hypothesis.strategies as st
from hypothesis import given, settings

from ecobid_core.geo import Resume, encode, haversine_km
from ecobid_core.geo.nearest import MOST_QUERIES, READ_PAGES, RangeRead, nearest_page
from tests.support.geo_index import Entry, Point, RangeIndex

CENTRE = (52.52, 13.405)


def _entries(seed: int, count: int, towns: int, spread_km: float) -> list[Entry]:
    rng = random.Random(seed)
    places = [(rng.uniform(-15, 15), rng.uniform(-15, 15)) for _ in range(max(1, towns))]
    entries: list[Entry] = []
    for n in range(count):
        if towns:
            x, y = rng.choice(places)
            x, y = x + rng.gauss(0, spread_km), y + rng.gauss(0, spread_km)
        else:
            x, y = rng.uniform(-15, 15), rng.uniform(-15, 15)
        lat = CENTRE[0] + y / 111.2
        lon = CENTRE[1] + x / (111.2 * math.cos(math.radians(CENTRE[0])))
        # A few share a spot exactly, as items of one seller do.
        if n and rng.random() < 0.05:
            lat, lon = entries[-1].location.lat, entries[-1].location.lon
        shown = rng.random() < 0.85
        entries.append(Entry(f"e{n:05d}", encode(lat, lon), Point(lat, lon), shown))
    return entries


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    count=st.sampled_from([0, 3, 60, 800, 3000]),
    towns=st.integers(0, 4),
    spread=st.sampled_from([0.05, 0.5, 2.0]),
    offset=st.tuples(st.floats(-20, 20), st.floats(-20, 20)),
    radius=st.sampled_from([0.3, 1.0, 5.0, 20.0, 50.0]),
    limit=st.integers(1, 25),
)
def test_every_page_is_the_next_items_by_distance(
    seed: int,
    count: int,
    towns: int,
    spread: float,
    offset: tuple[float, float],
    radius: float,
    limit: int,
) -> None:
    entries = _entries(seed, count, towns, spread)
    index = RangeIndex(entries)
    lat = CENTRE[0] + offset[1] / 111.2
    lon = CENTRE[1] + offset[0] / 67.7
    expected = sorted(
        (d, e.id)
        for e in entries
        if e.shown and (d := haversine_km(lat, lon, e.location.lat, e.location.lon)) <= radius
    )
    got: list[tuple[float, str]] = []
    resume: Resume | None = None
    pages = 8  # the first pages: a long tail would only repeat them, slowly
    asked: list[RangeRead] = []

    def read(reads: list[RangeRead]) -> list[list[Entry]]:
        asked.extend(reads)
        return index.read(reads)

    for _ in range(pages):
        index.queries = 0
        asked.clear()
        page, resume = nearest_page((lat, lon), radius, limit, resume, read, lambda e: e.shown)
        # However dense a run turns out to be, no read asks for more than a few pages.
        assert max((r.limit for r in asked), default=0) <= READ_PAGES * (limit + 1)
        assert len(page) <= limit
        got += [(d, e.id) for d, e in page]
        # Adversarial tables (a 50 m blob of 3,000 items) may push a page past its
        # budget of 16 queries, never to the hundreds a cell-by-cell walk sent.
        assert index.queries <= 3 * MOST_QUERIES
        if resume is None:
            break
    if resume is None:
        assert got == expected
    else:
        assert got == expected[: pages * limit]
