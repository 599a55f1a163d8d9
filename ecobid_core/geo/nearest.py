"""One page of a nearest-first search in a few rounds of key-range reads.

Every query bills at least half a read unit and a round trip, every item read its bytes:
a page should cost a few queries that each read a contiguous key range holding many of
the items it needs. A round plans from what the page knows of the density around it:

- **Probe.** A first page knows nothing yet: it reads outwards from the centre's own
  position in the index (forwards and backwards, a quarter page each). Z-order keeps
  those items near the centre, and how far along the curve they reach says how dense
  the region is. A sparse region is often read whole by the probe.
- **Target disc.** From the density, the radius expected to hold the page (with a
  margin) is covered with cells: whole cells inside it, cells on its rim cut fine. The
  cells are merged into runs of the sort key (touching runs, and runs whose gap is
  expected to hold under two items), a few per round, sent together.
- **Stop.** An item is final once it is nearer than every unread part of the disc; the
  page has ``L + 1`` final items (the extra one says whether a next page exists). Once
  the page has enough candidates, the next round reads only what is nearer than them.
- **Read with a limit.** Each run asks for about what the density says it holds; a run
  that fills its limit was denser than expected: its unread rest stays unread (resumed
  right after its last item), and the density is learnt again from what was read.
- **The cursor is the frontier.** It carries the last ``(distance, id)`` shown and the
  width of the band the page spanned: a later page drops every cell wholly nearer than
  that distance, cuts the cells across it fine, and starts from the band's density, so
  it neither re-reads the earlier pages nor probes again.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from ecobid_core.geo import ranges
from ecobid_core.geo.cells import Cell
from ecobid_core.geo.cover import cover
from ecobid_core.geo.distance import haversine_km
from ecobid_core.geo.geohash import encode

#: Items the target disc is expected to hold per item the page still needs. A first
#: page's probe density errs dense (it reads along the curve nearest the centre), so a
#: small margin suffices there; a later page's band density is the page-wide average,
#: and a smaller margin there sends it into a fourth round.
MARGIN = 1.1
LATER_MARGIN = 1.3
#: A round past this many plans to finish the page: it reads all that is nearer than
#: the page's candidates (when it has too few, twice as far as the last round reached,
#: or more if the density says so), each run up to what the page still needs at least.
FINAL_ROUND = 2
FINAL_MARGIN = 2.0
#: ... but no more than this many pages' worth from one run (a cluster is cut instead).
FINAL_NEEDS = 4
#: No read asks for more than this many pages' worth, and a page past its budget asks
#: that much of each run. Reading runs whole (up to 1,000 items) ended a page in one more
#: round, but a run that crosses a town read a thousand items for twenty (52x the
#: floor on the bench); a round or two more cost far less.
READ_PAGES = 6
#: A later round short of candidates reaches at least this many times further.
WIDEN = 2.0
#: Cells across the target circle are cut to this share of the band the round reads.
RIM_FIT = 0.2
#: Cells across where the last page ended are cut to this share of its band's width.
SETTLED_FIT = 0.3
#: Share of the page each direction of a first page's probe reads.
PROBE_SHARE = 0.25
#: A gap between two runs expected to hold fewer items is read rather than paid for with
#: a query of its own (a query bills at least half a unit, 4 KB: several items' worth,
#: and on the bench 2.5 beat 1.5); runs beyond ``MOST_RUNS`` in a round are merged
#: across their emptiest gaps.
GAP_ITEMS = 2.5
MOST_RUNS = 7
#: Queries a page may send in all: the last round gets what the earlier ones left.
MOST_QUERIES = 16
#: A run asks for its expected items times this, plus ``SPARE``.
LIMIT_MARGIN = 1.5
SPARE = 2
#: Cells a round may plan; past it cells are read as they are. Around a pole every root
#: cell touches the centre, and cutting them all fine would be millions of cells.
MOST_CELLS = 512
# Rounding in the trigonometry must make a cell look nearer, never farther.
SLACK_KM = 1e-9


@dataclass(frozen=True, slots=True)
class Resume:
    """Where a page ended: its last (distance, id), and how wide a band it spanned."""

    distance_km: float
    item_id: str
    width_km: float


@dataclass(frozen=True, slots=True)
class RangeRead:
    """Up to ``limit`` entries whose geohash lies in ``first..last`` (9 characters each),
    in (geohash, id) order (``forward``) or its reverse, strictly beyond ``after``."""

    first: str
    last: str
    after: tuple[str, str] | None
    forward: bool
    limit: int


class _Point(Protocol):
    @property
    def lat(self) -> float: ...
    @property
    def lon(self) -> float: ...


class Located(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def geohash(self) -> str: ...
    @property
    def location(self) -> _Point: ...


E = TypeVar("E", bound=Located)

#: Answers reads in order, each with at most ``limit`` entries in its order; fewer than
#: ``limit`` means the range holds no more.
Reader = Callable[[Sequence[RangeRead]], Sequence[Sequence[E]]]


def root_cells(lat: float, lon: float, radius_km: float) -> list[Cell]:
    return [Cell.of(cell) for cell in cover(lat, lon, radius_km)]


class _Unread:
    """The parts of the search's cells not read yet, as runs of codes.

    A run may start part-way through its first code (``after``: entries up to that
    position were read), which is how a read that filled its limit resumes.
    """

    def __init__(
        self, lat: float, lon: float, radius_km: float, resume: Resume | None, band_km: float
    ) -> None:
        self.lat, self.lon, self.radius = lat, lon, radius_km
        runs = ranges.merge([ranges.run_of(cell) for cell in root_cells(lat, lon, radius_km)])
        runs = [part for run in runs for part in ranges.split_at_partitions(*run)]
        if resume is not None:
            runs = self._drop_finished(runs, resume, band_km)
        else:
            # One run per partition: the probe then reads a sparse cover whole in its
            # two queries; a dense one stops at the probe's limit whatever the run's size.
            spans: dict[int, ranges.Run] = {}
            for first, last in runs:
                part = ranges.partition_of(first)
                spans[part] = (min(first, spans.get(part, (first,))[0]), last)
            runs = sorted(spans.values())
        self.runs: list[tuple[int, int, tuple[str, str] | None]] = [(a, b, None) for a, b in runs]
        self._nearest: dict[tuple[int, int], float] = {}

    def _drop_finished(
        self, runs: list[ranges.Run], resume: Resume, band_km: float
    ) -> list[ranges.Run]:
        # Cells wholly nearer than where the last page ended were read whole by then; the
        # cells across it are cut to a share of the band this page is expected to span.
        settled = resume.distance_km
        fine = max(SETTLED_FIT * band_km, 0.005 * settled, 0.001)
        kept: list[ranges.Run] = []
        stack = [cell for run in reversed(runs) for cell in reversed(list(ranges.cells_of(*run)))]
        while stack:
            cell = stack.pop()
            if cell.nearest_km(self.lat, self.lon) > self.radius + SLACK_KM:
                continue
            if cell.farthest_km(self.lat, self.lon) + SLACK_KM < settled:
                continue
            coarse = cell.size_km() > fine and cell.depth < ranges.CODE_BITS
            room = len(kept) + len(stack) < MOST_CELLS
            if coarse and room and cell.nearest_km(self.lat, self.lon) < settled:
                first, second = cell.children()
                stack += [second, first]
            else:
                kept.append(ranges.run_of(cell))
        return ranges.merge(kept)

    def nearest_km(self, run: tuple[int, int]) -> float:
        found = self._nearest.get(run)
        if found is None:
            found = ranges.nearest_km(*run, self.lat, self.lon)
            if found > self.radius + SLACK_KM:
                found = math.inf
            self._nearest[run] = found
        return found

    def nearest(self) -> float:
        return min((self.nearest_km((a, b)) for a, b, _ in self.runs), default=math.inf) - SLACK_KM

    def mark_read(self, first: int, last: int) -> None:
        kept = []
        for a, b, after in self.runs:
            if b < first or a > last:
                kept.append((a, b, after))
                continue
            if a < first:
                kept.append((a, first - 1, after))
            if b > last:
                kept.append((last + 1, b, None))
        self.runs = kept

    def resume_at(self, code: int, position: tuple[str, str]) -> None:
        self.runs = [
            (a, b, position if a == code and (after is None or after < position) else after)
            for a, b, after in self.runs
        ]


class _Density:
    """Items per km² seen around the centre: of the last page's band, then of what this
    page read (one item more than seen: an estimate should err dense)."""

    def __init__(self, resume: Resume | None, page_size: int) -> None:
        self.items = 0.0
        self.area = 0.0
        if resume is not None and resume.width_km > 0:
            inner = max(0.0, resume.distance_km - resume.width_km)
            self.items = float(page_size)
            self.area = math.pi * (resume.distance_km**2 - inner**2)

    def known(self) -> bool:
        return self.area > 0

    def per_km2(self) -> float:
        return (self.items + 1) / self.area

    def learn(self, items: int, area: float) -> None:
        self.items += items
        self.area += area


@dataclass
class _Plan:
    reads: list[RangeRead]
    runs: list[tuple[int, int]]


class _Walk:
    def __init__(
        self, lat: float, lon: float, radius_km: float, limit: int, resume: Resume | None
    ) -> None:
        self.lat, self.lon, self.radius = lat, lon, radius_km
        self.wanted = limit + 1
        self.density = _Density(resume, limit)
        self.inner = resume.distance_km if resume else 0.0
        band = self.inner
        if resume is not None and self.density.known():
            # The annulus beyond the last page expected to hold this page.
            reach = self.wanted / (math.pi * self.density.per_km2())
            band = math.sqrt(self.inner**2 + reach) - self.inner
        self.unread = _Unread(lat, lon, radius_km, resume, band)
        self.centre = ranges.code_of(encode(lat, lon, ranges.CODE_CHARS))
        self.code_area = Cell(ranges.CODE_BITS, self.centre).area_km2()
        self.last_target = 0.0
        # Runs whose read filled its limit, with the density it read: a cluster the
        # page-wide density would understate, so its cells are cut finer and asked less.
        self.hot: list[tuple[int, int, float]] = []

    def expected(self, first: int, last: int) -> float:
        density = self.density.per_km2()
        for hot_first, hot_last, hot_density in self.hot:
            if hot_first <= last and first <= hot_last:
                density = max(density, hot_density)
        return density * (last - first + 1) * self.code_area

    def probe(self) -> _Plan:
        """Outwards from the centre's position, both ways, in the run that holds it."""
        share = max(2, math.ceil(self.wanted * PROBE_SHARE))
        for a, b, _ in self.unread.runs:
            if a <= self.centre <= b:
                plan = _Plan([], [])
                plan.reads.append(self._read(self.centre, b, None, True, share))
                plan.runs.append((self.centre, b))
                if a < self.centre:
                    plan.reads.append(self._read(a, self.centre - 1, None, False, share))
                    plan.runs.append((a, self.centre - 1))
                return plan
        a, b, after = min(self.unread.runs, key=lambda run: self.unread.nearest_km(run[:2]))
        return _Plan([self._read(a, b, after, True, share)], [(a, b)])

    @staticmethod
    def _read(
        first: int, last: int, after: tuple[str, str] | None, forward: bool, limit: int
    ) -> RangeRead:
        return RangeRead(ranges.text_of(first), ranges.text_of(last), after, forward, limit)

    def target_km(self, need: int, ahead_km: float, round_number: int) -> float:
        final = round_number >= FINAL_ROUND
        if final and ahead_km < math.inf:
            return min(ahead_km, self.radius)
        margin = MARGIN if self.inner == 0 else LATER_MARGIN
        spread = need * (FINAL_MARGIN if final else margin) / (math.pi * self.density.per_km2())
        target = math.sqrt(max(self.inner, self.unread.nearest()) ** 2 + spread)
        if final:
            # Too few candidates yet: the density fell off with distance; reach further.
            target = max(target, WIDEN * self.last_target)
        self.last_target = min(target, ahead_km, self.radius)
        return self.last_target

    def cells_within(
        self, target: float, need: int
    ) -> list[tuple[int, int, tuple[str, str] | None]]:
        """Unread cells that reach into the target disc: whole inside, cut fine across."""
        fine = RIM_FIT * max(target - self.inner, target * 0.05, 0.002)
        chosen: list[tuple[int, int, tuple[str, str] | None]] = []
        for a, b, after in self.unread.runs:
            if self.unread.nearest_km((a, b)) > target + SLACK_KM:
                continue
            stack = list(reversed(list(ranges.cells_of(a, b))))
            while stack:
                cell = stack.pop()
                if cell.nearest_km(self.lat, self.lon) > target + SLACK_KM:
                    continue
                first, last = ranges.run_of(cell)
                whole = (
                    cell.depth >= ranges.CODE_BITS
                    or (cell.size_km() <= fine and self.expected(first, last) <= need)
                    or cell.farthest_km(self.lat, self.lon) <= target
                    or len(chosen) + len(stack) >= MOST_CELLS
                )
                if whole:
                    chosen.append((first, last, after if first == a else None))
                else:
                    low, high = cell.children()
                    stack += [high, low]
        return chosen

    def plan(self, need: int, ahead_km: float, round_number: int, most_runs: int) -> _Plan:
        target = self.target_km(need, ahead_km, round_number)
        chosen = self.cells_within(target, need)
        while not chosen:  # the estimate fell short of every unread cell: reach further
            target = min(self.radius, 2 * target + 0.001)
            chosen = self.cells_within(target, need)
        runs = self._join(chosen, most_runs)
        plan = _Plan([], [])
        final = round_number >= FINAL_ROUND
        for first, last, after in runs:
            expected = self.expected(first, last)
            share = LIMIT_MARGIN * expected
            if final:
                # Enough for the page from this run alone, however wrong the density was.
                share = max(min(FINAL_MARGIN * expected, FINAL_NEEDS * need), need)
            if round_number > FINAL_ROUND:
                share = READ_PAGES * self.wanted
            limit = min(READ_PAGES * self.wanted, math.ceil(share) + SPARE)
            plan.reads.append(self._read(first, last, after, True, limit))
            plan.runs.append((first, last))
        return plan

    def _join(
        self, chosen: list[tuple[int, int, tuple[str, str] | None]], most_runs: int
    ) -> list[tuple[int, int, tuple[str, str] | None]]:
        chosen.sort(key=lambda run: run[0])
        runs: list[tuple[int, int, tuple[str, str] | None]] = []
        for first, last, after in chosen:
            touching = runs and runs[-1][1] + 1 == first and after is None
            if touching and ranges.partition_of(runs[-1][0]) == ranges.partition_of(last):
                runs[-1] = (runs[-1][0], last, runs[-1][2])
                continue
            runs.append((first, last, after))
        # Merge across the emptiest gaps: each costs its items, a query costs more.
        gaps = sorted(
            (self.expected(runs[i][1] + 1, runs[i + 1][0] - 1), i)
            for i in range(len(runs) - 1)
            if ranges.partition_of(runs[i][0]) == ranges.partition_of(runs[i + 1][1])
        )
        count = len(runs)
        joined = set()
        for items, i in gaps:
            if items > GAP_ITEMS and count <= most_runs:
                break
            joined.add(i)
            count -= 1
        merged: list[tuple[int, int, tuple[str, str] | None]] = []
        for i, run in enumerate(runs):
            if i - 1 in joined:
                merged[-1] = (merged[-1][0], run[1], merged[-1][2])
            else:
                merged.append(run)
        return merged

    def read_back(self, read: RangeRead, run: tuple[int, int], batch: Sequence[E]) -> None:
        first, last = run
        if len(batch) < read.limit:
            self.unread.mark_read(first, last)
            self.density.learn(len(batch), (last - first + 1) * self.code_area)
            return
        end = batch[-1]
        code = ranges.code_of(end.geohash)
        if read.forward:
            # Up to the last item read; its own code may hold more after it.
            self.unread.mark_read(first, code - 1)
            self.unread.resume_at(code, (end.geohash, end.id))
            area = (code - first + 1) * self.code_area
        else:
            self.unread.mark_read(code + 1, last)
            area = (last - code + 1) * self.code_area
        self.density.learn(len(batch), area)
        self.hot.append((first, last, len(batch) / area))


def nearest_page(
    centre: tuple[float, float],
    radius_km: float,
    limit: int,
    resume: Resume | None,
    read: Reader[E],
    keep: Callable[[E], bool],
) -> tuple[list[tuple[float, E]], Resume | None]:
    """Entries within ``radius_km`` that ``keep`` accepts, by (distance, id), after ``resume``."""
    lat, lon = centre
    walk = _Walk(lat, lon, radius_km, limit, resume)
    after = (resume.distance_km, resume.item_id) if resume else None
    candidates: list[tuple[float, str, E]] = []
    seen: set[str] = set()
    found: list[tuple[float, E]] = []
    round_number = sent = 0
    while True:
        nearest_unread = walk.unread.nearest()
        while candidates and candidates[0][0] < nearest_unread and len(found) < walk.wanted:
            distance, _, entry = heapq.heappop(candidates)
            found.append((distance, entry))
        if len(found) == walk.wanted or nearest_unread == math.inf:
            break
        need = walk.wanted - len(found)
        ahead = heapq.nsmallest(need, candidates)
        ahead_km = ahead[-1][0] if len(ahead) == need else math.inf
        if walk.density.known():
            # The final round keeps one query back for a rare fourth round; a page still
            # open after that sends what it must, a few runs per round, each a few pages'
            # worth at most.
            left = MOST_QUERIES - sent - (1 if round_number == FINAL_ROUND else 0)
            most_runs = max(1, left if round_number >= FINAL_ROUND else min(MOST_RUNS, left))
            if left < 1:
                most_runs = MOST_RUNS
            plan = walk.plan(need, ahead_km, round_number, most_runs)
        else:
            plan = walk.probe()
        sent += len(plan.reads)
        for done, run, batch in zip(plan.reads, plan.runs, read(plan.reads), strict=True):
            walk.read_back(done, run, batch)
            for entry in batch:
                if entry.id in seen:
                    continue
                seen.add(entry.id)
                distance = haversine_km(lat, lon, entry.location.lat, entry.location.lon)
                if distance > radius_km or not keep(entry):
                    continue
                if after is None or (distance, entry.id) > after:
                    heapq.heappush(candidates, (distance, entry.id, entry))
        round_number += 1
    page = found[:limit]
    if len(found) <= limit:
        return page, None
    start = after[0] if after else page[0][0]
    return page, Resume(page[-1][0], page[-1][1].id, page[-1][0] - start)
