"""Domain objects as the contract's JSON: camelCase, ISO times with Z, hidden fields hidden.

Who may see what is decided here, once: ``reservePrice`` goes to the owner only, and no
bidder's maximum goes to anyone but that bidder.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from ecobid_core.model.alerts import Alert
from ecobid_core.model.devices import Device
from ecobid_core.model.item import ImageStatus, Item
from ecobid_core.model.rating import Rating
from ecobid_core.model.records import Bid, Notification, Transaction
from ecobid_core.model.reservation import Reservation
from ecobid_core.model.user import UserProfile
from ecobid_core.model.values import ItemStatus, Location
from ecobid_core.timefmt import utc_iso

ImageUrl = Callable[[str, str, str], str]  # (item id, image id, variant) -> URL


def location(point: Location | None) -> dict[str, float] | None:
    return None if point is None else {"lat": point.lat, "lon": point.lon}


def item(entity: Item, viewer_id: str, now: datetime, image_url: ImageUrl) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": entity.id,
        "ownerId": entity.owner_id,
        "title": entity.title,
        "description": entity.description,
        "category": entity.category,
        "type": entity.type.value,
        "status": entity.status_at(now).value,
        "location": location(entity.location),
        "geohash": entity.geohash,
        "images": [
            {
                "id": image.id,
                "status": image.status.value,
                "thumbUrl": _url(image_url, entity.id, image.id, "thumb", image.status),
                "url": _url(image_url, entity.id, image.id, "large", image.status),
            }
            for image in entity.images
        ],
        "createdAt": utc_iso(entity.created_at),
        "updatedAt": utc_iso(entity.updated_at),
        "version": entity.version,
    }
    hold = entity.hold
    if (
        hold is not None
        and entity.status_at(now) is ItemStatus.RESERVED
        and viewer_id in (entity.owner_id, hold.holder_id)
    ):
        # The two parties of a hand-over can find it from the item; nobody else learns
        # who holds it.
        body["reservation"] = {
            "id": hold.reservation_id,
            "userId": hold.holder_id,
            "status": "pending",
            "expiresAt": utc_iso(hold.expires_at),
        }
    if entity.auction is not None:
        terms = entity.auction
        body["auction"] = {
            "startPrice": terms.start_price,
            "currency": terms.currency,
            "endsAt": utc_iso(terms.ends_at),
            "currentPrice": terms.current_price,
            "bidCount": terms.bid_count,
            "leadingBidderId": terms.leader_id,
            "reserveMet": terms.reserve_met,
        }
        if viewer_id == entity.owner_id:
            body["auction"]["reservePrice"] = terms.reserve_price
    return body


def _url(
    image_url: ImageUrl, item_id: str, image_id: str, variant: str, status: ImageStatus
) -> str | None:
    return image_url(item_id, image_id, variant) if status is ImageStatus.READY else None


def reservation(entity: Reservation, now: datetime) -> dict[str, Any]:
    return {
        "id": entity.id,
        "itemId": entity.item_id,
        "userId": entity.user_id,
        "ownerId": entity.owner_id,
        "status": entity.status_at(now).value,
        "createdAt": utc_iso(entity.created_at),
        "expiresAt": utc_iso(entity.expires_at),
    }


def transaction(entity: Transaction) -> dict[str, Any]:
    return {
        "id": entity.id,
        "itemId": entity.item_id,
        "sellerId": entity.seller_id,
        "buyerId": entity.buyer_id,
        "amount": entity.amount,
        "currency": entity.currency,
        "kind": entity.kind.value,
        "createdAt": utc_iso(entity.created_at),
    }


def rating(entity: Rating) -> dict[str, Any]:
    return {
        "id": entity.id,
        "transactionId": entity.transaction_id,
        "raterId": entity.rater_id,
        "rateeId": entity.ratee_id,
        "score": entity.score,
        "comment": entity.comment,
        "createdAt": utc_iso(entity.created_at),
    }


def profile(entity: UserProfile, viewer_id: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": entity.id,
        "displayName": entity.display_name,
        "bio": entity.bio,
        "location": location(entity.location),
        # No average before the first rating: 0.0 would read as the worst score.
        "rating": {"average": entity.rating.average, "count": entity.rating.count},
        "createdAt": utc_iso(entity.created_at),
    }
    if viewer_id == entity.id:
        body["email"] = entity.email
    return body


def own_bid(entity: Bid) -> dict[str, Any]:
    """The bid as its bidder sees it, hidden maximum included."""
    return {
        "id": entity.id,
        "itemId": entity.item_id,
        "bidderId": entity.bidder_id,
        "amount": entity.amount,
        "createdAt": utc_iso(entity.created_at),
    }


def price_step(entity: Bid) -> dict[str, Any]:
    """The bid as everyone sees it: who bid, and the visible price it led to."""
    return {
        "bidderId": entity.bidder_id,
        "price": entity.price_after,
        "leaderId": entity.leader_after,
        "createdAt": utc_iso(entity.created_at),
    }


def notification(entity: Notification) -> dict[str, Any]:
    return {
        "id": entity.id,
        "type": entity.type,
        "itemId": entity.item_id,
        **({} if entity.reservation_id is None else {"reservationId": entity.reservation_id}),
        "message": entity.message,
        "createdAt": utc_iso(entity.created_at),
        "read": entity.read,
    }


def device(entity: Device) -> dict[str, Any]:
    """A device as its owner sees it: never its token or endpoint."""
    return {
        "id": entity.id,
        "platform": entity.platform.value,
        "createdAt": utc_iso(entity.created_at),
        "updatedAt": utc_iso(entity.updated_at),
    }


def alert(entity: Alert) -> dict[str, Any]:
    return {
        "id": entity.id,
        "location": location(entity.location),
        "radiusKm": entity.radius_km,
        "categories": list(entity.categories),
        "type": entity.item_type,
        "push": entity.push,
        "createdAt": utc_iso(entity.created_at),
    }
