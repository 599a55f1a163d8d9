"""Nearby search on both adapters: exact against brute force, and no finished cell read twice."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from typing import Any

import pytest

from ecobid_adapters import cursors
from ecobid_core import geo
from ecobid_core.errors import ValidationFailed
from ecobid_core.geo import ranges
from ecobid_core.geo.cells import Cell
from ecobid_core.model.item import Item
from ecobid_core.model.values import CATEGORIES, ItemStatus, Location
from ecobid_core.ports import NearbySearch
from tests.contract import builders as b
from tests.contract.conftest import Backend

CENTRE = b.BERLIN


def _seed(uow_factory: Backend, count: int = 30) -> list[Item]:
    rng = random.Random(11)
    seeded = []
    for _ in range(count):
        distance, bearing = 30 * rng.random(), rng.uniform(0, 2 * math.pi)
        where = Location(
            CENTRE.lat + distance / 111.2 * math.cos(bearing),
            CENTRE.lon + distance / 67.7 * math.sin(bearing),
        )
        status = rng.choice([ItemStatus.AVAILABLE] * 5 + [ItemStatus.GIVEN])
        seeded.append(
            b.free_item(location=where, category=rng.choice(CATEGORIES[:2]), status=status)
        )
    for item in seeded:
        item.pull_events()  # without events an add is a plain PutItem: quick on moto
        with uow_factory() as uow:
            uow.items.add(item)
            uow.commit()
    return seeded


def _search(radius: float, category: str | None, limit: int) -> NearbySearch:
    return NearbySearch(
        lat=CENTRE.lat,
        lon=CENTRE.lon,
        radius_km=radius,
        category=category,
        limit=limit,
        keep=lambda item: True,
    )


def _cells(read: geo.RangeRead) -> list[Cell]:
    return list(ranges.cells_of(ranges.code_of(read.first), ranges.code_of(read.last)))


def _pages(
    uow_factory: Backend, search: NearbySearch, monkeypatch: pytest.MonkeyPatch
) -> list[tuple[list[Any], list[geo.RangeRead]]]:
    """Every page with the ranges it read (recorded where both adapters read)."""
    touched: list[geo.RangeRead] = []
    walk = geo.nearest_page

    def recording_walk(*args: Any) -> Any:
        *head, read, keep = args

        def recording(reads: Sequence[geo.RangeRead]) -> Any:
            touched.extend(reads)
            return read(reads)

        return walk(*head, recording, keep)

    monkeypatch.setattr(geo, "nearest_page", recording_walk)
    pages = []
    cursor = None
    while True:
        with uow_factory() as uow:
            page = uow.items.nearby(search, cursor)
        pages.append((list(page.entries), list(touched)))
        touched.clear()
        cursor = page.cursor
        if cursor is None:
            return pages


@pytest.mark.parametrize(("radius", "category", "limit"), [(8.0, None, 4), (30.0, "furniture", 4)])
def test_pages_are_exact_and_never_read_a_range_an_earlier_page_finished(
    uow_factory: Backend,
    monkeypatch: pytest.MonkeyPatch,
    radius: float,
    category: str | None,
    limit: int,
) -> None:
    seeded = _seed(uow_factory)
    pages = _pages(uow_factory, _search(radius, category, limit), monkeypatch)
    expected = sorted(
        (geo.haversine_km(CENTRE.lat, CENTRE.lon, i.location.lat, i.location.lon), i.id)
        for i in seeded
        if i.status is ItemStatus.AVAILABLE and (category is None or i.category == category)
    )
    expected = [(d, i) for d, i in expected if d <= radius]
    got = [(hit.distance_km, hit.item.id) for entries, _ in pages for hit in entries]
    assert got == expected
    assert len(pages) == max(1, -(-len(expected) // limit))
    finished_below = 0.0
    for entries, touched in pages:
        # What lies wholly nearer than where an earlier page ended is finished: a later
        # range may cross it (Z-order), but none lies wholly inside it.
        for read in touched:
            farthest = max(c.farthest_km(CENTRE.lat, CENTRE.lon) for c in _cells(read))
            assert farthest >= finished_below, read
        if entries:
            finished_below = entries[-1].distance_km
    assert len(pages) < 2 or finished_below > 0  # the check above had something to check


def test_a_cursor_of_another_centre_or_listing_is_a_validation_error(uow_factory: Backend) -> None:
    _seed(uow_factory, 30)
    search = _search(30.0, None, 3)
    with uow_factory() as uow:
        cursor = uow.items.nearby(search, None).cursor
    assert cursor is not None
    elsewhere = NearbySearch(
        lat=CENTRE.lat + 0.01,
        lon=CENTRE.lon,
        radius_km=30.0,
        category=None,
        limit=3,
        keep=lambda item: True,
    )
    owner_cursor = cursors.encode_time_id(cursors.OWNER_ITEMS, b.NOW, "item-1")
    for search_, token in ((elsewhere, cursor), (search, owner_cursor), (search, cursor[:-2])):
        with uow_factory() as uow, pytest.raises(ValidationFailed) as raised:
            uow.items.nearby(search_, token)
        assert raised.value.details[0]["field"] == "cursor"
    with uow_factory() as uow, pytest.raises(ValidationFailed):
        uow.items.by_owner("owner-1", 5, cursor)
