"""Every key of the single table, built in one place.

A record's primary key names the entity; its GSI attributes name the access paths it
takes part in. An attribute is left out (not set to null) where a record must stay out of
an index: that is what makes the indexes sparse, so a nearby search reads only items that
can still be found and the due-auction and lapsed-reservation jobs read only candidates.

Sort keys that order by time start with ``utc_iso`` (fixed width, so text order is time
order) and end with the id, which breaks ties the way the memory adapter does.
"""

from __future__ import annotations

import binascii
from datetime import datetime
from typing import Final

from ecobid_adapters.aws.dynamodb import schema
from ecobid_core.geo import ranges
from ecobid_core.model.item import Item
from ecobid_core.model.rating import Rating
from ecobid_core.model.records import Bid, Notification, Transaction
from ecobid_core.model.reservation import Reservation, ReservationStatus
from ecobid_core.model.values import SEARCHABLE
from ecobid_core.timefmt import utc_iso

Key = dict[str, str]

#: Item geo partitions are cut at this prefix length (about 1,250 x 625 km), the core's
#: ``geo.ranges.PARTITION_CHARS``: a search's key ranges then rarely span two partitions.
GEO_PARTITION: Final = ranges.PARTITION_CHARS
#: Sorts after every character of a geo sort key, so ``<last geohash>~`` bounds a run.
_AFTER_CELL: Final = "~"
AUCTIONS_DUE: Final = "AUCTIONS_DUE"
RESERVATIONS_PENDING: Final = "RESERVATIONS_PENDING"
OUTBOX_SHARDS: Final = 8
BID_PREFIX: Final = "BID#"
_SEQ_WIDTH: Final = 10


def _key(pk: str, sk: str) -> Key:
    return {schema.PK: pk, schema.SK: sk}


def time_id(moment: datetime, entity_id: str) -> str:
    return f"{utc_iso(moment)}#{entity_id}"


def before(moment: datetime) -> str:
    """Upper bound (exclusive) of every ``time_id`` at or before ``moment``."""
    return f"{utc_iso(moment)}$"  # "$" sorts right after the "#" separator


# -- items -----------------------------------------------------------------------------
def item(item_id: str) -> Key:
    return _key(f"ITEM#{item_id}", "ITEM")


def item_indexes(entity: Item) -> Key:
    owner = {
        schema.GSI2PK: owner_items(entity.owner_id),
        schema.GSI2SK: time_id(entity.created_at, entity.id),
    }
    if entity.status not in SEARCHABLE:
        return owner
    return owner | {
        schema.GSI1PK: geo_partition(entity.geohash, entity.category),
        schema.GSI1SK: geo_position(entity.geohash, entity.id),
        schema.GSI3PK: geo_partition(entity.geohash, None),
        schema.GSI3SK: geo_position(entity.geohash, entity.id),
    }


def geo_partition(cell: str, category: str | None) -> str:
    prefix = f"GEO#{cell[:GEO_PARTITION]}"
    return prefix if category is None else f"{prefix}#{category}"


def geo_position(geohash: str, item_id: str) -> str:
    """Composite sort key: geohash order, so any sub-cell is one key range; the id makes
    each key unique, so a read can stop at an item and resume right after it."""
    return f"{geohash}#{item_id}"


def geo_range(first: str, last: str) -> tuple[str, str]:
    """The sort-key range (for ``BETWEEN``) of the items whose geohash is in first..last."""
    return first, last + _AFTER_CELL


def owner_items(owner_id: str) -> str:
    return f"OWNER#{owner_id}"


def auction_due(item_id: str) -> Key:
    # A second record in the item's partition: the item's own index slots are all taken.
    return _key(f"ITEM#{item_id}", "AUCTION_DUE")


def auction_due_indexes(item_id: str, ends_at: datetime) -> Key:
    return {schema.GSI1PK: AUCTIONS_DUE, schema.GSI1SK: time_id(ends_at, item_id)}


# -- bids live in their item's partition, newest last by sequence -----------------------
def bid(item_id: str, seq: int) -> Key:
    return _key(f"ITEM#{item_id}", f"{BID_PREFIX}{seq:0{_SEQ_WIDTH}d}")


def bid_of(entity: Bid) -> Key:
    return bid(entity.item_id, entity.seq)


# -- reservations ----------------------------------------------------------------------
def reservation(reservation_id: str) -> Key:
    return _key(f"RESERVATION#{reservation_id}", "RESERVATION")


def reservation_indexes(entity: Reservation) -> Key:
    # Both parties find every reservation they are part of, newest first: the holder on
    # GSI2 ("user + time"), the giver on GSI3, a slot a reservation has free (items use it
    # for the geo index). Two slots of one record rather than a copy per party: a
    # reservation changes status up to three times, and each change would rewrite a copy.
    parties = {
        schema.GSI2PK: reservations_held(entity.user_id),
        schema.GSI2SK: time_id(entity.created_at, entity.id),
        schema.GSI3PK: reservations_given(entity.owner_id),
        schema.GSI3SK: time_id(entity.created_at, entity.id),
    }
    if entity.status is not ReservationStatus.PENDING:
        return parties
    return parties | {
        schema.GSI1PK: RESERVATIONS_PENDING,
        schema.GSI1SK: time_id(entity.expires_at, entity.id),
    }


def reservations_held(user_id: str) -> str:
    return f"HOLDS#{user_id}"


def reservations_given(owner_id: str) -> str:
    return f"GIVES#{owner_id}"


# -- users -----------------------------------------------------------------------------
def user(user_id: str) -> Key:
    return _key(f"USER#{user_id}", "PROFILE")


# -- write-once records ----------------------------------------------------------------
def transaction(transaction_id: str) -> Key:
    return _key(f"TRANSACTION#{transaction_id}", "TRANSACTION")


def transaction_of(entity: Transaction) -> Key:
    return transaction(entity.id)


# A transaction has two parties but a record one GSI2 slot: the transaction is indexed
# for its seller, and a copy in its partition for its buyer; ratings live there too.
def transaction_indexes(entity: Transaction) -> Key:
    return _trades_of(entity.seller_id, entity)


def buyer_copy(entity: Transaction) -> Key:
    return _key(transaction(entity.id)[schema.PK], "BUYER")


def buyer_copy_indexes(entity: Transaction) -> Key:
    return _trades_of(entity.buyer_id, entity)


def _trades_of(user_id: str, entity: Transaction) -> Key:
    return {
        schema.GSI2PK: user_trades(user_id),
        schema.GSI2SK: time_id(entity.created_at, entity.id),
    }


def user_trades(user_id: str) -> str:
    return f"TRADES#{user_id}"


def rating(transaction_id: str, rater_id: str) -> Key:
    return _key(transaction(transaction_id)[schema.PK], f"RATING#{rater_id}")


def rating_indexes(entity: Rating) -> Key:
    return {
        schema.GSI2PK: user_ratings(entity.ratee_id),
        schema.GSI2SK: time_id(entity.created_at, entity.id),
    }


def user_ratings(user_id: str) -> str:
    return f"RATED#{user_id}"


def notification(notification_id: str) -> Key:
    return _key(f"NOTIFICATION#{notification_id}", "NOTIFICATION")


def notification_indexes(entity: Notification) -> Key:
    return {
        schema.GSI2PK: user_notifications(entity.user_id),
        schema.GSI2SK: time_id(entity.created_at, entity.id),
    }


def user_notifications(user_id: str) -> str:
    return f"NOTIFY#{user_id}"


# -- outbox ----------------------------------------------------------------------------
def outbox(event_id: str) -> Key:
    # A few fixed shards spread the writes yet stay listable by Query; the event id in
    # the sort key makes a second write of one event fail its condition. The stream
    # forwarder recognises outbox records by the ``EVENT#`` prefix of their PK.
    shard = binascii.crc32(event_id.encode()) % OUTBOX_SHARDS
    return _key(outbox_shard(shard), f"EVENT#{event_id}")


def outbox_shard(shard: int) -> str:
    return f"EVENT#SHARD#{shard}"
