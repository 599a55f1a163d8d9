"""Nearby search against a brute-force reference: exact set, order, distances, paging."""

from __future__ import annotations

from datetime import timedelta

import hypothesis.strategies as st
import pytest
from hypothesis import given, settings

from ecobid_adapters.memory import MemoryStore, MemoryUnitOfWork
from ecobid_core import errors, geo
from ecobid_core.model.auction_terms import AuctionTerms
from ecobid_core.model.values import CATEGORIES, ItemType, Location
from ecobid_core.services import items, reservations, search
from tests.support.fakes import FakeClock, SeqIds

CENTRE = (52.52, 13.405)

offsets = st.tuples(st.floats(-0.6, 0.6), st.floats(-0.9, 0.9))  # up to ~65 km away
seeded = st.lists(
    st.tuples(
        offsets,
        st.sampled_from(CATEGORIES),
        st.sampled_from(["free", "auction"]),
        st.sampled_from(["live", "reserved", "lapsed", "withdrawn"]),
    ),
    max_size=40,
)


def _seed(store: MemoryStore, clock: FakeClock, rows) -> None:
    ids = SeqIds()
    for (dlat, dlon), category, kind, fate in rows:
        terms = None
        if kind == "auction":
            terms = AuctionTerms(
                start_price=100, currency="EUR", ends_at=clock.now() + timedelta(hours=2)
            )
        cmd = items.CreateItem(
            owner_id="owner",
            title="Thing",
            description="",
            category=category,
            location=Location(CENTRE[0] + dlat, CENTRE[1] + dlon),
            item_type=ItemType(kind),
            auction=terms,
        )
        item = items.create_item(cmd, MemoryUnitOfWork(store), clock, ids)
        if fate == "withdrawn":
            items.withdraw_item(item.id, "owner", MemoryUnitOfWork(store), clock)
        elif fate in ("reserved", "lapsed") and kind == "free":
            hold = timedelta(minutes=30 if fate == "lapsed" else 600)
            reservations.reserve_item(item.id, "taker", MemoryUnitOfWork(store), clock, ids, hold)
    clock.advance(hours=1)  # lapses the short holds; the auctions are still open


def _reference(store: MemoryStore, clock: FakeClock, lat, lon, radius, category, kind):
    now = clock.now()
    expected = []
    for item in store.records("items"):
        if not item.is_live(now):
            continue
        if (category and item.category != category) or (kind and item.type.value != kind):
            continue
        distance = geo.haversine_km(lat, lon, item.location.lat, item.location.lon)
        if distance <= radius:
            expected.append((distance, item.id))
    return sorted(expected)


@settings(max_examples=60, deadline=None)
@given(
    rows=seeded,
    centre=offsets,
    radius=st.sampled_from([0.5, 1.0, 2.0, 5.0, 10.0, 25.0, 50.0]),
    category=st.none() | st.sampled_from(CATEGORIES),
    kind=st.none() | st.sampled_from(["free", "auction"]),
    limit=st.integers(1, 7),
)
def test_pages_return_exactly_the_live_items_in_radius_nearest_first(
    rows, centre, radius, category, kind, limit
):
    store, clock = MemoryStore(), FakeClock()
    _seed(store, clock, rows)
    lat, lon = CENTRE[0] + centre[0] / 4, CENTRE[1] + centre[1] / 4
    seen: list[tuple[float, str]] = []
    cursor = None
    for _ in range(100):
        query = search.NearbyQuery(
            lat=lat,
            lon=lon,
            radius_km=radius,
            category=category,
            item_type=kind,
            limit=limit,
            cursor=cursor,
        )
        page = search.search_nearby(query, MemoryUnitOfWork(store), clock)
        assert len(page.entries) <= limit
        seen += [(hit.distance_km, hit.item.id) for hit in page.entries]
        for hit in page.entries:
            exact = geo.haversine_km(lat, lon, hit.item.location.lat, hit.item.location.lon)
            assert abs(hit.distance_km - exact) < 1e-9
        cursor = page.cursor
        if cursor is None:
            break
    assert seen == _reference(store, clock, lat, lon, radius, category, kind)


def test_a_cursor_that_was_not_issued_is_a_validation_error():
    query = search.NearbyQuery(lat=1.0, lon=1.0, cursor="not-a-cursor")
    with pytest.raises(errors.ValidationFailed) as caught:
        search.search_nearby(query, MemoryUnitOfWork(MemoryStore()), FakeClock())
    assert caught.value.details[0]["field"] == "cursor"
