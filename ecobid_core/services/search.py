"""Finding items: nearest first within a radius, or one owner's items newest first."""

from __future__ import annotations

import base64
import binascii
import json

from attrs import frozen

from ecobid_core import geo
from ecobid_core.errors import ValidationFailed
from ecobid_core.model.item import Item
from ecobid_core.ports import Clock, Page, UnitOfWork

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


@frozen
class Hit:
    item: Item
    distance_km: float


def search_nearby(query: NearbyQuery, uow: UnitOfWork, clock: Clock) -> Page[Hit]:
    """Every live item within the radius, ordered by (distance, id).

    A page is cut from that total order and the cursor names the last (distance, id)
    returned, so paging neither loses nor repeats an item while the data stands still.
    The cover cells over-fetch a little; the exact great-circle distance decides.
    """
    if not 0 < query.radius_km <= MAX_RADIUS_KM:
        raise ValidationFailed.on("radiusKm", f"must be above 0 and at most {MAX_RADIUS_KM:g}")
    after = _decode_cursor(query.cursor) if query.cursor else None
    now = clock.now()
    with uow:
        candidates = uow.items.in_cells(
            geo.cover(query.lat, query.lon, query.radius_km), query.category
        )
    hits = []
    for item in candidates:
        if not item.is_live(now):
            continue
        if query.item_type is not None and item.type.value != query.item_type:
            continue
        distance = geo.haversine_km(query.lat, query.lon, item.location.lat, item.location.lon)
        if distance <= query.radius_km and (after is None or (distance, item.id) > after):
            hits.append(Hit(item, distance))
    hits.sort(key=lambda hit: (hit.distance_km, hit.item.id))
    page = hits[: query.limit]
    more = len(hits) > query.limit
    cursor = _encode_cursor(page[-1].distance_km, page[-1].item.id) if more else None
    return Page(page, cursor)


def list_by_owner(
    owner_id: str, viewer_id: str, limit: int, cursor: str | None, uow: UnitOfWork
) -> Page[Item]:
    with uow:
        page = uow.items.by_owner(owner_id, limit, cursor)
    if viewer_id == owner_id:
        return page
    shown = [item for item in page.entries if item.visible_to(viewer_id)]
    return Page(shown, page.cursor)


def _encode_cursor(distance_km: float, item_id: str) -> str:
    raw = json.dumps([distance_km, item_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[float, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        distance, item_id = json.loads(raw)
        if isinstance(distance, int | float) and isinstance(item_id, str):
            return float(distance), item_id
    except (ValueError, TypeError, binascii.Error):
        pass
    raise ValidationFailed.on("cursor", "is not a cursor this search returned")
