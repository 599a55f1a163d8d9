"""Standard base32 geohashes: encode, decode, cell bounds and neighbours.

Listings are stored under their geohash so that "near me" becomes a handful of prefix
queries instead of a scan. Everything here works on integer cell indices (row, column)
and only turns them into text at the edge, because integer arithmetic makes
neighbours, antimeridian wrap-around and cover enumeration exact, with no
floating-point drift between two cells that should touch.
"""

from __future__ import annotations

from dataclasses import dataclass

BASE32 = "0123456789bcdefghjkmnpqrstuvwxyz"
MAX_PRECISION = 12

_DECODE = {char: value for value, char in enumerate(BASE32)}

# Compass order is part of the contract: callers may rely on N first, clockwise.
_COMPASS = ((1, 0), (1, 1), (0, 1), (-1, 1), (-1, 0), (-1, -1), (0, -1), (1, -1))


@dataclass(frozen=True, slots=True)
class Box:
    """A closed latitude/longitude rectangle in degrees; never crosses the antimeridian."""

    lat_min: float
    lat_max: float
    lon_min: float
    lon_max: float


def check_point(lat: float, lon: float) -> None:
    """Reject coordinates off the globe (NaN included) before they pick a wrong cell."""
    if not -90.0 <= lat <= 90.0:
        raise ValueError(f"latitude {lat!r} is outside [-90, 90]")
    if not -180.0 <= lon <= 180.0:
        raise ValueError(f"longitude {lon!r} is outside [-180, 180]")


def check_precision(precision: int) -> None:
    # 12 characters is already a cell of a few centimetres; the conventional cap keeps
    # index keys bounded.
    if not 1 <= precision <= MAX_PRECISION:
        raise ValueError(f"precision {precision!r} is outside 1..{MAX_PRECISION}")


def axis_bits(precision: int) -> tuple[int, int]:
    """(latitude bits, longitude bits): the bit stream starts with longitude."""
    total = 5 * precision
    return total // 2, total - total // 2


def cell_size(precision: int) -> tuple[float, float]:
    """(latitude step, longitude step) in degrees of one cell at ``precision``."""
    lat_bits, lon_bits = axis_bits(precision)
    return 180.0 / 2**lat_bits, 360.0 / 2**lon_bits


def axis_index(value: float, low: float, high: float, bits: int) -> int:
    """Index of the slot holding ``value`` when [low, high] is halved ``bits`` times.

    Bisection rather than ``floor((value - low) / step)``: the midpoints are dyadic and
    exact in binary floating point, whereas the subtraction can round a value lying
    just below a cell edge onto it. Values outside the range land in the end slots,
    which is what the cover needs when a search box overhangs a pole.
    """
    index = 0
    for _ in range(bits):
        mid = (low + high) / 2
        index <<= 1
        if value >= mid:
            index |= 1
            low = mid
        else:
            high = mid
    return index


def from_indices(row: int, col: int, precision: int) -> str:
    """Geohash of the cell in latitude ``row`` and longitude ``col`` (both from 0)."""
    lat_bits, lon_bits = axis_bits(precision)
    value = 0
    for k in range(5 * precision):
        if k % 2 == 0:
            lon_bits -= 1
            value = (value << 1) | ((col >> lon_bits) & 1)
        else:
            lat_bits -= 1
            value = (value << 1) | ((row >> lat_bits) & 1)
    return "".join(BASE32[(value >> (5 * n)) & 31] for n in reversed(range(precision)))


def to_indices(geohash: str) -> tuple[int, int]:
    """(row, col) of ``geohash``; the inverse of :func:`from_indices`.

    Only the lowercase alphabet is accepted: geohashes are compared byte for byte as
    index keys, so silently accepting "U33" would produce keys that never match.
    """
    if not geohash or len(geohash) > MAX_PRECISION:
        raise ValueError(f"geohash must be 1..{MAX_PRECISION} characters, got {geohash!r}")
    row = col = 0
    k = 0
    for char in geohash:
        value = _DECODE.get(char)
        if value is None:
            raise ValueError(f"invalid geohash character {char!r} in {geohash!r}")
        for shift in range(4, -1, -1):
            bit = (value >> shift) & 1
            if k % 2 == 0:
                col = (col << 1) | bit
            else:
                row = (row << 1) | bit
            k += 1
    return row, col


def encode(lat: float, lon: float, precision: int = 9) -> str:
    """Geohash of the cell holding (lat, lon); points on an edge go to the upper cell."""
    check_point(lat, lon)
    check_precision(precision)
    lat_bits, lon_bits = axis_bits(precision)
    row = axis_index(lat, -90.0, 90.0, lat_bits)
    col = axis_index(lon, -180.0, 180.0, lon_bits)
    return from_indices(row, col, precision)


def cell_box(row: int, col: int, precision: int) -> Box:
    """The rectangle of the cell at (``row``, ``col``), without building its text."""
    lat_step, lon_step = cell_size(precision)
    # Multiples of a power-of-two step are exact, so adjacent cells share edges exactly.
    lat_min = -90.0 + row * lat_step
    lon_min = -180.0 + col * lon_step
    return Box(lat_min, lat_min + lat_step, lon_min, lon_min + lon_step)


def bounds(geohash: str) -> Box:
    """The closed rectangle covered by ``geohash``."""
    row, col = to_indices(geohash)
    return cell_box(row, col, len(geohash))


def decode(geohash: str) -> tuple[float, float]:
    """The centre (lat, lon) of the cell ``geohash``."""
    box = bounds(geohash)
    return (box.lat_min + box.lat_max) / 2, (box.lon_min + box.lon_max) / 2


def neighbours(geohash: str) -> list[str]:
    """The adjacent cells of the same length, in order N, NE, E, SE, S, SW, W, NW.

    Longitude wraps across the antimeridian, because a cell at 179.99 degrees really
    does border one at -179.99. Rows beyond a pole do not exist and are left out rather
    than folded over, so the polar rows get five neighbours.
    """
    row, col = to_indices(geohash)
    precision = len(geohash)
    lat_bits, lon_bits = axis_bits(precision)
    rows, cols = 2**lat_bits, 2**lon_bits
    found: list[str] = []
    for d_row, d_col in _COMPASS:
        if not 0 <= row + d_row < rows:
            continue
        cell = from_indices(row + d_row, (col + d_col) % cols, precision)
        # Dedupe defensively in case the grid is ever narrow enough for E and W to meet.
        if cell != geohash and cell not in found:
            found.append(cell)
    return found
