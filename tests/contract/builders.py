"""Domain objects with every field set, for the contract tests."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from ecobid_core import geo
from ecobid_core.model.auction_terms import AuctionTerms
from ecobid_core.model.item import Hold, ImageRef, ImageStatus, Item
from ecobid_core.model.records import Bid, Notification, Transaction, TransactionKind
from ecobid_core.model.reservation import Reservation
from ecobid_core.model.user import RatingSummary, UserProfile
from ecobid_core.model.values import ItemStatus, ItemType, Location

NOW = datetime(2030, 3, 14, 15, 9, 26, 535897, tzinfo=UTC)
BERLIN = Location(52.52, 13.405)
_ids = itertools.count(1)


def new_id(prefix: str) -> str:
    return f"{prefix}-{next(_ids):05d}"


def free_item(
    *,
    owner: str = "owner-1",
    location: Location = BERLIN,
    category: str = "furniture",
    now: datetime = NOW,
    status: ItemStatus | None = None,
    item_id: str | None = None,
) -> Item:
    item = Item.create(
        item_id=item_id or new_id("item"),
        owner_id=owner,
        title="Oak chair",
        description="Sturdy, a little scratched.",
        category_name=category,
        location=location,
        now=now,
    )
    if status is not None:
        item.status = status
    return item


def auction_item(
    *,
    owner: str = "owner-1",
    location: Location = BERLIN,
    category: str = "electronics",
    now: datetime = NOW,
    ends_in: timedelta = timedelta(hours=3),
    bids: tuple[tuple[str, int], ...] = (),
) -> Item:
    item = Item.create(
        item_id=new_id("auction"),
        owner_id=owner,
        title="Radio",
        description="Works.",
        category_name=category,
        location=location,
        now=now,
        item_type=ItemType.AUCTION,
        terms=AuctionTerms(
            start_price=100, currency="EUR", ends_at=now + ends_in, reserve_price=1_000
        ),
    )
    assert item.auction is not None
    for bidder, amount in bids:
        item.auction = item.auction.place_bid(bidder, amount, now)
    return item


def rich_free_item() -> Item:
    """A reserved free item with a hold and images in every status."""
    item = free_item(now=NOW)
    item.reserve("holder-1", "res-held", NOW, timedelta(hours=24))
    for image_id, content_type in (
        ("img-a", "image/jpeg"),
        ("img-b", "image/png"),
        ("img-c", "image/webp"),
    ):
        item.add_image("owner-1", image_id, content_type, NOW)
    item.image_processed("img-a", ImageStatus.READY, NOW)
    item.image_processed("img-b", ImageStatus.REJECTED, NOW)
    assert item.hold == Hold("res-held", "holder-1", NOW + timedelta(hours=24))
    assert item.images[2] == ImageRef("img-c", ImageStatus.PENDING, "image/webp")
    return item


def reservation(
    *, expires_at: datetime = NOW + timedelta(hours=24), item_id: str = "item-x"
) -> Reservation:
    return Reservation.hold(
        reservation_id=new_id("res"),
        item_id=item_id,
        user_id="holder-1",
        owner_id="owner-1",
        now=NOW,
        expires_at=expires_at,
    )


def user(*, location: Location | None = BERLIN, user_id: str | None = None) -> UserProfile:
    return UserProfile(
        id=user_id or new_id("user"),
        email="ada@example.com",
        display_name="Ada",
        bio="Gives away books.",
        location=location,
        rating=RatingSummary(total=14, count=3),
        created_at=NOW,
        updated_at=NOW + timedelta(seconds=1),
    )


def transaction(kind: TransactionKind = TransactionKind.SALE) -> Transaction:
    item_id = new_id("item")
    return Transaction(
        id=Transaction.id_for(kind, item_id),
        item_id=item_id,
        seller_id="owner-1",
        buyer_id="buyer-1",
        amount=1_250 if kind is TransactionKind.SALE else 0,
        currency="EUR" if kind is TransactionKind.SALE else None,
        kind=kind,
        created_at=NOW,
    )


def bid(item_id: str, seq: int, *, at: datetime = NOW) -> Bid:
    return Bid(
        id=f"{item_id}-bid-{seq}",
        item_id=item_id,
        bidder_id=f"bidder-{seq % 3}",
        amount=100 + 50 * seq,
        created_at=at,
        price_after=100 + 25 * seq,
        leader_after=f"bidder-{seq % 3}",
        seq=seq,
    )


def notification(
    user_id: str, *, at: datetime = NOW, item_id: str | None = "item-x"
) -> Notification:
    return Notification(
        id=Notification.id_for(new_id("ItemCreated:evt"), user_id),
        user_id=user_id,
        type="item_nearby",
        item_id=item_id,
        message="New nearby: Oak chair",
        created_at=at,
    )


def location_in(cell: str) -> Location:
    """The centre of a geohash cell."""
    lat, lon = geo.decode(cell)
    return Location(lat, lon)
