"""Lambda handlers of the item routes: ``/items`` and ``/items/{id}``."""

from __future__ import annotations

from typing import Any

from ecobid_entrypoints.functions.runtime import serve


def create_item(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """CreateItem: POST /items."""
    return serve("CreateItem", event)


def get_items(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """GetItems: GET /items."""
    return serve("GetItems", event)


def get_item(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """GetItem: GET /items/{id}."""
    return serve("GetItem", event)


def update_item(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """UpdateItem: PUT /items/{id}."""
    return serve("UpdateItem", event)


def delete_item(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """DeleteItem: DELETE /items/{id}."""
    return serve("DeleteItem", event)
