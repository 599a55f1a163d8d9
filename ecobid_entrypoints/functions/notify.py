"""Lambda handlers of the notification routes: devices, alerts, preferences, read state."""

from __future__ import annotations

from typing import Any

from ecobid_entrypoints.functions.runtime import serve


def put_device(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """PutDevice: PUT /users/{id}/devices/{deviceId}."""
    return serve("PutDevice", event)


def get_devices(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """GetDevices: GET /users/{id}/devices."""
    return serve("GetDevices", event)


def delete_device(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """DeleteDevice: DELETE /users/{id}/devices/{deviceId}."""
    return serve("DeleteDevice", event)


def create_alert(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """CreateAlert: POST /users/{id}/alerts."""
    return serve("CreateAlert", event)


def get_alerts(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """GetAlerts: GET /users/{id}/alerts."""
    return serve("GetAlerts", event)


def update_alert(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """UpdateAlert: PUT /users/{id}/alerts/{alertId}."""
    return serve("UpdateAlert", event)


def delete_alert(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """DeleteAlert: DELETE /users/{id}/alerts/{alertId}."""
    return serve("DeleteAlert", event)


def get_preferences(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """GetPreferences: GET /users/{id}/preferences."""
    return serve("GetPreferences", event)


def update_preferences(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """UpdatePreferences: PUT /users/{id}/preferences."""
    return serve("UpdatePreferences", event)


def mark_notifications_read(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """MarkNotificationsRead: POST /users/{id}/notifications/read."""
    return serve("MarkNotificationsRead", event)
