"""Lambda handlers of the bid routes: ``/items/{id}/bids``."""

from __future__ import annotations

from typing import Any

from ecobid_entrypoints.functions.runtime import serve


def create_bid(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """CreateBid: POST /items/{id}/bids."""
    return serve("CreateBid", event)


def get_bids(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """GetBids: GET /items/{id}/bids."""
    return serve("GetBids", event)
