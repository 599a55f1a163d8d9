"""One page of a nearest-first search, reading cells as the page needs them.

An entry is final once it is nearer than every unread cell: nothing still unread can
come before it. The page asks for one entry more than it shows, which tells whether
another page exists without an empty last page. The page after starts from a
``Resume``: cells wholly nearer than where the page ended are never read again.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

from ecobid_core.geo.cells import Cell
from ecobid_core.geo.cover import cover
from ecobid_core.geo.distance import haversine_km
from ecobid_core.geo.frontier import CellRead, Frontier, Resume

#: Reads sent together when the page cannot yet tell which of them it needs.
READS_PER_STEP = 8
#: Share of what the page still needs that one step's reads may ask for together.
STEP_SHARE = 0.5


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

#: Answers reads in order: for each, at most ``limit`` entries in (geohash, id) order;
#: fewer than ``limit`` means the cell holds no more after them.
Reader = Callable[[Sequence[CellRead]], Sequence[Sequence[E]]]


def root_cells(lat: float, lon: float, radius_km: float) -> list[Cell]:
    return [Cell.of(cell) for cell in cover(lat, lon, radius_km)]


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
    frontier = Frontier(lat, lon, radius_km, resume, limit)
    frontier.push_all(root_cells(lat, lon, radius_km))
    after = (resume.distance_km, resume.item_id) if resume else None
    candidates: list[tuple[float, str, E]] = []
    found: list[tuple[float, E]] = []
    wanted = limit + 1
    while len(found) < wanted:
        while candidates and (not frontier or candidates[0][0] < frontier.nearest_km()):
            distance, _, entry = heapq.heappop(candidates)
            found.append((distance, entry))
            if len(found) == wanted:
                break
        if len(found) == wanted or not frontier:
            break
        needed = wanted - len(found)
        ahead = heapq.nsmallest(needed, candidates)
        bound = ahead[-1][0] if len(ahead) == needed else float("inf")
        reads = frontier.take(bound, READS_PER_STEP, round(needed * STEP_SHARE))
        for done, batch in zip(reads, read(reads), strict=True):
            last = batch[-1] if len(batch) >= done.limit else None
            position = None if last is None else (last.geohash, last.id)
            frontier.read_back(done, len(batch), position)
            for entry in batch:
                distance = haversine_km(lat, lon, entry.location.lat, entry.location.lon)
                if distance > radius_km or not keep(entry):
                    continue
                if after is None or (distance, entry.id) > after:
                    heapq.heappush(candidates, (distance, entry.id, entry))
    page = found[:limit]
    if len(found) <= limit:
        return page, None
    start = after[0] if after else page[0][0]
    return page, Resume(page[-1][0], page[-1][1].id, page[-1][0] - start)
