"""Reads of the geo indexes: one key range of one partition per read, sent together.

GSI1 holds searchable items under ``GEO#<gh[:2]>#<category>``, GSI3 the same items under
``GEO#<gh[:2]>``; both sort by ``<geohash>#<id>``, so a run of geohashes is one
``BETWEEN`` range, read forwards or backwards (``ScanIndexForward``), and a read that
stopped at an item resumes right after it through ``ExclusiveStartKey``. ``Limit`` caps
what each query reads (and bills): the walk asks for what its page can use. The reads
of one round do not depend on each other, so they go out on a small thread pool (boto3
clients are thread-safe): a round costs about one round trip however many ranges it reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from itertools import islice
from typing import Any

from ecobid_adapters.aws.dynamodb import keys, reads, schema
from ecobid_core import geo

#: More than a round sends (``geo.nearest.MOST_RUNS``, runs across two partitions).
_WORKERS = 8
_pool: ThreadPoolExecutor | None = None


def _shared_pool() -> ThreadPoolExecutor:
    # Made on first use and kept for the process: a Lambda reuses it across requests.
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=_WORKERS, thread_name_prefix="geo-read")
    return _pool


def range_query(table: str, read: geo.RangeRead, category: str | None) -> dict[str, Any]:
    index, pk_name, sk_name = (
        (schema.GSI3, schema.GSI3PK, schema.GSI3SK)
        if category is None
        else (schema.GSI1, schema.GSI1PK, schema.GSI1SK)
    )
    first, last = keys.geo_range(read.first, read.last)
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
        "ScanIndexForward": read.forward,
    }
    if read.after is not None:
        geohash, item_id = read.after
        request["ExclusiveStartKey"] = {
            pk_name: {"S": partition},
            sk_name: {"S": keys.geo_position(geohash, item_id)},
            **{name: {"S": value} for name, value in keys.item(item_id).items()},
        }
    return request


def _read_one(client: Any, table: str, read: geo.RangeRead, category: str | None) -> list[Any]:
    request = range_query(table, read, category)
    return list(islice(reads.query(client, request, page_size=read.limit), read.limit))


def read_ranges(
    client: Any, table: str, range_reads: Sequence[geo.RangeRead], category: str | None
) -> list[list[Any]]:
    """The records of each read, in order; each at most its limit, in its direction."""
    if len(range_reads) == 1:
        return [_read_one(client, table, range_reads[0], category)]
    pool = _shared_pool()
    futures = [pool.submit(_read_one, client, table, read, category) for read in range_reads]
    return [future.result() for future in futures]
