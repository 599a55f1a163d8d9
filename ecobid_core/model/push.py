"""What a push says, and how many a user may get.

A push repeats its notification in a phone's words: a short title for the type and the
notification's own message as the body, plus the data the app needs to open the right
screen. ``item_nearby`` pushes are capped per user and hour: past the cap a notification
is still listed in-app, only not pushed (a busy street must not make a phone buzz all
day).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from attrs import frozen

from ecobid_core.model.records import Notification

ITEM_NEARBY_PUSHES_PER_HOUR = 10
RATE_LIMITED_TYPES = frozenset({"item_nearby"})
#: Notifications are listed for this long; storage may then drop them (DynamoDB TTL).
NOTIFICATION_RETENTION = timedelta(days=90)
#: At most this many ids in one "mark read" request.
MAX_MARK_READ = 100

_TITLES: Mapping[str, str] = {
    "item_nearby": "New near you",
    "reservation_created": "Your item was reserved",
    "reservation_confirmed": "Hand-over confirmed",
    "reservation_cancelled": "Reservation cancelled",
    "reservation_expired": "Reservation expired",
    "outbid": "You were outbid",
    "auction_won": "You won",
    "auction_sold": "Sold",
    "auction_ended": "Auction ended",
    "auction_lost": "Auction lost",
    "image_rejected": "Photo rejected",
    "rating_received": "New rating",
}


@frozen(kw_only=True)
class Push:
    user_id: str
    device_id: str
    platform: str
    endpoint: str | None
    title: str
    body: str
    data: Mapping[str, str]


def title_for(kind: str) -> str:
    return _TITLES.get(kind, "EcoBid")


def push_data(notification: Notification) -> dict[str, str]:
    data = {"type": notification.type, "notificationId": notification.id}
    if notification.item_id is not None:
        data["itemId"] = notification.item_id
    return data


def hour_of(moment: datetime) -> str:
    """The rate window a moment falls in: its UTC hour, as ``YYYYMMDDHH``."""
    return moment.strftime("%Y%m%d%H")


def expires_at(created_at: datetime) -> int:
    """Epoch seconds after which a notification may be dropped."""
    return int((created_at + NOTIFICATION_RETENTION).timestamp())


def within_rate(kind: str, pushed_this_hour: int) -> bool:
    return kind not in RATE_LIMITED_TYPES or pushed_this_hour < ITEM_NEARBY_PUSHES_PER_HOUR
