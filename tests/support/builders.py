"""Request bodies the tests send, with sensible defaults."""

from __future__ import annotations

import itertools
from typing import Any

_lat_offsets = itertools.count(1)


def spot() -> dict[str, float]:
    """A location of its own for each test, far from the demo city and from each other."""
    n = next(_lat_offsets)
    return {"lat": -40.0 + (n % 400) * 0.2, "lon": -60.0 + (n // 400) * 0.5}


def free_item(location: dict[str, float] | None = None, **overrides: Any) -> dict[str, Any]:
    body = {
        "title": "Oak chair",
        "description": "Sturdy, a little scratched.",
        "category": "furniture",
        "type": "free",
        "location": location or spot(),
    }
    body.update(overrides)
    return body


def auction_item(
    ends_at: str,
    start_price: int = 100,
    reserve_price: int | None = None,
    location: dict[str, float] | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    terms: dict[str, Any] = {"startPrice": start_price, "currency": "EUR", "endsAt": ends_at}
    if reserve_price is not None:
        terms["reservePrice"] = reserve_price
    return free_item(location, type="auction", auction=terms, title="Record player", **overrides)
