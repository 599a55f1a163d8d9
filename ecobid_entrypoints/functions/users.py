"""Lambda handlers of the user routes: ``/users/{id}`` and its notifications."""

from __future__ import annotations

from typing import Any

from ecobid_entrypoints.functions.runtime import serve


def get_user_profile(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """GetUserProfile: GET /users/{id}."""
    return serve("GetUserProfile", event)


def update_user_profile(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """UpdateUserProfile: PUT /users/{id}."""
    return serve("UpdateUserProfile", event)


def get_notifications(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """GetNotifications: GET /users/{id}/notifications."""
    return serve("GetNotifications", event)
