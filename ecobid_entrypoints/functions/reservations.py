"""Lambda handlers of the reservation routes."""

from __future__ import annotations

from typing import Any

from ecobid_entrypoints.functions.runtime import serve


def reserve_item(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """ReserveItem: POST /items/{id}/reserve."""
    return serve("ReserveItem", event)


def confirm_reservation(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """ConfirmReservation: POST /reservations/{id}/confirm."""
    return serve("ConfirmReservation", event)


def cancel_reservation(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """CancelReservation: POST /reservations/{id}/cancel."""
    return serve("CancelReservation", event)


def get_reservation(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """GetReservation: GET /reservations/{id}."""
    return serve("GetReservation", event)


def get_user_reservations(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """GetUserReservations: GET /users/{id}/reservations."""
    return serve("GetUserReservations", event)
