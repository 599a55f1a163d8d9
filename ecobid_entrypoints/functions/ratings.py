"""Lambda handlers of the rating routes: a user's transactions, rating one, ratings received."""

from __future__ import annotations

from typing import Any

from ecobid_entrypoints.functions.runtime import serve


def get_user_transactions(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """GetUserTransactions: GET /users/{id}/transactions."""
    return serve("GetUserTransactions", event)


def create_rating(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """CreateRating: POST /transactions/{id}/ratings."""
    return serve("CreateRating", event)


def get_user_ratings(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """GetUserRatings: GET /users/{id}/ratings."""
    return serve("GetUserRatings", event)
