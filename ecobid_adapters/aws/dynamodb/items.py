"""Items: by id, near a point (sparse geo indexes), by owner, and auctions due to end.

Only searchable items carry GSI1/GSI3 keys, so a nearby search reads only what it may
show; the category is in GSI1's partition key, so a category search reads only that
category (a filter would be read, and paid for, first). An active auction keeps a small
due marker in its own partition whose GSI1 key orders it by ``ends_at``: the item's own
three index slots are taken, and the marker is written in the same commit as the item.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from itertools import islice
from typing import Any

from ecobid_adapters import cursors
from ecobid_adapters.aws.dynamodb import geo_reads, keys, reads, writes
from ecobid_adapters.aws.dynamodb.repository import VersionedRepository
from ecobid_adapters.nearby import nearby_page
from ecobid_core import geo
from ecobid_core.model.item import Item
from ecobid_core.model.values import ItemStatus
from ecobid_core.ports import Hit, NearbySearch, Page

DUE_MARKER = "AuctionDue"
_UNREAD = object()  # not None: "not due" is a due time worth remembering too


def _due_at(item: Item) -> datetime | None:
    if item.status is ItemStatus.ACTIVE and item.auction is not None:
        return item.auction.ends_at
    return None


class DynamoItems(VersionedRepository[Item]):
    entity_type = Item
    entity_name = "Item"

    def __init__(self, uow: Any) -> None:
        super().__init__(uow)
        # The due time of each (item, version) this unit of work read: a bid that does not
        # move the end needs no marker write, since the update's condition guarantees the
        # stored version, and so the stored marker, is the one read.
        self._read_due: dict[tuple[str, int], object] = {}

    def key_of(self, entity: Item) -> keys.Key:
        return keys.item(entity.id)

    def indexes_of(self, entity: Item) -> keys.Key:
        return keys.item_indexes(entity)

    def derived_writes(self, entity: Item, expected: int | None) -> list[writes.Write]:
        due = _due_at(entity)
        if expected is None and due is None:
            return []  # a new item that is no active auction has no marker to write
        if expected is not None and self._read_due.get((entity.id, expected), _UNREAD) == due:
            return []  # the stored marker already says this
        label = f"due marker of item {entity.id}"
        if due is not None:
            record = {
                **keys.auction_due(entity.id),
                **keys.auction_due_indexes(entity.id, due),
                "entity": DUE_MARKER,
                "item_id": entity.id,
            }
            return [writes.put_derived(self._table, record, label)]
        if entity.auction is None:
            return []  # an item without auction terms never had a marker
        return [writes.delete_derived(self._table, keys.auction_due(entity.id), label)]

    def _decode(self, record: Any) -> Item:
        item = super()._decode(record)
        self._read_due[(item.id, item.version)] = _due_at(item)
        return item

    def get(self, item_id: str) -> Item | None:
        return self._load(keys.item(item_id))

    def nearby(self, search: NearbySearch, cursor: str | None) -> Page[Hit]:
        return nearby_page(search, cursor, lambda reads: self.read_ranges(reads, search.category))

    def read_ranges(self, reads: Sequence[geo.RangeRead], category: str | None) -> list[list[Item]]:
        """One query per read, sent together; the geo index's items, as they are stored."""
        answers = geo_reads.read_ranges(self._client, self._table, reads, category)
        return [list(self._decode_all(records)) for records in answers]

    def by_owner(self, owner_id: str, limit: int, after: str | None) -> Page[Item]:
        return self._newest_first(cursors.OWNER_ITEMS, keys.owner_items(owner_id), limit, after)

    def auctions_due(self, now: datetime, limit: int) -> list[Item]:
        if limit <= 0:
            return []
        request = reads.due_before(self._table, keys.AUCTIONS_DUE, now)
        due: list[Item] = []
        markers = reads.query(self._client, request, page_size=limit)
        while len(due) < limit:
            batch = [record["item_id"] for record in islice(markers, limit - len(due))]
            if not batch:
                break
            stored = reads.batch_get(self._client, self._table, [keys.item(i) for i in batch])
            # Markers are read from an index that may lag: the item itself decides.
            due.extend(
                item
                for item in self._decode_all(stored)
                if (at := _due_at(item)) is not None and at <= now
            )
        due.sort(key=lambda item: (item.auction.ends_at if item.auction else now, item.id))
        return due[:limit]
