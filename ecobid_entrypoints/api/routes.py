"""The API's operations: one table that the dispatcher, the local server, the OpenAPI
document and the Lambda handlers (by name) are all built from, so they cannot drift apart.

Views are named by import path (``view("bids:place_bid")``) and imported on their first
call, and the routes' parameters are declared apart from them (``route_params``), so a
Lambda function imports its own view and the services behind it, not every route's: the
cold start pays only for what the route runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from attrs import field, frozen

from ecobid_entrypoints.api.params import Params
from ecobid_entrypoints.api.route_params import (
    ALERT_PARAMS,
    DEVICE_PARAMS,
    INBOX_PARAMS,
    ITEM_LIST_PARAMS,
    ITEM_PARAMS,
    ITEM_UPDATE_PARAMS,
    RESERVATION_LIST_PARAMS,
    RESERVATION_PARAMS,
    TRANSACTION_PARAMS,
    USER_PAGE_PARAMS,
    USER_PARAMS,
)
from ecobid_entrypoints.lazy import lazy

if TYPE_CHECKING:
    from ecobid_entrypoints.api.deps import AppDeps
    from ecobid_entrypoints.api.http import ApiRequest, ApiResponse

View = Callable[["ApiRequest", "AppDeps"], "ApiResponse"]


def view(path: str) -> View:
    """The view at ``"module:function"`` under ``api.views``, imported on its first call."""
    return lazy(f"ecobid_entrypoints.api.views.{path}")


@frozen
class Route:
    name: str  # the Lambda function's name in the plan
    method: str
    resource: str
    view: View
    summary: str
    status: int = 200
    request: str | None = None  # schema of the body
    response: str | None = None  # schema of the success body
    params: Params = field(factory=Params)  # path, query and header params, declared once


NOTIFY_ROUTES: tuple[Route, ...] = (
    Route(
        "PutDevice",
        "PUT",
        "/users/{id}/devices/{deviceId}",
        view("notify:put_device"),
        "Register a phone for pushes, or renew its token; at most 10 (409 too_many_devices)",
        request="PutDeviceRequest",
        response="Device",
        params=DEVICE_PARAMS,
    ),
    Route(
        "GetDevices",
        "GET",
        "/users/{id}/devices",
        view("notify:list_devices"),
        "Your registered phones",
        response="DeviceList",
        params=USER_PARAMS,
    ),
    Route(
        "DeleteDevice",
        "DELETE",
        "/users/{id}/devices/{deviceId}",
        view("notify:delete_device"),
        "Stop pushes to a phone",
        204,
        params=DEVICE_PARAMS,
    ),
    Route(
        "CreateAlert",
        "POST",
        "/users/{id}/alerts",
        view("notify:create_alert"),
        "Hear of new items in a place; at most 10 (409 too_many_alerts)",
        201,
        "AlertRequest",
        "Alert",
        params=USER_PARAMS,
    ),
    Route(
        "GetAlerts",
        "GET",
        "/users/{id}/alerts",
        view("notify:list_alerts"),
        "Your alerts",
        response="AlertList",
        params=USER_PARAMS,
    ),
    Route(
        "UpdateAlert",
        "PUT",
        "/users/{id}/alerts/{alertId}",
        view("notify:replace_alert"),
        "Replace an alert",
        request="AlertRequest",
        response="Alert",
        params=ALERT_PARAMS,
    ),
    Route(
        "DeleteAlert",
        "DELETE",
        "/users/{id}/alerts/{alertId}",
        view("notify:delete_alert"),
        "Delete an alert",
        204,
        params=ALERT_PARAMS,
    ),
    Route(
        "GetPreferences",
        "GET",
        "/users/{id}/preferences",
        view("notify:get_preferences"),
        "Which notification types are pushed",
        response="Preferences",
        params=USER_PARAMS,
    ),
    Route(
        "UpdatePreferences",
        "PUT",
        "/users/{id}/preferences",
        view("notify:put_preferences"),
        "Choose which notification types are pushed (all stay listed)",
        request="PreferencesRequest",
        response="Preferences",
        params=USER_PARAMS,
    ),
    Route(
        "MarkNotificationsRead",
        "POST",
        "/users/{id}/notifications/read",
        view("notify:mark_read"),
        "Mark some notifications read, or all with {}",
        request="MarkReadRequest",
        response="UnreadCount",
        params=USER_PARAMS,
    ),
)

ROUTES: tuple[Route, ...] = (
    Route(
        "CreateItem",
        "POST",
        "/items",
        view("items:create_item"),
        "Offer an item, free or at auction",
        201,
        "CreateItemRequest",
        "Item",
    ),
    Route(
        "GetItems",
        "GET",
        "/items",
        view("items:list_items"),
        "Live items near a point, nearest first; or one owner's items, newest first",
        response="ItemPage",
        params=ITEM_LIST_PARAMS,
    ),
    Route(
        "GetItem",
        "GET",
        "/items/{id}",
        view("items:get_item"),
        "One item",
        response="Item",
        params=ITEM_PARAMS,
    ),
    Route(
        "UpdateItem",
        "PUT",
        "/items/{id}",
        view("items:update_item"),
        "Edit your item",
        request="UpdateItemRequest",
        response="Item",
        params=ITEM_UPDATE_PARAMS,
    ),
    Route(
        "DeleteItem",
        "DELETE",
        "/items/{id}",
        view("items:delete_item"),
        "Withdraw your item",
        204,
        params=ITEM_PARAMS,
    ),
    Route(
        "ReserveItem",
        "POST",
        "/items/{id}/reserve",
        view("reservations:reserve_item"),
        "Reserve a free item",
        201,
        response="Reservation",
        params=ITEM_PARAMS,
    ),
    Route(
        "GetReservation",
        "GET",
        "/reservations/{id}",
        view("reservations:get_reservation"),
        "One reservation, for its holder or the item's owner (404 to anyone else)",
        response="Reservation",
        params=RESERVATION_PARAMS,
    ),
    Route(
        "ConfirmReservation",
        "POST",
        "/reservations/{id}/confirm",
        view("reservations:confirm_reservation"),
        "Confirm the hand-over (the giver)",
        response="Confirmation",
        params=RESERVATION_PARAMS,
    ),
    Route(
        "CancelReservation",
        "POST",
        "/reservations/{id}/cancel",
        view("reservations:cancel_reservation"),
        "Cancel a pending reservation (holder or giver)",
        response="Reservation",
        params=RESERVATION_PARAMS,
    ),
    Route(
        "CreateBid",
        "POST",
        "/items/{id}/bids",
        view("bids:place_bid"),
        "Bid on an auction: amount is your hidden maximum (proxy bidding)",
        201,
        "PlaceBidRequest",
        "BidAccepted",
        params=ITEM_PARAMS,
    ),
    Route(
        "GetBids",
        "GET",
        "/items/{id}/bids",
        view("bids:list_bids"),
        "The visible price steps, newest first",
        response="BidHistory",
        params=ITEM_PARAMS,
    ),
    Route(
        "CreateImageUpload",
        "POST",
        "/items/{id}/images",
        view("images:request_upload"),
        "Add a photo to your item: a presigned POST of at most 10 MB; at most 10 photos"
        " (409 too_many_images)",
        201,
        "ImageUploadRequest",
        "ImageUpload",
        params=ITEM_PARAMS,
    ),
    Route(
        "GetUserProfile",
        "GET",
        "/users/{id}",
        view("users:get_user"),
        "A user's profile",
        response="UserProfile",
        params=USER_PARAMS,
    ),
    Route(
        "UpdateUserProfile",
        "PUT",
        "/users/{id}",
        view("users:update_user"),
        "Edit your profile",
        request="UpdateProfileRequest",
        response="UserProfile",
        params=USER_PARAMS,
    ),
    Route(
        "GetNotifications",
        "GET",
        "/users/{id}/notifications",
        view("notify:list_notifications"),
        "Your notifications, newest first, with how many are unread",
        response="NotificationList",
        params=INBOX_PARAMS,
    ),
    Route(
        "GetUserReservations",
        "GET",
        "/users/{id}/reservations",
        view("reservations:list_reservations"),
        "Your reservations, newest first: those you hold and those on your items",
        response="ReservationPage",
        params=RESERVATION_LIST_PARAMS,
    ),
    Route(
        "GetUserTransactions",
        "GET",
        "/users/{id}/transactions",
        view("ratings:list_transactions"),
        "Your gifts and sales, either side, newest first, with your rating of each",
        response="TransactionPage",
        params=USER_PAGE_PARAMS,
    ),
    Route(
        "CreateRating",
        "POST",
        "/transactions/{id}/ratings",
        view("ratings:submit_rating"),
        "Rate the other party of your transaction, once, within 30 days",
        201,
        "CreateRatingRequest",
        "Rating",
        params=TRANSACTION_PARAMS,
    ),
    Route(
        "GetUserRatings",
        "GET",
        "/users/{id}/ratings",
        view("ratings:list_ratings"),
        "Ratings a user received, newest first",
        response="RatingPage",
        params=USER_PAGE_PARAMS,
    ),
    # Devices, alerts, preferences and read state.
    *NOTIFY_ROUTES,
)


def by_name(name: str) -> Route:
    return next(route for route in ROUTES if route.name == name)


def find(method: str, resource: str) -> Route | None:
    return next((r for r in ROUTES if r.method == method and r.resource == resource), None)
