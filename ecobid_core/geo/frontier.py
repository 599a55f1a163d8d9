"""The unread cells of a nearest-first search, nearest first, cut to fit the search.

Every item read costs the same whether it is shown or not, so a cell is read only once
it is small beside its distance from what the search has already settled: near the
centre (or, on a later page, near the distance the last page ended at) cells are fine,
farther out they are coarse, so an empty region costs a few queries, never thousands.
Where the page finds few items, a cell expected (from what the page has read so far)
to hold about one item is read at once, however large: a sparse region costs few reads
and few queries alike. A cell that turns out dense is not read whole: the read stops at
its limit and the rest of the cell goes back as its two halves, in distance order.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable
from dataclasses import dataclass

from ecobid_core.geo.cells import Cell

#: A cell is read once its side is at most this share of its gap to the settled region.
SIZE_PER_GAP = 0.5
#: Smallest side a first page needs before its cells may be read (km).
FIRST_FLOOR_KM = 0.05
#: Share of the last page's width a later page's cells may span at the frontier.
SIZE_PER_WIDTH = 0.35
#: A cell expected to hold at most this many items is read, whatever its size.
SPARSE_ITEMS = 0.3
EMPTY_AS_ITEMS = 0.3
#: Share of the last page's band its items are taken to fill (less: a denser guess).
PRIOR_AREA_SHARE = 0.5
#: Fewest entries a read asks for: one more than an item tells whether a cell has more.
MIN_READ = 2
#: Item geohashes have 9 characters: a finer cell would not tell items apart.
ITEM_DEPTH = 45
#: Unread cells past which cells are read as they are, no longer halved. Around a pole
#: every root cell touches the centre, so halving them towards fine cells meant over a
#: million reads for one empty page; past the cap an empty page reads each open cell once.
MAX_OPEN_CELLS = 128
# Rounding in the trigonometry must make a cell look nearer, never farther.
SLACK_KM = 1e-9


@dataclass(frozen=True, slots=True)
class Resume:
    """Where a page ended: its last (distance, id), and how wide a band it spanned."""

    distance_km: float
    item_id: str
    width_km: float


@dataclass(frozen=True, slots=True)
class CellRead:
    """Read at most ``limit`` entries of ``cell`` in (geohash, id) order after ``after``."""

    cell: Cell
    after: tuple[str, str] | None
    limit: int


class Frontier:
    """Unread cells by distance; finished cells (wholly before ``resume``) never enter."""

    def __init__(
        self, lat: float, lon: float, radius_km: float, resume: Resume | None, page_size: int
    ) -> None:
        self._lat, self._lon, self._radius = lat, lon, radius_km
        self._settled = resume.distance_km if resume else 0.0
        self._floor = resume.width_km * SIZE_PER_WIDTH if resume else FIRST_FLOOR_KM
        self._floor = max(self._floor, FIRST_FLOOR_KM / 4)
        self._finished_below = resume.distance_km if resume else None
        # (nearest km, cell, read position, proven dense)
        self._heap: list[tuple[float, Cell, tuple[str, str] | None, bool]] = []
        self._area_read = 0.0  # km², of the cells read whole
        self._items_read = 0
        # Once set, stays set: halving again after a few reads would only refill the heap.
        self._crowded = False
        if resume is not None and resume.width_km > 0:
            # The last page's band held a page of items: the density to expect next.
            inner = max(0.0, resume.distance_km - resume.width_km)
            self._area_read = PRIOR_AREA_SHARE * math.pi * (resume.distance_km**2 - inner**2)
            self._items_read = page_size

    def __bool__(self) -> bool:
        return bool(self._heap)

    def nearest_km(self) -> float:
        return self._heap[0][0]

    def push(self, cell: Cell, after: tuple[str, str] | None = None, dense: bool = False) -> None:
        nearest = cell.nearest_km(self._lat, self._lon)
        if nearest > self._radius + SLACK_KM:
            return
        below = self._finished_below
        if below is not None and cell.farthest_km(self._lat, self._lon) + SLACK_KM < below:
            return  # every item in it was on an earlier page
        heapq.heappush(self._heap, (nearest - SLACK_KM, cell, after, dense))
        if len(self._heap) >= MAX_OPEN_CELLS:
            self._crowded = True

    def push_all(self, cells: Iterable[Cell]) -> None:
        for cell in cells:
            self.push(cell)

    def _readable(self, nearest: float, cell: Cell, dense: bool) -> bool:
        if cell.depth >= ITEM_DEPTH or self._crowded:
            return True
        gap = nearest - self._settled
        if cell.size_km() <= max(SIZE_PER_GAP * gap, self._floor):
            return True
        if gap < 0 or dense:
            # Straddling where the last page ended (only fine cells are read again), or
            # part of a cell whose read overflowed: the region's average says nothing.
            return False
        # One item more than seen (estimates err dense); while nothing has turned up, a
        # fraction of one, so cells grow severalfold per step over an empty region.
        seen = self._items_read + 1 if self._items_read else EMPTY_AS_ITEMS
        density = seen / self._area_read if self._area_read else math.inf
        return density * cell.area_km2() <= SPARSE_ITEMS

    def take(self, bound_km: float, most: int, budget: int) -> list[CellRead]:
        """The next reads: readable cells nearer than ``bound_km`` (at least one).

        Cells too coarse for their distance are halved on the way. The reads share
        ``budget`` entries between them (two each at least): a dense cell then costs a
        small probe before it is halved, not a page's worth of items from its far side.
        """
        reads: list[tuple[Cell, tuple[str, str] | None]] = []
        while self._heap and len(reads) < most:
            nearest, cell, after, dense = self._heap[0]
            if reads and nearest > bound_km:
                break
            heapq.heappop(self._heap)
            if self._readable(nearest, cell, dense):
                reads.append((cell, after))
            else:
                self._split(cell, after, dense)
        limit = max(MIN_READ, round(budget / max(1, len(reads))))
        return [CellRead(cell, after, limit) for cell, after in reads]

    def read_back(self, done: CellRead, count: int, last: tuple[str, str] | None) -> None:
        """Learn from a read of ``count`` entries; put back the rest of its cell as halves
        if it stopped at ``last``."""
        self._items_read += count
        if last is None:
            if done.after is None:
                self._area_read += done.cell.area_km2()
            return
        if done.cell.depth >= ITEM_DEPTH:
            self.push(done.cell, last, dense=True)
        else:
            self._split(done.cell, last, dense=True)

    def _split(self, cell: Cell, after: tuple[str, str] | None, dense: bool) -> None:
        # A half wholly before ``after`` was read already.
        first, second = cell.children()
        if after is None or not second.holds(after[0]):
            self.push(first, after, dense)
        self.push(second, after if after is not None and second.holds(after[0]) else None, dense)
