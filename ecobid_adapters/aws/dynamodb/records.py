"""Write-once records: transactions and bids.

They are never edited, so they carry no version and only ``add`` (if absent). Bids live
in their item's partition under a zero-padded sequence, so an item's bid history is one
consistent Query on the table itself, newest first, with no index to pay for. A
transaction is indexed for both its parties (``TRADES#<user>`` on GSI2): the record
itself for the seller, a copy in its partition for the buyer.
"""

from __future__ import annotations

from ecobid_adapters import cursors
from ecobid_adapters.aws.dynamodb import keys, reads, schema, writes
from ecobid_adapters.aws.dynamodb.repository import Repository
from ecobid_core.model.records import Bid, Transaction
from ecobid_core.ports import Page


class DynamoTransactions(Repository[Transaction]):
    entity_type = Transaction
    entity_name = "Transaction"

    def key_of(self, entity: Transaction) -> keys.Key:
        return keys.transaction_of(entity)

    def indexes_of(self, entity: Transaction) -> keys.Key:
        return keys.transaction_indexes(entity)

    def derived_writes(self, entity: Transaction, expected: int | None) -> list[writes.Write]:
        # The buyer's index entry: the record's own GSI2 slot serves the seller. Written
        # once, with the transaction, whose if-absent condition guards both.
        copy = {
            **self._record(entity),
            **keys.buyer_copy(entity),
            **keys.buyer_copy_indexes(entity),
        }
        return [writes.put_derived(self._table, copy, f"{self._label(entity)} (buyer)")]

    def get(self, transaction_id: str) -> Transaction | None:
        return self._load(keys.transaction(transaction_id))

    def for_user(self, user_id: str, limit: int, after: str | None) -> Page[Transaction]:
        return self._newest_first(
            cursors.USER_TRANSACTIONS, keys.user_trades(user_id), limit, after
        )


class DynamoBids(Repository[Bid]):
    entity_type = Bid
    entity_name = "Bid"

    def key_of(self, entity: Bid) -> keys.Key:
        return keys.bid_of(entity)

    def for_item(self, item_id: str) -> list[Bid]:
        request = {
            "TableName": self._table,
            "KeyConditionExpression": "#pk = :pk AND begins_with(#sk, :bids)",
            "ExpressionAttributeNames": {"#pk": schema.PK, "#sk": schema.SK},
            "ExpressionAttributeValues": {
                ":pk": {"S": keys.item(item_id)[schema.PK]},
                ":bids": {"S": keys.BID_PREFIX},
            },
            "ScanIndexForward": False,  # highest sequence, i.e. newest, first
            "ConsistentRead": True,
        }
        return list(self._decode_all(reads.query(self._client, request)))
