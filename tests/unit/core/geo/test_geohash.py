"""Geohash encoding, bounds and neighbours, checked against a textbook encoder."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecobid_core.geo import Box, bounds, decode, encode, neighbours
from ecobid_core.geo.geohash import BASE32, cell_size

lats = st.floats(min_value=-90.0, max_value=90.0)
lons = st.floats(min_value=-180.0, max_value=180.0)
precisions = st.integers(min_value=1, max_value=12)
geohashes = st.text(alphabet=BASE32, min_size=1, max_size=12)


def reference_encode(lat: float, lon: float, precision: int) -> str:
    """The classic string-building algorithm, independent of the integer-index code."""
    lat_range, lon_range = [-90.0, 90.0], [-180.0, 180.0]
    bits: list[int] = []
    while len(bits) < 5 * precision:
        interval, value = (lon_range, lon) if len(bits) % 2 == 0 else (lat_range, lat)
        mid = (interval[0] + interval[1]) / 2
        if value >= mid:
            bits.append(1)
            interval[0] = mid
        else:
            bits.append(0)
            interval[1] = mid
    chunks = (bits[i : i + 5] for i in range(0, len(bits), 5))
    return "".join(BASE32[int("".join(map(str, chunk)), 2)] for chunk in chunks)


def contains(box: Box, lat: float, lon: float) -> bool:
    return box.lat_min <= lat <= box.lat_max and box.lon_min <= lon <= box.lon_max


@pytest.mark.parametrize(
    ("lat", "lon", "precision", "expected"),
    [
        (57.64911, 10.40744, 11, "u4pruydqqvj"),
        (52.52, 13.405, 6, "u33dc0"),
        (42.6, -5.6, 5, "ezs42"),
        (0.0, 0.0, 1, "s"),
        (-90.0, -180.0, 5, "00000"),
        (90.0, 180.0, 5, "zzzzz"),
        (-25.382708, -49.265506, 8, "6gkzwgjz"),
    ],
)
def test_known_vectors(lat: float, lon: float, precision: int, expected: str) -> None:
    assert encode(lat, lon, precision) == expected


def test_default_precision_is_nine() -> None:
    assert encode(52.52, 13.405) == encode(52.52, 13.405, 9)
    assert len(encode(52.52, 13.405)) == 9


def test_known_decode() -> None:
    lat, lon = decode("ezs42")
    assert lat == pytest.approx(42.605, abs=0.03)
    assert lon == pytest.approx(-5.603, abs=0.03)
    assert bounds("s") == Box(0.0, 45.0, 0.0, 45.0)


@pytest.mark.parametrize(
    ("lat", "lon", "precision"),
    [
        (90.0001, 0.0, 5),
        (-90.0001, 0.0, 5),
        (0.0, 180.0001, 5),
        (0.0, -180.0001, 5),
        (math.nan, 0.0, 5),
        (0.0, math.nan, 5),
        (0.0, 0.0, 0),
        (0.0, 0.0, 13),
    ],
)
def test_encode_rejects_bad_input(lat: float, lon: float, precision: int) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - the message varies by field
        encode(lat, lon, precision)


@pytest.mark.parametrize("geohash", ["", "a", "u33i", "u33l", "u33o", "U33", "u33 ", "s" * 13])
def test_bad_geohash_is_rejected(geohash: str) -> None:
    with pytest.raises(ValueError, match="geohash"):
        bounds(geohash)
    with pytest.raises(ValueError, match="geohash"):
        decode(geohash)
    with pytest.raises(ValueError, match="geohash"):
        neighbours(geohash)


@settings(max_examples=500)
@given(lats, lons, precisions)
def test_encode_matches_reference(lat: float, lon: float, precision: int) -> None:
    assert encode(lat, lon, precision) == reference_encode(lat, lon, precision)


@settings(max_examples=300)
@given(lats, lons, precisions)
def test_point_lies_in_its_cell(lat: float, lon: float, precision: int) -> None:
    geohash = encode(lat, lon, precision)
    box = bounds(geohash)
    assert contains(box, lat, lon)
    centre_lat, centre_lon = decode(geohash)
    assert contains(box, centre_lat, centre_lon)
    lat_step, lon_step = cell_size(precision)
    assert box.lat_max - box.lat_min == lat_step
    assert box.lon_max - box.lon_min == lon_step


@given(lats, lons)
def test_shorter_hash_is_prefix(lat: float, lon: float) -> None:
    full = encode(lat, lon, 12)
    for precision in range(1, 12):
        assert encode(lat, lon, precision) == full[:precision]


@given(geohashes)
def test_decode_round_trips(geohash: str) -> None:
    lat, lon = decode(geohash)
    assert encode(lat, lon, len(geohash)) == geohash


def _touches(cell: Box, other: Box) -> bool:
    """Whether two same-size cells share an edge or corner, allowing antimeridian wrap."""
    lat_ok = other.lat_min in (cell.lat_min, cell.lat_max) or other.lat_max == cell.lat_min
    same_lon = other.lon_min == cell.lon_min
    east = other.lon_min == cell.lon_max or (cell.lon_max == 180.0 and other.lon_min == -180.0)
    west = other.lon_max == cell.lon_min or (cell.lon_min == -180.0 and other.lon_max == 180.0)
    return lat_ok and (same_lon or east or west)


@settings(max_examples=300)
@given(geohashes)
def test_neighbours_touch_the_cell(geohash: str) -> None:
    found = neighbours(geohash)
    box = bounds(geohash)
    assert len(set(found)) == len(found)
    assert geohash not in found
    polar = box.lat_max == 90.0 or box.lat_min == -90.0
    assert len(found) == (5 if polar else 8)
    for other in found:
        assert len(other) == len(geohash)
        assert _touches(box, bounds(other))
        assert geohash in neighbours(other)


@settings(max_examples=300)
@given(lats, lons, st.integers(min_value=1, max_value=10))
def test_neighbours_follow_compass_order(lat: float, lon: float, precision: int) -> None:
    geohash = encode(lat, lon, precision)
    lat_step, lon_step = cell_size(precision)
    centre_lat, centre_lon = decode(geohash)
    expected = []
    for d_lat, d_lon in [(1, 0), (1, 1), (0, 1), (-1, 1), (-1, 0), (-1, -1), (0, -1), (1, -1)]:
        target_lat = centre_lat + d_lat * lat_step
        if not -90.0 < target_lat < 90.0:
            continue
        # Fold the probe back onto the globe so it lands in the wrapped cell.
        target_lon = (centre_lon + d_lon * lon_step + 180.0) % 360.0 - 180.0
        expected.append(encode(target_lat, target_lon, precision))
    assert neighbours(geohash) == expected


@pytest.mark.parametrize("precision", range(1, 13))
def test_neighbours_wrap_at_antimeridian(precision: int) -> None:
    _, lon_step = cell_size(precision)
    # Centres of the last and first columns, so the probe fits even a centimetre cell.
    east = encode(10.0, 180.0 - lon_step / 2, precision)
    west = encode(10.0, -180.0 + lon_step / 2, precision)
    assert west in neighbours(east)
    assert east in neighbours(west)


@pytest.mark.parametrize("precision", range(1, 7))
def test_cell_at_179_99_borders_cell_at_minus_179_99(precision: int) -> None:
    assert encode(-33.0, -179.99, precision) in neighbours(encode(-33.0, 179.99, precision))


@pytest.mark.parametrize("precision", range(1, 13))
@pytest.mark.parametrize("lat", [90.0, -90.0])
def test_polar_cells_have_fewer_neighbours(lat: float, precision: int) -> None:
    found = neighbours(encode(lat, 12.3, precision))
    assert len(found) == 5
    for other in found:
        box = bounds(other)
        assert -90.0 <= box.lat_min < box.lat_max <= 90.0
