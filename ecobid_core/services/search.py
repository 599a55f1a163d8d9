"""Finding items: nearest first within a radius, or one owner's items newest first."""

from __future__ import annotations

from attrs import frozen

from ecobid_core.errors import ValidationFailed
from ecobid_core.model.item import Item
from ecobid_core.ports import Clock, Hit, NearbySearch, Page, UnitOfWork

__all__ = ["MAX_LIMIT", "MAX_RADIUS_KM", "Hit", "NearbyQuery", "list_by_owner", "search_nearby"]

MAX_RADIUS_KM = 50.0
MAX_LIMIT = 100


@frozen(kw_only=True)
class NearbyQuery:
    lat: float
    lon: float
    radius_km: float = 5.0
    category: str | None = None
    item_type: str | None = None
    limit: int = 20
    cursor: str | None = None


def search_nearby(query: NearbyQuery, uow: UnitOfWork, clock: Clock) -> Page[Hit]:
    """Every live item within the radius, ordered by (distance, id).

    A page is cut from that total order and its cursor (opaque here; the adapter's)
    names where it ended, so paging neither loses nor repeats an item while the data
    stands still. The exact great-circle distance decides what is inside.
    """
    if not 0 < query.radius_km <= MAX_RADIUS_KM:
        raise ValidationFailed.on("radiusKm", f"must be above 0 and at most {MAX_RADIUS_KM:g}")
    now = clock.now()

    def keep(item: Item) -> bool:
        return item.is_live(now) and (query.item_type is None or item.type.value == query.item_type)

    search = NearbySearch(
        lat=query.lat,
        lon=query.lon,
        radius_km=query.radius_km,
        category=query.category,
        limit=query.limit,
        keep=keep,
    )
    with uow:
        return uow.items.nearby(search, query.cursor)


def list_by_owner(
    owner_id: str, viewer_id: str, limit: int, cursor: str | None, uow: UnitOfWork
) -> Page[Item]:
    with uow:
        page = uow.items.by_owner(owner_id, limit, cursor)
    if viewer_id == owner_id:
        return page
    shown = [item for item in page.entries if item.visible_to(viewer_id)]
    return Page(shown, page.cursor)
