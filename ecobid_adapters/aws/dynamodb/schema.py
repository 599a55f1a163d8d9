"""The single table's shape: names shared with Terraform, and a creator for tests and tools.

Terraform declares the same table in production; the constants here are the one place the
adapter, the tests and the Terraform module's expectations agree on, so a renamed index
breaks a test instead of a request.
"""

from __future__ import annotations

from typing import Any, Final

TABLE_NAME_TEMPLATE: Final = "ecobid-{env}-items"

PK: Final = "PK"
SK: Final = "SK"

#: Overloaded: geohash + category of searchable items, due auctions and pending
#: reservations by expiry. Each use writes its own partition-key prefix.
GSI1: Final = "GSI1"
GSI1PK: Final = "GSI1PK"
GSI1SK: Final = "GSI1SK"

#: Overloaded: a user's things by time (an owner's items, a user's notifications).
GSI2: Final = "GSI2"
GSI2PK: Final = "GSI2PK"
GSI2SK: Final = "GSI2SK"

#: Searchable items by geohash alone, so a search without category is one query per
#: key range rather than one per key range and category.
GSI3: Final = "GSI3"
GSI3PK: Final = "GSI3PK"
GSI3SK: Final = "GSI3SK"

INDEXES: Final = {GSI1: (GSI1PK, GSI1SK), GSI2: (GSI2PK, GSI2SK), GSI3: (GSI3PK, GSI3SK)}

#: Epoch seconds after which DynamoDB may delete a record, days late perhaps: only for
#: housekeeping (the outbox), never for a business rule.
TTL_ATTRIBUTE: Final = "expiresAt"

#: The outbox needs only the new image; the publisher forwards inserted event records.
STREAM_VIEW: Final = "NEW_IMAGE"


def table_name(env: str) -> str:
    return TABLE_NAME_TEMPLATE.format(env=env)


def table_definition(name: str) -> dict[str, Any]:
    """The ``CreateTable`` request: on demand, three GSIs with every attribute, a stream."""
    key_names = [PK, SK, *(key for pair in INDEXES.values() for key in pair)]
    return {
        "TableName": name,
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [
            {"AttributeName": attribute, "AttributeType": "S"} for attribute in key_names
        ],
        "KeySchema": [
            {"AttributeName": PK, "KeyType": "HASH"},
            {"AttributeName": SK, "KeyType": "RANGE"},
        ],
        "GlobalSecondaryIndexes": [
            {
                "IndexName": index,
                "KeySchema": [
                    {"AttributeName": hash_key, "KeyType": "HASH"},
                    {"AttributeName": range_key, "KeyType": "RANGE"},
                ],
                # ALL: a search or a listing is answered from the index alone, with no
                # follow-up GetItem per hit.
                "Projection": {"ProjectionType": "ALL"},
            }
            for index, (hash_key, range_key) in INDEXES.items()
        ],
        "StreamSpecification": {"StreamEnabled": True, "StreamViewType": STREAM_VIEW},
    }


def create_table(client: Any, table_name: str) -> None:
    """Create the table, wait until it is active, then switch on TTL.

    TTL can only be enabled on an active table, hence the order.
    """
    client.create_table(**table_definition(table_name))
    client.get_waiter("table_exists").wait(
        TableName=table_name, WaiterConfig={"Delay": 1, "MaxAttempts": 120}
    )
    client.update_time_to_live(
        TableName=table_name,
        TimeToLiveSpecification={"Enabled": True, "AttributeName": TTL_ATTRIBUTE},
    )
