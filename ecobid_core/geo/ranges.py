"""Runs of geohashes: the key ranges an index ordered by geohash reads with one query each.

An item geohash has 9 characters, 45 bits; as a number (its *code*) it orders items as
the index does, and a cell cut after any bit is one run of codes. Z-order keeps most
neighbouring cells next to each other, so the cells a search needs merge into a few runs;
a run never crosses a partition of the index (``PARTITION_DEPTH``), since a query reads
one partition.
"""

from __future__ import annotations

from collections.abc import Iterator

from ecobid_core.geo.cells import Cell
from ecobid_core.geo.geohash import BASE32

#: Bits of an item geohash (9 characters).
CODE_BITS = 45
CODE_CHARS = CODE_BITS // 5
#: The index partitions by the first 2 characters (10 bits): a run stays inside one.
PARTITION_DEPTH = 10
PARTITION_CHARS = PARTITION_DEPTH // 5

Run = tuple[int, int]  # inclusive codes (first, last)


def code_of(geohash: str) -> int:
    """The code of a geohash's first 9 characters (shorter ones padded with the first cell)."""
    code = 0
    for char in geohash[:CODE_CHARS].ljust(CODE_CHARS, "0"):
        code = (code << 5) | BASE32.index(char)
    return code


def text_of(code: int) -> str:
    return "".join(BASE32[(code >> (5 * n)) & 31] for n in reversed(range(CODE_CHARS)))


def run_of(cell: Cell) -> Run:
    if cell.depth >= CODE_BITS:
        code = cell.code >> (cell.depth - CODE_BITS)
        return code, code
    shift = CODE_BITS - cell.depth
    return cell.code << shift, ((cell.code + 1) << shift) - 1


def cells_of(first: int, last: int) -> Iterator[Cell]:
    """The fewest aligned cells whose runs make up ``first..last``, in order."""
    while first <= last:
        size = first & -first if first else 1 << CODE_BITS
        while first + size - 1 > last:
            size >>= 1
        yield Cell(CODE_BITS - size.bit_length() + 1, first // size)
        first += size


def partition_of(code: int) -> int:
    return code >> (CODE_BITS - PARTITION_DEPTH)


def area_km2(first: int, last: int) -> float:
    return sum(cell.area_km2() for cell in cells_of(first, last))


def nearest_km(first: int, last: int, lat: float, lon: float) -> float:
    return min(cell.nearest_km(lat, lon) for cell in cells_of(first, last))


def merge(runs: list[Run]) -> list[Run]:
    """Sorted runs with touching ones joined, never across a partition."""
    merged: list[Run] = []
    for first, last in sorted(runs):
        if (
            merged
            and merged[-1][1] + 1 >= first
            and partition_of(merged[-1][0]) == partition_of(last)
        ):
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def split_at_partitions(first: int, last: int) -> list[Run]:
    runs = []
    while partition_of(first) != partition_of(last):
        end = ((partition_of(first) + 1) << (CODE_BITS - PARTITION_DEPTH)) - 1
        runs.append((first, end))
        first = end + 1
    runs.append((first, last))
    return runs
