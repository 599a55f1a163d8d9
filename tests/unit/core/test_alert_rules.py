"""Alerts: what they match, and a filing that never misses a point of the disc."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecobid_core import geo
from ecobid_core.errors import ValidationFailed
from ecobid_core.model.alerts import (
    FILING_LENGTHS,
    Alert,
    filing_cells,
    lookup_cells,
    recipients,
)
from ecobid_core.model.values import Location

NOW = datetime(2030, 1, 1, tzinfo=UTC)


def alert(user: str = "u", **changes) -> Alert:
    fields = {
        "alert_id": "a",
        "user_id": user,
        "location": Location(52.52, 13.405),
        "radius_km": 2.0,
        "now": NOW,
    } | changes
    return Alert.create(**fields)


def test_an_alert_matches_its_disc_categories_and_type():
    books = alert(categories=["books"], item_type="free")
    assert books.matches(52.53, 13.405, "books", "free")
    assert not books.matches(52.53, 13.405, "furniture", "free")
    assert not books.matches(52.53, 13.405, "books", "auction")
    assert not books.matches(52.547, 13.405, "books", "free")  # 3 km away
    assert alert().matches(52.53, 13.405, "garden", "auction")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"radius_km": 0.49}, "radiusKm"),
        ({"radius_km": 20.01}, "radiusKm"),
        ({"radius_km": float("nan")}, "radiusKm"),
        ({"categories": ["boats"]}, "categories"),
        ({"item_type": "swap"}, "type"),
    ],
)
def test_bad_alerts_are_refused(changes, field):
    with pytest.raises(ValidationFailed) as refused:
        alert(**changes)
    assert refused.value.details[0]["field"] == field


def test_recipients_once_each_never_the_owner_push_if_any_alert_wants_it():
    alerts = [
        alert("ann", alert_id="1", push=False),
        alert("ann", alert_id="2", push=True),
        alert("bob", alert_id="3", push=False),
        alert("owner", alert_id="4"),
        alert("far", alert_id="5", location=Location(48.1, 11.6)),
    ]
    found = recipients(alerts, 52.53, 13.405, "books", "free", owner="owner")
    assert found == {"ann": True, "bob": False}


@settings(max_examples=60, deadline=None)
@given(
    lat=st.floats(-60, 60),
    lon=st.floats(-179.9, 179.9),
    radius=st.floats(0.5, 20),
    bearing=st.floats(0, 360),
    share=st.floats(0, 1),
)
def test_every_point_of_the_disc_is_found_by_its_own_lookup_keys(lat, lon, radius, bearing, share):
    """A point inside the disc shares a key with the filing: nothing within reach is missed."""
    import math

    d = radius * share / geo.EARTH_RADIUS_KM
    b = math.radians(bearing)
    phi, lam = math.radians(lat), math.radians(lon)
    phi2 = math.asin(math.sin(phi) * math.cos(d) + math.cos(phi) * math.sin(d) * math.cos(b))
    lam2 = lam + math.atan2(
        math.sin(b) * math.sin(d) * math.cos(phi), math.cos(d) - math.sin(phi) * math.sin(phi2)
    )
    point_lat, point_lon = math.degrees(phi2), (math.degrees(lam2) + 540) % 360 - 180
    if geo.haversine_km(lat, lon, point_lat, point_lon) > radius:
        return  # rounding put the point just outside: nothing to find
    filed = set(filing_cells(lat, lon, radius))
    assert filed & set(lookup_cells(point_lat, point_lon))
    assert {len(cell) for cell in filed} <= set(FILING_LENGTHS)


@pytest.mark.parametrize("radius", [0.5, 2, 5, 10, 20])
def test_the_filing_holds_little_more_than_the_disc(radius):
    """The area filed outside the disc is what a lookup reads in vain: under the disc's."""
    import math

    def area(cell: str) -> float:
        box = geo.bounds(cell)
        middle = math.radians((box.lat_min + box.lat_max) / 2)
        return (
            (box.lat_max - box.lat_min)
            * (box.lon_max - box.lon_min)
            * math.cos(middle)
            * (math.pi * geo.EARTH_RADIUS_KM / 180) ** 2
        )

    cells = filing_cells(52.52, 13.405, radius)
    assert sum(map(area, cells)) < 2 * math.pi * radius**2
    assert len(cells) <= 250  # the price: one index record per cell
