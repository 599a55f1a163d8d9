"""Reads: consistent GetItem, paginated Query, BatchGetItem, and opaque cursors.

Never Scan: every request path reads one record by key or one key range of one index
partition, so its cost grows with the answer, not with the table.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

from ecobid_adapters.aws.dynamodb import codec, keys, schema
from ecobid_adapters.aws.dynamodb.errors import call
from ecobid_core.errors import Unavailable

Record = dict[str, Any]

_BATCH_GET_MAX = 100
_UNPROCESSED_ROUNDS = 5


def get(client: Any, table: str, key: Mapping[str, str]) -> Record | None:
    # Consistent: a read-modify-write must see the version the last commit left,
    # or its conditional write would fail for no reason.
    response = call(client.get_item, TableName=table, Key=codec.serialize(key), ConsistentRead=True)
    item = response.get("Item")
    return codec.deserialize(item) if item else None


def query(
    client: Any, request: Mapping[str, Any], page_size: int | None = None
) -> Iterator[Record]:
    """Yield a query's records, page after page; stop consuming to stop reading.

    ``page_size`` bounds what each page reads, so a caller that needs the first n
    records pays for about n, not for the 1 MB a page may hold.
    """
    params = dict(request)
    if page_size is not None:
        params["Limit"] = max(1, page_size)
    while True:
        response = call(client.query, **params)
        for item in response.get("Items", []):
            yield codec.deserialize(item)
        last = response.get("LastEvaluatedKey")
        if not last:
            return
        params["ExclusiveStartKey"] = last


def batch_get(client: Any, table: str, keys: Sequence[Mapping[str, str]]) -> list[Record]:
    """Records for many keys, consistently read; order not kept, missing keys skipped."""
    found: list[Record] = []
    for start in range(0, len(keys), _BATCH_GET_MAX):
        pending: Any = {
            table: {
                "Keys": [codec.serialize(key) for key in keys[start : start + _BATCH_GET_MAX]],
                "ConsistentRead": True,
            }
        }
        for round_number in range(_UNPROCESSED_ROUNDS):
            response = call(client.batch_get_item, RequestItems=pending)
            found.extend(codec.deserialize(item) for item in response["Responses"].get(table, []))
            pending = response.get("UnprocessedKeys") or {}
            if not pending:
                break
            # Unprocessed keys are DynamoDB shedding load: back off before asking again.
            time.sleep(0.05 * 2**round_number)
        else:
            raise Unavailable("DynamoDB kept keys of a batch read unprocessed")
    return found


def due_before(table: str, partition: str, now: datetime) -> dict[str, Any]:
    """A query of one sparse GSI1 partition kept in due-time order, for what is due by now."""
    return {
        "TableName": table,
        "IndexName": schema.GSI1,
        "KeyConditionExpression": "#pk = :pk AND #sk < :due",
        "ExpressionAttributeNames": {"#pk": schema.GSI1PK, "#sk": schema.GSI1SK},
        "ExpressionAttributeValues": {
            ":pk": {"S": partition},
            ":due": {"S": keys.before(now)},
        },
    }
