"""The item aggregate: a free gift or an auction, and every rule about its status.

Status is stored, but two changes happen by the clock alone: a hold whose time is up makes
a reserved item available again, and an auction is closed to bids from ``ends_at`` on.
``status_at(now)`` and ``is_live(now)`` are what every read and write goes by.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from attrs import define, field, frozen

from ecobid_core import geo
from ecobid_core.errors import (
    AuctionClosed,
    AuctionHasBids,
    Forbidden,
    ItemNotAvailable,
    NotAnAuction,
    OwnItem,
    TooManyImages,
    ValidationFailed,
    VersionConflict,
)
from ecobid_core.model.aggregate import FIRST_VERSION, RecordsEvents
from ecobid_core.model.auction import Auction, Outcome
from ecobid_core.model.auction_terms import AuctionTerms
from ecobid_core.model.events import (
    AuctionEnded,
    BidPlaced,
    DomainEvent,
    ImageProcessed,
    ItemCreated,
    ItemUpdated,
    ItemWithdrawn,
)
from ecobid_core.model.records import Bid, Transaction, TransactionKind
from ecobid_core.model.text import clean_text
from ecobid_core.model.uploads import CONTENT_TYPES
from ecobid_core.model.values import LISTED_STATUSES, ItemStatus, ItemType, Location, category

GEOHASH_PRECISION = 9
DEFAULT_HOLD = timedelta(hours=24)
MAX_IMAGES = 10


class ImageStatus(StrEnum):
    PENDING = "pending"
    READY = "ready"
    REJECTED = "rejected"


@frozen
class ImageRef:
    id: str
    status: ImageStatus
    content_type: str


@frozen
class Hold:
    """The item's side of a pending reservation: enough to decide availability alone."""

    reservation_id: str
    holder_id: str
    expires_at: datetime


@define(kw_only=True)
class Item(RecordsEvents):
    id: str
    owner_id: str
    title: str
    description: str
    category: str
    type: ItemType
    status: ItemStatus
    location: Location
    geohash: str
    created_at: datetime
    updated_at: datetime
    version: int = FIRST_VERSION
    auction: Auction | None = None
    hold: Hold | None = None
    images: list[ImageRef] = field(factory=list)
    pending_events: list[DomainEvent] = field(factory=list, eq=False, repr=False)

    @classmethod
    def create(
        cls,
        *,
        item_id: str,
        owner_id: str,
        title: str,
        description: str,
        category_name: str,
        location: Location,
        now: datetime,
        item_type: ItemType = ItemType.FREE,
        terms: AuctionTerms | None = None,
    ) -> Item:
        auction = _opening_auction(item_type, terms, now)
        item = cls(
            id=item_id,
            owner_id=owner_id,
            title=clean_text(title, "title", min_len=1, max_len=120, multiline=False),
            description=clean_text(
                description, "description", min_len=0, max_len=2000, multiline=True
            ),
            category=category(category_name),
            type=item_type,
            status=ItemStatus.ACTIVE if auction is not None else ItemStatus.AVAILABLE,
            location=location,
            geohash=geo.encode(location.lat, location.lon, GEOHASH_PRECISION),
            created_at=now,
            updated_at=now,
            auction=auction,
        )
        item._record(
            ItemCreated(
                event_id=item._event_id(ItemCreated),
                occurred_at=now,
                item_id=item.id,
                owner_id=owner_id,
                item_type=item_type.value,
                category=item.category,
                lat=location.lat,
                lon=location.lon,
                geohash=item.geohash,
                title=item.title,
            )
        )
        return item

    # -- reading ---------------------------------------------------------------------
    def status_at(self, now: datetime) -> ItemStatus:
        if self.status is ItemStatus.RESERVED and self.hold and now >= self.hold.expires_at:
            return ItemStatus.AVAILABLE
        return self.status

    def is_live(self, now: datetime) -> bool:
        """Whether a nearby search shows it: open to a reservation or to a bid now."""
        status = self.status_at(now)
        if status is ItemStatus.AVAILABLE:
            return True
        return (
            status is ItemStatus.ACTIVE
            and self.auction is not None
            and not self.auction.is_closed(now)
        )

    def lapsed_hold(self, now: datetime) -> Hold | None:
        """A hold that the clock has ended but no write has cleared yet."""
        if self.status is ItemStatus.RESERVED and self.hold and now >= self.hold.expires_at:
            return self.hold
        return None

    def visible_to(self, user_id: str) -> bool:
        return self.status is not ItemStatus.WITHDRAWN or user_id == self.owner_id

    def ensure_owner(self, user_id: str) -> None:
        if user_id != self.owner_id:
            raise Forbidden("only the item's owner can do this")

    def ensure_version(self, expected: int | None) -> None:
        """Refuse a change based on another version than this one (an ``If-Match``)."""
        if expected is not None and expected != self.version:
            raise VersionConflict(f"the item is at version {self.version}, not {expected}")

    # -- owner's changes -------------------------------------------------------------
    def edit(
        self,
        by: str,
        now: datetime,
        *,
        title: str | None = None,
        description: str | None = None,
        category_name: str | None = None,
        location: Location | None = None,
        auction_terms: AuctionTerms | None = None,
        expected_version: int | None = None,
    ) -> None:
        self.ensure_owner(by)
        self.ensure_version(expected_version)
        if self.status in (ItemStatus.WITHDRAWN, ItemStatus.GIVEN, ItemStatus.SOLD):
            raise ItemNotAvailable(f"a {self.status.value} item can no longer be edited")
        changed: list[str] = []
        if title is not None:
            self.title = clean_text(title, "title", min_len=1, max_len=120, multiline=False)
            changed.append("title")
        if description is not None:
            self.description = clean_text(
                description, "description", min_len=0, max_len=2000, multiline=True
            )
            changed.append("description")
        if category_name is not None:
            self.category = category(category_name)
            changed.append("category")
        if location is not None:
            self.location = location
            self.geohash = geo.encode(location.lat, location.lon, GEOHASH_PRECISION)
            changed.append("location")
        if auction_terms is not None:
            if self.auction is None:
                raise NotAnAuction("only an auction has auction terms; this item is free")
            self.auction = auction_terms.apply_to(self.auction, now)
            changed.append("auction")
        self._changed(now)
        self._record(
            ItemUpdated(
                event_id=self._event_id(ItemUpdated),
                occurred_at=now,
                item_id=self.id,
                owner_id=self.owner_id,
                changed=tuple(changed),
            )
        )

    def withdraw(self, by: str, now: datetime) -> Hold | None:
        """Take the item off the market; returns the pending hold it cancels, if any."""
        self.ensure_owner(by)
        status = self.status_at(now)
        if self.auction is not None and self.auction.bid_count > 0:
            raise AuctionHasBids("an auction with bids cannot be withdrawn")
        if status not in (ItemStatus.AVAILABLE, ItemStatus.RESERVED, ItemStatus.ACTIVE):
            raise ItemNotAvailable(f"a {status.value} item cannot be withdrawn")
        cancelled = self.hold if status is ItemStatus.RESERVED else None
        self.status = ItemStatus.WITHDRAWN
        self.hold = None
        self._changed(now)
        self._record(
            ItemWithdrawn(
                event_id=self._event_id(ItemWithdrawn),
                occurred_at=now,
                item_id=self.id,
                owner_id=self.owner_id,
                title=self.title,
            )
        )
        return cancelled

    # -- giving ----------------------------------------------------------------------
    def reserve(self, by: str, reservation_id: str, now: datetime, hold_for: timedelta) -> Hold:
        if by == self.owner_id:
            raise OwnItem("you cannot reserve your own item")
        if self.type is not ItemType.FREE:
            raise ItemNotAvailable("only free items can be reserved")
        status = self.status_at(now)
        if status is ItemStatus.RESERVED and self.hold is not None and self.hold.holder_id == by:
            # Say so: a second tap on "reserve" must not read as someone else's hold.
            raise ItemNotAvailable(
                f"you already hold this item (reservation {self.hold.reservation_id})"
            )
        if status is not ItemStatus.AVAILABLE:
            raise ItemNotAvailable("the item is not available")
        self.hold = Hold(reservation_id, by, now + hold_for)
        self.status = ItemStatus.RESERVED
        self._changed(now)
        return self.hold

    def release(self, reservation_id: str, now: datetime) -> None:
        """Make the item available again after its hold was cancelled or expired."""
        if self.hold is not None and self.hold.reservation_id == reservation_id:
            self.hold = None
            if self.status is ItemStatus.RESERVED:
                self.status = ItemStatus.AVAILABLE
            self._changed(now)

    def give(self, reservation_id: str, now: datetime) -> None:
        if self.hold is None or self.hold.reservation_id != reservation_id:
            raise ItemNotAvailable("the item is not held by this reservation")
        self.status = ItemStatus.GIVEN
        self.hold = None
        self._changed(now)

    # -- auctions --------------------------------------------------------------------
    def place_bid(self, bidder_id: str, amount: int, bid_id: str, now: datetime) -> Bid:
        """Apply a bid under the auction rules; returns the record of the accepted bid."""
        if bidder_id == self.owner_id:
            raise OwnItem("you cannot bid on your own item")
        if self.auction is None:
            raise ItemNotAvailable("only auctions take bids")
        if self.status is not ItemStatus.ACTIVE:
            raise AuctionClosed("the auction has ended")
        previous_leader = self.auction.leader_id
        self.auction = self.auction.place_bid(bidder_id, amount, now)
        self._changed(now)
        leader = self.auction.leader_id or bidder_id
        bid = Bid(
            id=bid_id,
            item_id=self.id,
            bidder_id=bidder_id,
            amount=amount,
            created_at=now,
            price_after=self.auction.current_price,
            leader_after=leader,
            seq=self.auction.bid_count,
        )
        self._record(
            BidPlaced(
                event_id=self._event_id(BidPlaced),
                occurred_at=now,
                item_id=self.id,
                bid_id=bid_id,
                bidder_id=bidder_id,
                owner_id=self.owner_id,
                current_price=self.auction.current_price,
                leader_id=leader,
                previous_leader_id=previous_leader,
                ends_at=self.auction.ends_at,
            )
        )
        return bid

    def end_auction(self, now: datetime) -> Outcome | None:
        """Settle a closed auction: ``sold`` or ``ended``. None if there is nothing to do."""
        if self.auction is None or self.status is not ItemStatus.ACTIVE:
            return None
        if not self.auction.is_closed(now):
            return None
        outcome = self.auction.outcome()
        self.status = ItemStatus.SOLD if outcome.sold else ItemStatus.ENDED
        self._changed(now)
        self._record(
            AuctionEnded(
                event_id=self._event_id(AuctionEnded),
                occurred_at=now,
                item_id=self.id,
                owner_id=self.owner_id,
                title=self.title,
                sold=outcome.sold,
                winner_id=outcome.winner_id,
                price=outcome.price,
                currency=self.auction.currency,
                transaction_id=(
                    Transaction.id_for(TransactionKind.SALE, self.id) if outcome.sold else None
                ),
            )
        )
        return outcome

    # -- images ----------------------------------------------------------------------
    def add_image(self, by: str, image_id: str, content_type: str, now: datetime) -> None:
        self.ensure_owner(by)
        if content_type not in CONTENT_TYPES:
            raise ValidationFailed.on("contentType", f"must be one of {', '.join(CONTENT_TYPES)}")
        if self.status not in LISTED_STATUSES:
            # Its photos are released to the bucket's expiry: a new one would be dropped.
            raise ItemNotAvailable(f"the item is {self.status.value}: it takes no new photos")
        if len(self.images) >= MAX_IMAGES:
            raise TooManyImages(f"an item has at most {MAX_IMAGES} images")
        self.images.append(ImageRef(image_id, ImageStatus.PENDING, content_type))
        self._changed(now)

    def image_processed(self, image_id: str, status: ImageStatus, now: datetime) -> bool:
        """Set an image's outcome; False when it is unknown or already decided."""
        for index, image in enumerate(self.images):
            if image.id == image_id and image.status is ImageStatus.PENDING:
                self.images[index] = ImageRef(image_id, status, image.content_type)
                self._changed(now)
                self._record(
                    ImageProcessed(
                        event_id=self._event_id(ImageProcessed),
                        occurred_at=now,
                        item_id=self.id,
                        image_id=image_id,
                        status=status.value,
                    )
                )
                return True
        return False


def _opening_auction(
    item_type: ItemType, terms: AuctionTerms | None, now: datetime
) -> Auction | None:
    """An auction has terms, a free item has none."""
    if item_type is ItemType.FREE:
        if terms is not None:
            raise ValidationFailed.on("auction", "only an auction has auction terms")
        return None
    if terms is None:
        raise ValidationFailed.on("auction", "is required for an auction")
    return terms.open(now)
