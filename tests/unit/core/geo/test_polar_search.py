"""Searches around and near a pole stay exact and cheap.

schemathesis asked for ``GET /items`` at latitude -89.99999999999999: every meridian
meets there, the cover held hundreds of cells all touching the centre, and the search
halved each of them towards fine cells, 1.57 million reads (one DynamoDB query each) for
an empty page. Reads are counted, not timed, so the tests cannot flake.
"""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecobid_core.geo import (
    Resume,
    cover,
    cover_precision,
    encode,
    haversine_km,
    precision_for_radius,
)
from ecobid_core.geo.cover import MAX_BOX_CELLS, MIN_COVER_PRECISION
from ecobid_core.geo.nearest import nearest_page
from tests.support.geo_index import Entry, Point, RangeIndex

RADII_KM = (0.01, 0.1, 1.0, 5.0, 28.0, 50.0)
# The grid at the floor precision has 256 columns: a circle round a pole touches each.
MOST_ROOT_CELLS = 256


def _scatter(lat: float, lon: float, radius_km: float, count: int, seed: int) -> list[Entry]:
    rng = random.Random(seed)
    entries = []
    for n in range(count):
        # Points out to twice the radius, so the search must leave some out.
        d = rng.uniform(0, 2 * radius_km) / 6371.0088
        bearing = rng.uniform(0, 2 * math.pi)
        la1, lo1 = math.radians(lat), math.radians(lon)
        la2 = math.asin(
            math.sin(la1) * math.cos(d) + math.cos(la1) * math.sin(d) * math.cos(bearing)
        )
        lo2 = lo1 + math.atan2(
            math.sin(bearing) * math.sin(d) * math.cos(la1),
            math.cos(d) - math.sin(la1) * math.sin(la2),
        )
        p_lat = max(-90.0, min(90.0, math.degrees(la2)))
        p_lon = (math.degrees(lo2) + 180.0) % 360.0 - 180.0
        entries.append(Entry(f"item-{n:04d}", encode(p_lat, p_lon), Point(p_lat, p_lon)))
    return entries


def _all_pages(
    table: RangeIndex, lat: float, lon: float, radius_km: float, limit: int
) -> list[tuple[float, str]]:
    seen: list[tuple[float, str]] = []
    resume: Resume | None = None
    while True:
        page, resume = nearest_page(
            (lat, lon), radius_km, limit, resume, table.read, lambda _: True
        )
        seen.extend((distance, entry.id) for distance, entry in page)
        if resume is None:
            return seen


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        st.floats(min_value=89.0, max_value=90.0), st.floats(min_value=-90.0, max_value=-89.0)
    ),
    st.floats(min_value=-180.0, max_value=180.0),
    st.sampled_from(RADII_KM),
)
def test_a_cover_near_a_pole_stays_a_few_hundred_cells(
    lat: float, lon: float, radius_km: float
) -> None:
    cells = cover(lat, lon, radius_km)
    assert 1 <= len(cells) <= MOST_ROOT_CELLS
    assert {len(cell) for cell in cells} == {cover_precision(lat, lon, radius_km)}


def test_a_cover_round_a_pole_takes_the_floor_precision() -> None:
    for lat in (90.0, -90.0, -89.99999999999999):
        cells = cover(lat, 0.0, 5.0)
        assert {len(cell) for cell in cells} == {MIN_COVER_PRECISION}
        assert len(cells) == MOST_ROOT_CELLS


@pytest.mark.parametrize("lat", [0.0, 45.0, 60.0, -60.0])
@pytest.mark.parametrize("radius_km", RADII_KM)
def test_up_to_latitude_60_the_radius_keeps_its_own_precision(lat: float, radius_km: float) -> None:
    assert cover_precision(lat, 13.4, radius_km) == precision_for_radius(radius_km)
    assert len(cover(lat, 13.4, radius_km)) <= 16 < MAX_BOX_CELLS


@pytest.mark.parametrize("lat", [90.0, -89.99999999999999, 89.9, -89.7, 88.0])
@pytest.mark.parametrize("radius_km", [0.1, 5.0, 50.0])
def test_an_empty_page_near_a_pole_costs_a_few_hundred_reads_at_most(
    lat: float, radius_km: float
) -> None:
    table = RangeIndex([])
    page, resume = nearest_page((lat, 0.0), radius_km, 20, None, table.read, lambda _: True)
    assert (page, resume) == ([], None)
    # Was 1.57 million at -89.99999999999999 and 5 km.
    assert table.queries <= MOST_ROOT_CELLS


@pytest.mark.parametrize("lat", [90.0, -89.99999999999999, 89.95, -89.5])
@pytest.mark.parametrize("radius_km", [0.1, 5.0, 50.0])
def test_pages_near_a_pole_are_exact_and_their_reads_bounded(lat: float, radius_km: float) -> None:
    entries = _scatter(lat, 30.0, radius_km, 300, seed=int(lat * 100 + radius_km))
    table = RangeIndex(entries)
    expected = sorted(
        (haversine_km(lat, 30.0, e.location.lat, e.location.lon), e.id)
        for e in entries
        if haversine_km(lat, 30.0, e.location.lat, e.location.lon) <= radius_km
    )
    assert expected, "the scatter must put some items inside the circle"
    got = _all_pages(table, lat, 30.0, radius_km, limit=25)
    assert [item_id for _, item_id in got] == [item_id for _, item_id in expected]
    pages = len(expected) // 25 + 1
    assert table.queries <= pages * 2 * MOST_ROOT_CELLS
