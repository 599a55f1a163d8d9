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

from ecobid_adapters.aws.dynamodb import keys, reads, schema, writes
from ecobid_adapters.aws.dynamodb.repository import VersionedRepository
from ecobid_adapters.aws.timestamps import parse_utc, utc_iso
from ecobid_core.errors import ValidationFailed
from ecobid_core.model.item import Item
from ecobid_core.model.values import SEARCHABLE, ItemStatus
from ecobid_core.ports import Page

DUE_MARKER = "AuctionDue"
_UNREAD = object()  # not None: "not due" is a due time worth remembering too


def _cursor_time(text: str) -> datetime:
    try:
        return parse_utc(text)
    except ValueError:
        raise ValidationFailed.on("cursor", "is not a cursor this listing returned") from None


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

    def in_cells(self, cells: Sequence[str], category: str | None) -> list[Item]:
        index, (pk_name, sk_name) = (
            (schema.GSI3, (schema.GSI3PK, schema.GSI3SK))
            if category is None
            else (schema.GSI1, (schema.GSI1PK, schema.GSI1SK))
        )
        found: dict[str, Item] = {}
        for cell in keys.partition_cells(cells):
            request: dict[str, Any] = {
                "TableName": self._table,
                "IndexName": index,
                "KeyConditionExpression": "#pk = :pk",
                "ExpressionAttributeNames": {"#pk": pk_name},
                "ExpressionAttributeValues": {":pk": {"S": keys.geo_partition(cell, category)}},
            }
            if len(cell) > keys.GEO_PARTITION:  # a whole partition needs no range condition
                request["KeyConditionExpression"] += " AND begins_with(#sk, :cell)"
                request["ExpressionAttributeNames"]["#sk"] = sk_name
                request["ExpressionAttributeValues"][":cell"] = {"S": cell}
            for item in self._decode_all(reads.query(self._client, request)):
                # The index lags the table a little: recheck what the key promised.
                if item.status in SEARCHABLE and (category is None or item.category == category):
                    found[item.id] = item
        return list(found.values())

    def by_owner(self, owner_id: str, limit: int, after: str | None) -> Page[Item]:
        names = {"#pk": schema.GSI2PK}
        values: dict[str, Any] = {":pk": {"S": keys.owner_items(owner_id)}}
        condition = "#pk = :pk"
        if after is not None:
            # The cursor is the last item's (created_at, id): a position, not a key, so a
            # page boundary survives a change of the index's other attributes.
            created, item_id = reads.decode_cursor(after, 2)
            condition += " AND #sk < :after"
            names["#sk"] = schema.GSI2SK
            values[":after"] = {"S": keys.time_id(_cursor_time(created), item_id)}
        if limit <= 0:
            return Page([], None)
        request = {
            "TableName": self._table,
            "IndexName": schema.GSI2,
            "KeyConditionExpression": condition,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
            "ScanIndexForward": False,  # newest first
        }
        # One more than a page tells whether another page exists, without a second read.
        found = list(
            islice(self._decode_all(reads.query(self._client, request, limit + 1)), limit + 1)
        )
        page = found[:limit]
        cursor = None
        if len(found) > limit:
            cursor = reads.encode_cursor([utc_iso(page[-1].created_at), page[-1].id])
        return Page(page, cursor)

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
