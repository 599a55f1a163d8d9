"""Binary geohash cells: a geohash cut after any bit, not only after a whole character.

A geohash character holds five bits, so character cells shrink 32-fold per step (5.7x
per side): too coarse a ladder to fit cells to a search. Cutting after any bit halves a
cell at each step, alternately across longitude and latitude, and such a cell is still
one contiguous run of geohashes (``span``), which an index ordered by geohash reads as
one key range.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ecobid_core.geo.distance import EARTH_RADIUS_KM, distance_to_box_km, haversine_km
from ecobid_core.geo.geohash import BASE32, MAX_PRECISION, Box, to_indices

MAX_DEPTH = 5 * MAX_PRECISION
_KM_PER_DEG = math.pi * EARTH_RADIUS_KM / 180.0


def _deinterleave(code: int, depth: int) -> tuple[int, int]:
    """(row, col) of a bit string whose even bits (from the first) are longitude."""
    row = col = 0
    for k in range(depth):
        bit = (code >> (depth - 1 - k)) & 1
        if k % 2 == 0:
            col = (col << 1) | bit
        else:
            row = (row << 1) | bit
    return row, col


def _chars(value: int, length: int) -> str:
    return "".join(BASE32[(value >> (5 * n)) & 31] for n in reversed(range(length)))


@dataclass(frozen=True, slots=True, order=True)
class Cell:
    """The first ``depth`` bits of a geohash (``code``); ordered as their key ranges are."""

    depth: int
    code: int

    @classmethod
    def of(cls, geohash: str) -> Cell:
        to_indices(geohash)  # rejects what is no geohash
        code = 0
        for char in geohash:
            code = (code << 5) | BASE32.index(char)
        return cls(5 * len(geohash), code)

    def children(self) -> tuple[Cell, Cell]:
        if self.depth >= MAX_DEPTH:
            raise ValueError("a cell of full precision has no children")
        return Cell(self.depth + 1, self.code << 1), Cell(self.depth + 1, (self.code << 1) | 1)

    def span(self) -> tuple[str, str]:
        """First and last geohash prefix of the cell, as long as the cell's text needs."""
        length = -(-self.depth // 5)
        pad = 5 * length - self.depth
        first = self.code << pad
        return _chars(first, length), _chars(first | ((1 << pad) - 1), length)

    def holds(self, geohash: str) -> bool:
        first, last = self.span()
        return first <= geohash[: len(first)] <= last

    def box(self) -> Box:
        row, col = _deinterleave(self.code, self.depth)
        lat_step = 180.0 / 2 ** (self.depth // 2)
        lon_step = 360.0 / 2 ** (self.depth - self.depth // 2)
        lat_min, lon_min = -90.0 + row * lat_step, -180.0 + col * lon_step
        return Box(lat_min, lat_min + lat_step, lon_min, lon_min + lon_step)

    def _sides_km(self) -> tuple[float, float]:
        """(width where the cell is widest, height)."""
        box = self.box()
        widest = min(abs(box.lat_min), abs(box.lat_max)) if box.lat_min * box.lat_max > 0 else 0
        width = (box.lon_max - box.lon_min) * _KM_PER_DEG * math.cos(math.radians(widest))
        return width, (box.lat_max - box.lat_min) * _KM_PER_DEG

    def size_km(self) -> float:
        """The longer side, measured where the cell is widest."""
        return max(self._sides_km())

    def area_km2(self) -> float:
        """An upper bound of the area (the cell measured where it is widest)."""
        width, height = self._sides_km()
        return width * height

    def nearest_km(self, lat: float, lon: float) -> float:
        return distance_to_box_km(lat, lon, self.box())

    def farthest_km(self, lat: float, lon: float) -> float:
        """Distance to the farthest corner.

        On a sphere a distance has no maximum inside a region that leaves out the
        antipode, and along each edge it peaks at an end, so a corner is the farthest
        point of any cell a search can meet (none comes near its centre's antipode).
        """
        box = self.box()
        return max(
            haversine_km(lat, lon, corner_lat, corner_lon)
            for corner_lat in (box.lat_min, box.lat_max)
            for corner_lon in (box.lon_min, box.lon_max)
        )
