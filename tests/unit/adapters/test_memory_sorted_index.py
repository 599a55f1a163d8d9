"""The memory store's sorted index answers range reads as a full scan would, and reads
only the range: the nearby search on the memory backend then costs what it returns, as the
DynamoDB one does, instead of a pass over the whole table for every cell it reads.
"""

from __future__ import annotations

from attrs import define
from hypothesis import given, settings
from hypothesis import strategies as st

from ecobid_adapters.memory.store import ABSENT, UNCONDITIONAL, MemoryStore, StagedWrite
from ecobid_core.model.values import Location
from ecobid_core.services.items import CreateItem, create_item
from ecobid_core.services.search import NearbyQuery, search_nearby
from ecobid_entrypoints.container import build_container


@define
class Row:
    id: str
    place: str
    shown: bool
    version: int = 1


def by_place(row: Row) -> tuple[str, str]:
    return (row.place, row.id)


def put(store: MemoryStore, row: Row, expected: int = UNCONDITIONAL) -> None:
    store.commit([StagedWrite("rows", row.id, row, expected)], [])


def scanned(store: MemoryStore, after, last: str, limit: int) -> list[Row]:
    """What the range read must return, worked out the slow way."""
    rows = sorted(store.tables.get("rows", {}).values(), key=by_place)
    return [r for r in rows if by_place(r) > after and r.place <= last and r.shown][:limit]


def ranged(store: MemoryStore, after, last: str, limit: int) -> list[Row]:
    return store.select_range(
        "rows", by_place, after, lambda key: key[0] <= last, lambda r: r.shown, limit
    )


def scanned_back(store: MemoryStore, before, first: str, limit: int) -> list[Row]:
    rows = sorted(store.tables.get("rows", {}).values(), key=by_place, reverse=True)
    return [r for r in rows if by_place(r) < before and r.place >= first and r.shown][:limit]


def ranged_back(store: MemoryStore, before, first: str, limit: int) -> list[Row]:
    return store.select_range(
        "rows", by_place, before, lambda key: key[0] >= first, lambda r: r.shown, limit, False
    )


places = st.text(alphabet="abc", min_size=1, max_size=3)
writes = st.lists(
    st.tuples(st.sampled_from([f"r{n}" for n in range(12)]), places, st.booleans(), st.booleans()),
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(writes, st.tuples(places, st.sampled_from(["", "r3", "r9"])), places, st.integers(1, 8))
def test_a_range_read_is_the_scan_it_replaces_whatever_was_written(
    history, after, last, limit
) -> None:
    store = MemoryStore()
    ranged(store, ("",), "", 1)  # the index exists from the first write on
    for key, place, shown, forget in history:
        if forget:
            store.forget("rows", key)
        else:
            put(store, Row(key, place, shown))  # a new place moves the key in the index
        assert ranged(store, after, last, limit) == scanned(store, after, last, limit)
        before = (last, after[1])
        assert ranged_back(store, before, after[0], limit) == scanned_back(
            store, before, after[0], limit
        )


def test_an_index_built_late_holds_what_was_written_before() -> None:
    store = MemoryStore()
    for n in range(5):
        put(store, Row(f"r{n}", "b" if n % 2 else "a", shown=True), ABSENT)
    assert [r.id for r in ranged(store, ("",), "a", 10)] == ["r0", "r2", "r4"]
    assert [r.id for r in ranged(store, ("a", "r2"), "b", 2)] == ["r4", "r1"]


def test_a_range_read_hands_out_copies() -> None:
    store = MemoryStore()
    put(store, Row("r1", "a", shown=True))
    ranged(store, ("",), "z", 1)[0].place = "changed"
    assert store.read("rows", "r1").place == "a"


def test_a_cell_read_looks_at_the_cell_not_the_table(monkeypatch) -> None:
    container = build_container("memory")
    uow, clock, ids = container.unit_of_work, container.clock(), container.ids()
    for n in range(400):  # a crowded town far from where the search looks
        far = CreateItem(
            owner_id=f"owner-{n % 5}",
            title="Lamp",
            description="",
            category="furniture",
            location=Location.of(-40.0 + n * 0.001, -60.0),
        )
        create_item(far, uow(), clock, ids)
    for n in range(3):
        near = CreateItem(
            owner_id="owner-near",
            title="Chair",
            description="",
            category="furniture",
            location=Location.of(51.5 + n * 0.001, -0.12),
        )
        create_item(near, uow(), clock, ids)

    looked_at = 0
    real = MemoryStore.select_range

    def counting(store, table, order, after, within, keep, limit, forward=True):
        def kept(record):
            nonlocal looked_at
            looked_at += 1
            return keep(record)

        return real(store, table, order, after, within, kept, limit, forward=forward)

    monkeypatch.setattr(MemoryStore, "select_range", counting)
    with uow() as unit:
        page = search_nearby(NearbyQuery(lat=51.5, lon=-0.12, radius_km=5.0), unit, clock)
    assert len(page.entries) == 3
    # A scan looked at all 403 items for every cell read; the index, only the 3 nearby.
    assert looked_at == 3, looked_at
