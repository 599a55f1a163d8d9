"""Reads of the geo indexes: one key range of one partition per cell, sent together.

GSI1 holds searchable items under ``GEO#<gh[:3]>#<category>``, GSI3 the same items under
``GEO#<gh[:3]>``; both sort by ``<geohash>#<id>``, so a cell at any bit of precision is one
``BETWEEN`` range, and a read that stopped at an item resumes right after it through
``ExclusiveStartKey``. ``Limit`` caps what each query reads (and bills): the walk asks
for what its page can use. The reads of one step do not depend on each other, so they
go out on a small thread pool (boto3 clients are thread-safe): a step costs about one
round trip however many cells it reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from itertools import islice
from typing import Any

from ecobid_adapters.aws.dynamodb import keys, reads, schema
from ecobid_core import geo

#: As many as a step sends (``geo.nearest.READS_PER_STEP``).
_WORKERS = 8
_pool: ThreadPoolExecutor | None = None


def _shared_pool() -> ThreadPoolExecutor:
    # Made on first use and kept for the process: a Lambda reuses it across requests.
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=_WORKERS, thread_name_prefix="geo-read")
    return _pool


def cell_query(table: str, read: geo.CellRead, category: str | None) -> dict[str, Any]:
    index, pk_name, sk_name = (
        (schema.GSI3, schema.GSI3PK, schema.GSI3SK)
        if category is None
        else (schema.GSI1, schema.GSI1PK, schema.GSI1SK)
    )
    first, last = keys.geo_range(read.cell)
    partition = keys.geo_partition(first, category)
    request: dict[str, Any] = {
        "TableName": table,
        "IndexName": index,
        "KeyConditionExpression": "#pk = :pk AND #sk BETWEEN :first AND :last",
        "ExpressionAttributeNames": {"#pk": pk_name, "#sk": sk_name},
        "ExpressionAttributeValues": {
            ":pk": {"S": partition},
            ":first": {"S": first},
            ":last": {"S": last},
        },
    }
    if read.after is not None:
        geohash, item_id = read.after
        request["ExclusiveStartKey"] = {
            pk_name: {"S": partition},
            sk_name: {"S": keys.geo_position(geohash, item_id)},
            **{name: {"S": value} for name, value in keys.item(item_id).items()},
        }
    return request


def _read_one(client: Any, table: str, read: geo.CellRead, category: str | None) -> list[Any]:
    request = cell_query(table, read, category)
    return list(islice(reads.query(client, request, page_size=read.limit), read.limit))


def read_cells(
    client: Any, table: str, cell_reads: Sequence[geo.CellRead], category: str | None
) -> list[list[Any]]:
    """The records of each read, in order; each at most its limit, in sort-key order."""
    if len(cell_reads) == 1:
        return [_read_one(client, table, cell_reads[0], category)]
    pool = _shared_pool()
    futures = [pool.submit(_read_one, client, table, read, category) for read in cell_reads]
    return [future.result() for future in futures]
