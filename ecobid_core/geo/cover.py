"""Turn "everything within r km of a point" into a short list of geohash cells.

The cover is where a radius search starts: its cells, as runs of the index's sort key,
are all a search may read. It has two jobs: never miss a point inside the circle (a
missed cell is a listing nobody can find), and stay small enough to plan over quickly.
"""

from __future__ import annotations

import math

from ecobid_core.geo.distance import EARTH_RADIUS_KM, distance_to_box_km
from ecobid_core.geo.geohash import (
    axis_bits,
    axis_index,
    cell_box,
    check_point,
    check_precision,
    from_indices,
)

# The index partitions items by their 3-character prefix, so a coarser cell would have
# to be queried across many partitions; 3 is the floor whatever the radius.
MIN_COVER_PRECISION = 3

# Most cells a cover's box may touch before the cover takes coarser cells. Up to
# latitude 60 the radius' own precision touches at most 16 (below), so this acts only
# poleward of that.
MAX_BOX_CELLS = 32

# (largest radius in km, precision), finest first. Each limit is the largest radius
# whose bounding box, placed as badly as possible on the grid at latitude 60 (where a
# degree of longitude is half as long as at the equator), still touches at most 16
# cells; at the equator the same radii touch at most 12. The limits are rounded down
# from 0.153, 0.916, 4.89 and 29.3 km so rounding never tips a search over.
_PRECISION_LIMITS: tuple[tuple[float, int], ...] = (
    (0.15, 7),
    (0.9, 6),
    (4.8, 5),
    (28.0, 4),
)

# Widen the box by ~0.1 mm and accept cells up to 1 mm beyond the radius: rounding in
# the trigonometry must only ever add a cell, never lose one.
_PAD_DEG = 1e-9
_SLACK_KM = 1e-6

_LonRange = tuple[float, float]


def _check_radius(radius_km: float) -> None:
    if not (radius_km > 0 and math.isfinite(radius_km)):
        raise ValueError(f"radius must be a positive number of km, got {radius_km!r}")


def precision_for_radius(radius_km: float) -> int:
    """Geohash length whose cells are about as large as the search circle.

    Finer cells fit the circle more tightly but need more queries; coarser cells need
    fewer queries but return more items to filter out. The limits keep a search to
    at most 16 queries up to latitude 60, and at most 12 at the equator.
    """
    _check_radius(radius_km)
    for max_radius_km, precision in _PRECISION_LIMITS:
        if radius_km <= max_radius_km:
            return precision
    return MIN_COVER_PRECISION


def _search_box(lat: float, lon: float, radius_km: float) -> tuple[float, float, list[_LonRange]]:
    """Latitude range and one or two longitude ranges bounding the circle.

    Meridians converge poleward, so the circle is widest in longitude not at the
    centre's latitude but where a meridian is tangent to it: the half-width is
    asin(sin d / cos lat), a little more than d / cos lat. A circle that reaches a pole
    spans every meridian, and one that crosses the antimeridian is split so that each
    range stays inside [-180, 180].
    """
    d = radius_km / EARTH_RADIUS_KM
    lat_lo = lat - math.degrees(d) - _PAD_DEG
    lat_hi = lat + math.degrees(d) + _PAD_DEG
    if lat_lo <= -90.0 or lat_hi >= 90.0:
        return max(lat_lo, -90.0), min(lat_hi, 90.0), [(-180.0, 180.0)]
    # Not reaching a pole means d < 90 - |lat| degrees, so the ratio is below 1 already;
    # min() only guards against rounding.
    ratio = min(1.0, math.sin(d) / math.cos(math.radians(lat)))
    half_width = math.degrees(math.asin(ratio)) + _PAD_DEG
    lon_lo, lon_hi = lon - half_width, lon + half_width
    if lon_lo < -180.0:
        return lat_lo, lat_hi, [(lon_lo + 360.0, 180.0), (-180.0, lon_hi)]
    if lon_hi > 180.0:
        return lat_lo, lat_hi, [(lon_lo, 180.0), (-180.0, lon_hi - 360.0)]
    return lat_lo, lat_hi, [(lon_lo, lon_hi)]


def _grid(lat: float, lon: float, radius_km: float, precision: int) -> tuple[range, list[range]]:
    """Rows, and one or two column ranges, of the cells the search box touches."""
    lat_bits, lon_bits = axis_bits(precision)
    lat_lo, lat_hi, lon_ranges = _search_box(lat, lon, radius_km)
    # axis_index is the very bisection encode() uses, so the box's edge cells are the
    # cells encode() would give for the edge points, even at a float tie.
    rows = range(
        axis_index(lat_lo, -90.0, 90.0, lat_bits), axis_index(lat_hi, -90.0, 90.0, lat_bits) + 1
    )
    columns = [
        range(
            axis_index(lon_lo, -180.0, 180.0, lon_bits),
            axis_index(lon_hi, -180.0, 180.0, lon_bits) + 1,
        )
        for lon_lo, lon_hi in lon_ranges
    ]
    return rows, columns


def cover_precision(lat: float, lon: float, radius_km: float) -> int:
    """The precision ``cover`` uses: the radius' own, unless the box would hold too many.

    Poleward of latitude 60 meridians converge, so cells of the radius' precision grow
    narrow beside the circle (1,472 of them for 100 m at latitude 89.9): there the cover
    takes coarser cells until its box holds at most ``MAX_BOX_CELLS``, down to the floor.
    A circle around a pole spans every meridian and stays at the floor's 256 columns.
    """
    check_point(lat, lon)
    precision = precision_for_radius(radius_km)
    while precision > MIN_COVER_PRECISION:
        rows, columns = _grid(lat, lon, radius_km, precision)
        if len(rows) * sum(len(cols) for cols in columns) <= MAX_BOX_CELLS:
            break
        precision -= 1
    return precision


def cover(lat: float, lon: float, radius_km: float, precision: int | None = None) -> list[str]:
    """Sorted geohash cells whose union holds every point within ``radius_km`` of (lat, lon).

    Cells are enumerated by grid index over the bounding box, then those whose nearest
    point is farther than the radius are dropped: the box's corners lie outside the
    circle, and each corner cell skipped is one query saved.
    """
    check_point(lat, lon)
    _check_radius(radius_km)
    if precision is None:
        precision = cover_precision(lat, lon, radius_km)
    check_precision(precision)
    rows, columns = _grid(lat, lon, radius_km, precision)
    cells: set[str] = set()
    for cols in columns:
        for row in rows:
            for col in cols:
                box = cell_box(row, col, precision)
                if distance_to_box_km(lat, lon, box) <= radius_km + _SLACK_KM:
                    cells.add(from_indices(row, col, precision))
    return sorted(cells)
