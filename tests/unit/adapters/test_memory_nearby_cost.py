"""The memory backend's nearby search reads each key range once, not once per item.

schemathesis' stateful run found ``GET /items`` taking over ten seconds on the local
server once a few thousand items shared one spot: every read recomputed its cell's
range for every item in the table. Counted, not timed, so the test cannot flake.
"""

from __future__ import annotations

from ecobid_adapters.memory.store import MemoryStore
from ecobid_core.model.values import Location
from ecobid_core.services.items import CreateItem, create_item
from ecobid_core.services.search import NearbyQuery, search_nearby
from ecobid_entrypoints.container import build_container


def test_a_crowded_spot_costs_one_range_per_cell_read(monkeypatch):
    container = build_container("memory")
    items = 300
    for n in range(items):
        cmd = CreateItem(
            owner_id=f"owner-{n % 5}",
            title="Lamp",
            description="",
            category="furniture",
            location=Location.of(0.0, 0.0),
        )
        create_item(cmd, container.unit_of_work(), container.clock(), container.ids())

    spans = 0
    real_select = MemoryStore.select_range

    def counted(*args, **kwargs):
        nonlocal spans
        spans += 1
        return real_select(*args, **kwargs)

    monkeypatch.setattr(MemoryStore, "select_range", counted)
    query = NearbyQuery(lat=0.0, lon=0.0, radius_km=50.0, limit=100)
    with container.unit_of_work() as uow:
        page = search_nearby(query, uow, container.clock())
    assert len(page.entries) == 100
    # One range read per query of the plan (16 at most); per item it was ~60 000.
    assert 0 < spans <= 16, spans
