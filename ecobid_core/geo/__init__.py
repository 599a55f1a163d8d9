"""Pure geohash maths for radius search: encoding, distances and cell covers.

Standard library only, so the core can run it anywhere and test it exhaustively.
"""

from ecobid_core.geo.cells import Cell
from ecobid_core.geo.cover import cover, cover_precision, precision_for_radius
from ecobid_core.geo.distance import EARTH_RADIUS_KM, haversine_km
from ecobid_core.geo.geohash import Box, bounds, decode, encode, neighbours
from ecobid_core.geo.nearest import RangeRead, Resume, nearest_page

__all__ = [
    "EARTH_RADIUS_KM",
    "Box",
    "Cell",
    "RangeRead",
    "Resume",
    "bounds",
    "cover",
    "cover_precision",
    "decode",
    "encode",
    "haversine_km",
    "nearest_page",
    "neighbours",
    "precision_for_radius",
]
