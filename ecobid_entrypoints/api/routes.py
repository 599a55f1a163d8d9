"""The API's operations: one table that the dispatcher, the local server, the OpenAPI
document and the Lambda handlers (by name) are all built from, so they cannot drift apart.

Views are named by import path (``view("bids:place_bid")``) and imported on their first
call, so a Lambda function imports its own view and the services behind it, not every
route's: the cold start pays only for what the route runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from attrs import field, frozen

from ecobid_entrypoints.api.params import Params, path_id
from ecobid_entrypoints.api.views import items, ratings, users
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


_ITEM = Params((items.ITEM_ID,))
_RESERVATION = Params((path_id("The reservation's id"),))
_USER = Params((users.USER_ID,))

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
        params=items.LIST_PARAMS,
    ),
    Route(
        "GetItem",
        "GET",
        "/items/{id}",
        view("items:get_item"),
        "One item",
        response="Item",
        params=_ITEM,
    ),
    Route(
        "UpdateItem",
        "PUT",
        "/items/{id}",
        view("items:update_item"),
        "Edit your item",
        request="UpdateItemRequest",
        response="Item",
        params=items.UPDATE_PARAMS,
    ),
    Route(
        "DeleteItem",
        "DELETE",
        "/items/{id}",
        view("items:delete_item"),
        "Withdraw your item",
        204,
        params=_ITEM,
    ),
    Route(
        "ReserveItem",
        "POST",
        "/items/{id}/reserve",
        view("reservations:reserve_item"),
        "Reserve a free item",
        201,
        response="Reservation",
        params=_ITEM,
    ),
    Route(
        "GetReservation",
        "GET",
        "/reservations/{id}",
        reservations.get_reservation,
        "One reservation, for its holder or the item's owner (404 to anyone else)",
        response="Reservation",
        params=reservations.RESERVATION_PARAMS,
    ),
    Route(
        "ConfirmReservation",
        "POST",
        "/reservations/{id}/confirm",
        view("reservations:confirm_reservation"),
        "Confirm the hand-over (the giver)",
        response="Confirmation",
        params=_RESERVATION,
    ),
    Route(
        "CancelReservation",
        "POST",
        "/reservations/{id}/cancel",
        view("reservations:cancel_reservation"),
        "Cancel a pending reservation (holder or giver)",
        response="Reservation",
        params=_RESERVATION,
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
        params=_ITEM,
    ),
    Route(
        "GetBids",
        "GET",
        "/items/{id}/bids",
        view("bids:list_bids"),
        "The visible price steps, newest first",
        response="BidHistory",
        params=_ITEM,
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
        params=_ITEM,
    ),
    Route(
        "GetUserProfile",
        "GET",
        "/users/{id}",
        view("users:get_user"),
        "A user's profile",
        response="UserProfile",
        params=_USER,
    ),
    Route(
        "UpdateUserProfile",
        "PUT",
        "/users/{id}",
        view("users:update_user"),
        "Edit your profile",
        request="UpdateProfileRequest",
        response="UserProfile",
        params=_USER,
    ),
    Route(
        "GetNotifications",
        "GET",
        "/users/{id}/notifications",
        view("users:list_notifications"),
        "Your notifications, newest first",
        response="NotificationList",
        params=users.NOTIFICATION_PARAMS,
    ),
    Route(
        "GetUserReservations",
        "GET",
        "/users/{id}/reservations",
        reservations.list_reservations,
        "Your reservations, newest first: those you hold and those on your items",
        response="ReservationPage",
        params=reservations.LIST_PARAMS,
    ),
    Route(
        "GetUserTransactions",
        "GET",
        "/users/{id}/transactions",
        view("ratings:list_transactions"),
        "Your gifts and sales, either side, newest first, with your rating of each",
        response="TransactionPage",
        params=ratings.USER_PAGE_PARAMS,
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
        params=ratings.TRANSACTION_PARAMS,
    ),
    Route(
        "GetUserRatings",
        "GET",
        "/users/{id}/ratings",
        view("ratings:list_ratings"),
        "Ratings a user received, newest first",
        response="RatingPage",
        params=ratings.USER_PAGE_PARAMS,
    ),
)


def by_name(name: str) -> Route:
    return next(route for route in ROUTES if route.name == name)


def find(method: str, resource: str) -> Route | None:
    return next((r for r in ROUTES if r.method == method and r.resource == resource), None)
