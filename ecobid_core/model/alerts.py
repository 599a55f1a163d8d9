"""Alerts: the places and kinds of item a user wants to hear of ("books within 2 km").

An alert is a disc (a centre and a radius) with optional categories and an item type.
To find the alerts a new item matches without reading every alert in an area, each
alert is filed under geohash cells whose union covers its disc (``filing_cells``); an
item then looks up only the cells that contain its own point, one per length a filing
can use, and checks the few candidates exactly (``Alert.matches``).

The filing cells are fine at the disc's rim and coarse inside it: a cell wholly inside
the disc holds only points that match, so coarse interior cells cost nothing in wasted
candidates, and fine rim cells keep the area outside the disc (the candidates that are
read but do not match) to a small fraction of the disc.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import datetime

from attrs import frozen

from ecobid_core import geo
from ecobid_core.errors import Conflict, ValidationFailed
from ecobid_core.geo.distance import distance_to_box_km
from ecobid_core.geo.geohash import BASE32, bounds, cell_size
from ecobid_core.model.values import CATEGORIES, ItemType, Location

_KM_PER_DEG = math.pi * geo.EARTH_RADIUS_KM / 180.0
MIN_RADIUS_KM = 0.5
MAX_RADIUS_KM = 20.0
MAX_ALERTS = 10
HOME_RADIUS_KM = 5.0
#: Rim cells are refined until they are no wider than this share of the radius. The area
#: filed outside a disc (candidates read that do not match) then stays well under the
#: disc's own: 1.2 to 1.7 times the disc in all, so under 2 reads per match, for 33 to
#: 190 keys a filing. One level finer than the cover alone left 2.2 to 2.4 for 5 km.
RIM_CELL_SHARE = 0.5
#: The finest filing cell: 153 m, already under half of the smallest radius.
MAX_FILING_LENGTH = 7
#: Every length a filing can use, so an item knows which keys of its point to look up.
FILING_LENGTHS: tuple[int, ...] = tuple(range(3, MAX_FILING_LENGTH + 1))


class TooManyAlerts(Conflict):
    code = "too_many_alerts"


@frozen(kw_only=True)
class Alert:
    id: str
    user_id: str
    location: Location
    radius_km: float
    categories: tuple[str, ...]  # empty: every category
    item_type: str | None  # None: free and auction alike
    push: bool
    created_at: datetime

    @classmethod
    def create(
        cls,
        *,
        alert_id: str,
        user_id: str,
        location: Location,
        radius_km: float,
        categories: Sequence[str] = (),
        item_type: str | None = None,
        push: bool = True,
        now: datetime,
    ) -> Alert:
        if not (math.isfinite(radius_km) and MIN_RADIUS_KM <= radius_km <= MAX_RADIUS_KM):
            raise ValidationFailed.on(
                "radiusKm", f"must be between {MIN_RADIUS_KM:g} and {MAX_RADIUS_KM:g}"
            )
        unknown = [c for c in categories if c not in CATEGORIES]
        if unknown:
            raise ValidationFailed.on("categories", f"must be among {', '.join(CATEGORIES)}")
        if item_type is not None and item_type not in {t.value for t in ItemType}:
            raise ValidationFailed.on("type", "must be free or auction")
        # Sorted and once each: two spellings of one choice are one alert.
        return cls(
            id=alert_id,
            user_id=user_id,
            location=location,
            radius_km=float(radius_km),
            categories=tuple(sorted(set(categories))),
            item_type=item_type,
            push=push,
            created_at=now,
        )

    def matches(self, lat: float, lon: float, category: str, item_type: str) -> bool:
        if self.categories and category not in self.categories:
            return False
        if self.item_type is not None and self.item_type != item_type:
            return False
        there = geo.haversine_km(self.location.lat, self.location.lon, lat, lon)
        return there <= self.radius_km

    def filing_cells(self) -> list[str]:
        return filing_cells(self.location.lat, self.location.lon, self.radius_km)


@frozen(kw_only=True)
class AlertTerms:
    """What a user chooses of an alert, as sent; ``alert`` checks it."""

    location: Location
    radius_km: float
    categories: Sequence[str] = ()
    item_type: str | None = None
    push: bool = True

    def alert(self, *, alert_id: str, user_id: str, now: datetime) -> Alert:
        return Alert.create(
            alert_id=alert_id,
            user_id=user_id,
            location=self.location,
            radius_km=self.radius_km,
            categories=self.categories,
            item_type=self.item_type,
            push=self.push,
            now=now,
        )


def home_alert(*, alert_id: str, user_id: str, home: Location, now: datetime) -> Alert:
    """What a user hears of before choosing: everything within 5 km of home, pushed."""
    return Alert.create(
        alert_id=alert_id,
        user_id=user_id,
        location=home,
        radius_km=HOME_RADIUS_KM,
        now=now,
    )


def home_alert_id(user_id: str) -> str:
    # Derived, so a retried first home location makes the same alert, not a second one.
    return f"home-{user_id}"


def filing_cells(lat: float, lon: float, radius_km: float) -> list[str]:
    """Cells whose union covers the disc: whole-inside cells kept, rim cells refined."""
    base = geo.cover(lat, lon, radius_km)
    finest = finest_length(lat, radius_km, len(base[0]))
    kept: list[str] = []
    pending = list(base)
    while pending:
        cell = pending.pop()
        if _inside(lat, lon, radius_km, cell) or len(cell) >= finest:
            kept.append(cell)
            continue
        pending.extend(
            child
            for child in (cell + char for char in BASE32)
            if distance_to_box_km(lat, lon, bounds(child)) <= radius_km + 1e-6
        )
    return sorted(kept)


def finest_length(lat: float, radius_km: float, base_length: int) -> int:
    """The rim's cell length: one finer than the cover at least, then as fine as needed
    for a cell no wider than ``RIM_CELL_SHARE`` of the radius, at most the finest."""
    for length in range(base_length + 1, MAX_FILING_LENGTH + 1):
        lat_step, lon_step = cell_size(length)
        width = min(lat_step, lon_step * math.cos(math.radians(lat))) * _KM_PER_DEG
        if width <= radius_km * RIM_CELL_SHARE:
            return length
    return max(base_length, MAX_FILING_LENGTH)


def _inside(lat: float, lon: float, radius_km: float, cell: str) -> bool:
    # A geohash box is convex on the sphere at these sizes: its corners are its farthest
    # points from any centre.
    box = bounds(cell)
    return all(
        geo.haversine_km(lat, lon, corner_lat, corner_lon) <= radius_km
        for corner_lat in (box.lat_min, box.lat_max)
        for corner_lon in (box.lon_min, box.lon_max)
    )


def lookup_cells(lat: float, lon: float) -> list[str]:
    """The keys an item at (lat, lon) looks up: its own cell at every filing length."""
    point = geo.encode(lat, lon, max(FILING_LENGTHS))
    return [point[:length] for length in FILING_LENGTHS]


def recipients(
    alerts: Iterable[Alert], lat: float, lon: float, category: str, item_type: str, owner: str
) -> dict[str, bool]:
    """Users whose alerts match, once each, never the owner; value: push wanted."""
    found: dict[str, bool] = {}
    for alert in alerts:
        if alert.user_id == owner or not alert.matches(lat, lon, category, item_type):
            continue
        found[alert.user_id] = found.get(alert.user_id, False) or alert.push
    return found
