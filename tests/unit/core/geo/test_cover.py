"""Great-circle distance and radius covers: a cover must never miss a point in the circle."""

from __future__ import annotations

import math

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ecobid_core.geo import (
    EARTH_RADIUS_KM,
    Box,
    bounds,
    cover,
    cover_precision,
    encode,
    haversine_km,
    precision_for_radius,
)
from ecobid_core.geo.distance import distance_to_box_km
from ecobid_core.geo.geohash import cell_size

MAIN_RADII_KM = (0.5, 1.0, 2.0, 5.0, 10.0, 25.0, 50.0)

lats = st.floats(min_value=-90.0, max_value=90.0)
lons = st.floats(min_value=-180.0, max_value=180.0)
# Plain uniform longitudes rarely land near the antimeridian, where the box is split.
lons_near_antimeridian = st.one_of(
    lons,
    st.floats(min_value=179.0, max_value=180.0),
    st.floats(min_value=-180.0, max_value=-179.0),
)
polar_lats = st.one_of(
    st.floats(min_value=89.0, max_value=90.0),
    st.floats(min_value=-90.0, max_value=-89.0),
)
bearings = st.floats(min_value=0.0, max_value=360.0)
# Bias towards the rim of the circle, where a missing cell would show up first.
fractions = st.one_of(
    st.floats(min_value=0.0, max_value=0.999),
    st.floats(min_value=0.99, max_value=0.999),
)


def destination(
    lat: float, lon: float, bearing_deg: float, distance_km: float
) -> tuple[float, float]:
    """Point reached from (lat, lon) along a great circle: the standard spherical formula."""
    delta = distance_km / EARTH_RADIUS_KM
    phi1, lambda1, theta = math.radians(lat), math.radians(lon), math.radians(bearing_deg)
    sin_phi2 = math.sin(phi1) * math.cos(delta) + math.cos(phi1) * math.sin(delta) * math.cos(theta)
    sin_phi2 = max(-1.0, min(1.0, sin_phi2))
    lambda2 = lambda1 + math.atan2(
        math.sin(theta) * math.sin(delta) * math.cos(phi1),
        math.cos(delta) - math.sin(phi1) * sin_phi2,
    )
    lon2 = (math.degrees(lambda2) + 540.0) % 360.0 - 180.0
    return math.degrees(math.asin(sin_phi2)), max(-180.0, min(180.0, lon2))


def assert_covered(
    lat: float, lon: float, radius_km: float, cells: list[str], bearing: float, fraction: float
) -> None:
    dest_lat, dest_lon = destination(lat, lon, bearing, radius_km * fraction)
    # Guards the test's own formula: the probe really is inside the circle.
    assert haversine_km(lat, lon, dest_lat, dest_lon) <= radius_km
    assert encode(dest_lat, dest_lon, len(cells[0])) in cells


# --- haversine ---------------------------------------------------------------------


def test_berlin_to_paris() -> None:
    assert haversine_km(52.5200, 13.4050, 48.8566, 2.3522) == pytest.approx(877.5, abs=2.0)


def test_quarter_meridian() -> None:
    assert haversine_km(0.0, 0.0, 90.0, 0.0) == pytest.approx(math.pi / 2 * EARTH_RADIUS_KM)
    assert haversine_km(0.0, 179.5, 0.0, -179.5) == pytest.approx(math.radians(1) * EARTH_RADIUS_KM)


@given(lats, lons, lats, lons)
def test_haversine_symmetric_and_bounded(
    lat1: float, lon1: float, lat2: float, lon2: float
) -> None:
    forward = haversine_km(lat1, lon1, lat2, lon2)
    assert forward == pytest.approx(haversine_km(lat2, lon2, lat1, lon1), abs=1e-9)
    assert 0.0 <= forward <= math.pi * EARTH_RADIUS_KM + 1e-9


@given(lats, lons)
def test_haversine_zero_for_same_point(lat: float, lon: float) -> None:
    assert haversine_km(lat, lon, lat, lon) == 0.0


@given(lats, lons, lats, lons, lats, lons)
def test_haversine_triangle_inequality(
    lat1: float, lon1: float, lat2: float, lon2: float, lat3: float, lon3: float
) -> None:
    direct = haversine_km(lat1, lon1, lat3, lon3)
    via = haversine_km(lat1, lon1, lat2, lon2) + haversine_km(lat2, lon2, lat3, lon3)
    assert direct <= via + 1e-6


# --- distance to a cell ------------------------------------------------------------


@settings(max_examples=300)
@given(lats, lons, lats, lons, st.integers(min_value=1, max_value=5), st.data())
def test_distance_to_box_is_a_lower_bound(
    lat: float, lon: float, cell_lat: float, cell_lon: float, precision: int, data: st.DataObject
) -> None:
    # Cover pruning is only safe if this never overestimates, so probe the boundary
    # densely (the nearest point of a cell to an outside point is on its boundary).
    box = bounds(encode(cell_lat, cell_lon, precision))
    nearest = distance_to_box_km(lat, lon, box)
    steps = [i / 64 for i in range(65)]
    probes = [(box.lat_min + t * (box.lat_max - box.lat_min), box.lon_min) for t in steps]
    probes += [(box.lat_min + t * (box.lat_max - box.lat_min), box.lon_max) for t in steps]
    probes += [(box.lat_min, box.lon_min + t * (box.lon_max - box.lon_min)) for t in steps]
    probes += [(box.lat_max, box.lon_min + t * (box.lon_max - box.lon_min)) for t in steps]
    inside = st.tuples(
        st.floats(min_value=box.lat_min, max_value=box.lat_max),
        st.floats(min_value=box.lon_min, max_value=box.lon_max),
    )
    probes += data.draw(st.lists(inside, max_size=10))
    for probe_lat, probe_lon in probes:
        assert nearest <= haversine_km(lat, lon, probe_lat, probe_lon) + 1e-7


def test_distance_to_box_known_values() -> None:
    box = Box(0.0, 1.0, 0.0, 1.0)
    assert distance_to_box_km(0.5, 0.5, box) == 0.0
    assert distance_to_box_km(2.0, 0.5, box) == pytest.approx(math.radians(1) * EARTH_RADIUS_KM)
    # Due east at the equator the nearest point is the edge's equator end.
    assert distance_to_box_km(0.0, 3.0, box) == pytest.approx(math.radians(2) * EARTH_RADIUS_KM)
    # Across the antimeridian the gap is 2 degrees, not 358.
    far_east = Box(0.0, 1.0, 179.0, 180.0)
    expected = haversine_km(0.5, -179.0, 0.5, 180.0)
    assert distance_to_box_km(0.5, -179.0, far_east) == pytest.approx(expected)


# --- precision ---------------------------------------------------------------------


@given(st.floats(min_value=0.0, max_value=50.0, exclude_min=True))
def test_precision_for_radius_stays_in_range(radius_km: float) -> None:
    assert 3 <= precision_for_radius(radius_km) <= 7


@given(
    st.floats(min_value=0.0, max_value=1000.0, exclude_min=True),
    st.floats(min_value=0.0, max_value=1000.0, exclude_min=True),
)
def test_precision_never_gets_finer_as_radius_grows(a: float, b: float) -> None:
    small, large = sorted((a, b))
    assert precision_for_radius(small) >= precision_for_radius(large) >= 3


@pytest.mark.parametrize("radius_km", [0.0, -1.0, math.nan, math.inf])
def test_bad_radius_is_rejected(radius_km: float) -> None:
    with pytest.raises(ValueError, match="radius"):
        precision_for_radius(radius_km)
    with pytest.raises(ValueError, match="radius"):
        cover(0.0, 0.0, radius_km)


def test_bad_centre_or_precision_is_rejected() -> None:
    with pytest.raises(ValueError, match="latitude"):
        cover(91.0, 0.0, 1.0)
    with pytest.raises(ValueError, match="longitude"):
        cover(0.0, -181.0, 1.0)
    with pytest.raises(ValueError, match="precision"):
        cover(0.0, 0.0, 1.0, precision=0)


# --- cover completeness ------------------------------------------------------------


@settings(max_examples=600, deadline=None)
@given(
    st.floats(min_value=-85.0, max_value=85.0),
    lons_near_antimeridian,
    st.floats(min_value=0.05, max_value=50.0, exclude_min=True),
    bearings,
    fractions,
)
@example(0.0, 179.9999, 50.0, 90.0, 0.999)
@example(0.0, -180.0, 50.0, 270.0, 0.999)
@example(85.0, 180.0, 50.0, 0.0, 0.999)
def test_cover_holds_every_point_in_the_circle(
    lat: float, lon: float, radius_km: float, bearing: float, fraction: float
) -> None:
    cells = cover(lat, lon, radius_km)
    assert cells == sorted(set(cells))
    assert {len(cell) for cell in cells} == {cover_precision(lat, lon, radius_km)}
    assert_covered(lat, lon, radius_km, cells, bearing, fraction)


@settings(max_examples=200, deadline=None)
@given(
    st.floats(min_value=-89.0, max_value=89.0),
    lons_near_antimeridian,
    st.floats(min_value=0.01, max_value=5.0),
    st.integers(min_value=1, max_value=6),
    bearings,
    fractions,
)
def test_cover_at_explicit_precision(
    lat: float, lon: float, radius_km: float, precision: int, bearing: float, fraction: float
) -> None:
    cells = cover(lat, lon, radius_km, precision)
    assert {len(cell) for cell in cells} == {precision}
    assert_covered(lat, lon, radius_km, cells, bearing, fraction)


@settings(max_examples=150, deadline=None)
@given(
    polar_lats,
    lons,
    st.floats(min_value=1.0, max_value=300.0),
    bearings,
    fractions,
)
def test_cover_across_a_pole(
    lat: float, lon: float, radius_km: float, bearing: float, fraction: float
) -> None:
    cells = cover(lat, lon, radius_km, precision=3)
    assert_covered(lat, lon, radius_km, cells, bearing, fraction)


@settings(max_examples=40, deadline=None)
@given(
    st.floats(min_value=80.0, max_value=89.0),
    lons,
    st.floats(min_value=0.3, max_value=0.95),
    st.sampled_from([1.0, -1.0]),
)
def test_cover_reaches_the_widest_longitude(
    lat: float, lon: float, reach: float, hemisphere: float
) -> None:
    # Near a pole the circle bulges poleward of its centre, well past d / cos(lat);
    # sweeping the rim at a coarse precision catches a box that is too narrow.
    radius_km = reach * math.radians(90.0 - lat) * EARTH_RADIUS_KM
    centre_lat = hemisphere * lat
    cells = cover(centre_lat, lon, radius_km, precision=3)
    for bearing in range(0, 360, 3):
        assert_covered(centre_lat, lon, radius_km, cells, float(bearing), 0.999)


def test_cover_spans_the_antimeridian() -> None:
    cells = cover(0.0, 179.999, 1.0)
    assert encode(0.0, 179.9999, len(cells[0])) in cells
    assert encode(0.0, -179.9999, len(cells[0])) in cells


def test_cover_around_a_pole_spans_every_meridian() -> None:
    cells = cover(89.99, 0.0, 5.0)
    for lon in range(-180, 181, 15):
        assert encode(89.9999, float(lon), len(cells[0])) in cells


def test_tiny_radius_gives_the_centre_cell() -> None:
    cells = cover(52.52, 13.405, 0.001)
    assert encode(52.52, 13.405, 7) in cells
    assert len(cells) <= 4


# --- cover size --------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.floats(min_value=-60.0, max_value=60.0), lons, st.sampled_from(MAIN_RADII_KM))
def test_cover_stays_small_up_to_latitude_60(lat: float, lon: float, radius_km: float) -> None:
    assert 1 <= len(cover(lat, lon, radius_km)) <= 16


def worst_cover_size(base_lat: float, radius_km: float, steps: int = 12) -> int:
    """Largest cover over centres swept across one whole cell, i.e. every grid alignment."""
    lat_step, lon_step = cell_size(precision_for_radius(radius_km))
    # Sweep equatorward of the base latitude so the sweep never leaves |lat| <= 60.
    direction = -1.0 if base_lat > 0 else 1.0
    worst = 0
    for i in range(steps):
        for j in range(steps):
            lat = base_lat + direction * lat_step * i / steps
            lon = 10.0 + lon_step * j / steps
            worst = max(worst, len(cover(lat, lon, radius_km)))
    return worst


@pytest.mark.parametrize("radius_km", MAIN_RADII_KM)
@pytest.mark.parametrize("base_lat", [0.0, 60.0, -60.0])
def test_worst_grid_alignment_stays_within_16(base_lat: float, radius_km: float) -> None:
    assert worst_cover_size(base_lat, radius_km) <= 16
