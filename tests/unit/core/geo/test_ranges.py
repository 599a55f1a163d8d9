"""Runs of geohash codes: the key ranges the geo index reads, one query each."""

from __future__ import annotations

import itertools

import hypothesis.strategies as st
from hypothesis import given

from ecobid_core.geo import encode, ranges
from ecobid_core.geo.cells import Cell

codes = st.integers(0, (1 << ranges.CODE_BITS) - 1)


@given(st.floats(-90, 90), st.floats(-180, 180))
def test_a_code_orders_as_its_geohash_and_turns_back_into_it(lat: float, lon: float) -> None:
    geohash = encode(lat, lon, ranges.CODE_CHARS)
    assert ranges.text_of(ranges.code_of(geohash)) == geohash


@given(codes, codes)
def test_codes_order_as_their_texts(a: int, b: int) -> None:
    assert (a < b) == (ranges.text_of(a) < ranges.text_of(b))


@given(codes, st.integers(0, 1 << 20))
def test_a_run_is_the_fewest_aligned_cells_in_order(first: int, length: int) -> None:
    last = min(first + length, (1 << ranges.CODE_BITS) - 1)
    cells = list(ranges.cells_of(first, last))
    runs = [ranges.run_of(cell) for cell in cells]
    # Touching, in order, covering exactly first..last.
    assert runs[0][0] == first and runs[-1][1] == last
    assert all(a[1] + 1 == b[0] for a, b in itertools.pairwise(runs))
    # Each cell is as large as its start allows: the canonical decomposition is at most
    # two cells per depth, so a run of any length is a few dozen cells at most.
    assert len(cells) <= 2 * ranges.CODE_BITS


def test_a_cell_is_one_run_of_the_codes_of_its_geohashes() -> None:
    cell = Cell.of("u33dc")
    first, last = ranges.run_of(cell)
    assert ranges.text_of(first) == "u33dc0000"
    assert ranges.text_of(last) == "u33dczzzz"
    half = cell.children()[1]
    assert ranges.run_of(half) == ((first + last + 1) // 2, last)


def test_runs_merge_when_they_touch_but_never_across_a_partition() -> None:
    u33 = ranges.run_of(Cell.of("u33"))
    u34 = ranges.run_of(Cell.of("u34"))
    u40 = ranges.run_of(Cell.of("u40"))
    tzz = ranges.run_of(Cell.of("tzz"))
    assert ranges.merge([u34, u33]) == [(u33[0], u34[1])]
    # tzz and u00 touch in code order, but lie in the partitions "tz" and "u0".
    u00 = ranges.run_of(Cell.of("u00"))
    assert ranges.merge([tzz, u00]) == [tzz, u00]
    assert ranges.merge([u33, u40]) == [u33, u40]
    assert ranges.split_at_partitions(tzz[0], u00[1]) == [tzz, u00]
    assert ranges.partition_of(u33[0]) == ranges.partition_of(u34[1])
