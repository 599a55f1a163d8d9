"""A page of a nearby search, the same on every adapter: walk, filter, cursor.

The adapters differ only in how they read a key range (``Reader``); the walk that
decides which ranges to read is the core's, so both give the same pages, and the cursor
is this package's one codec. The cursor carries where the last page ended (the frontier:
cells wholly nearer are finished and never read again) and the centre it was issued for.
"""

from __future__ import annotations

from ecobid_adapters import cursors
from ecobid_core import geo
from ecobid_core.geo.nearest import Reader, Resume
from ecobid_core.model.item import Item
from ecobid_core.model.values import SEARCHABLE
from ecobid_core.ports import Hit, NearbySearch, Page


def _resume(cursor: str, search: NearbySearch) -> Resume:
    distance, item_id, width, lat, lon = cursors.decode(
        cursor, cursors.NEARBY_ITEMS, (float, str, float, float, float)
    )
    if (lat, lon) != (search.lat, search.lon):
        raise cursors.invalid("was issued for another search centre")
    if distance < 0 or width < 0:
        raise cursors.invalid()
    return Resume(distance, item_id, width)


def nearby_page(search: NearbySearch, cursor: str | None, read: Reader[Item]) -> Page[Hit]:
    resume = None if cursor is None else _resume(cursor, search)

    def keep(item: Item) -> bool:
        # An index may lag its table: recheck what its key promised, then the caller's rule.
        return (
            item.status in SEARCHABLE
            and (search.category is None or item.category == search.category)
            and search.keep(item)
        )

    found, following = geo.nearest_page(
        (search.lat, search.lon), search.radius_km, search.limit, resume, read, keep
    )
    hits = [Hit(item, distance) for distance, item in found]
    if following is None:
        return Page(hits, None)
    position = (following.distance_km, following.item_id, following.width_km)
    return Page(hits, cursors.encode(cursors.NEARBY_ITEMS, [*position, search.lat, search.lon]))
