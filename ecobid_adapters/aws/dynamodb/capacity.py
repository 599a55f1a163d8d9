"""Read and write capacity units a request costs, by DynamoDB's published sizing rules.

On-demand tables bill request units computed exactly like provisioned capacity units, so
these figures are what the bill (and the cost model) is made of. They are computed from
what the client sends and receives, through botocore's event hooks, rather than taken
from ``ConsumedCapacity``: moto answers that with fixed numbers, so it would not tell us
what AWS would charge.

The rules (DynamoDB developer guide, "Read/write capacity mode" and "Item sizes"):
- an item's size is the UTF-8 length of its attribute names plus their values: a string
  its UTF-8 length, a number about one byte per two significant digits plus one, a
  binary its length, a boolean or null one byte, a list or map 3 bytes plus its
  elements plus one byte per element;
- reading is 1 unit per 4 KB for a strongly consistent read, half that eventually
  consistent (every index read is), twice that in a transaction; a ``Query`` rounds
  the sum of the items it read up once, a ``GetItem`` each item;
- writing is 1 unit per 1 KB, twice that in a transaction, plus one standard write per
  global secondary index the written item is in (projection ``ALL``: the item's size).

One approximation, stated: an update that moves an item out of an index costs a delete
there too, which cannot be seen without the old image; such writes are rare (a status
change) and are counted once.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from ecobid_adapters.aws.dynamodb import schema

_READ_BLOCK = 4096
_WRITE_BLOCK = 1024
_CONTEXT_KEY = "ecobid_capacity_request"


def value_size(value: Mapping[str, Any]) -> int:
    """Size in bytes of one attribute value in the low-level ``{"S": ...}`` form."""
    (kind, inner), *_ = value.items()
    if kind == "S":
        return len(str(inner).encode())
    if kind == "N":
        digits = Decimal(str(inner)).normalize().as_tuple().digits
        return math.ceil(len(digits) / 2) + 1
    if kind == "B":
        return len(inner)
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "L":
        return 3 + sum(value_size(element) + 1 for element in inner)
    if kind == "M":
        return 3 + sum(len(k.encode()) + value_size(v) + 1 for k, v in inner.items())
    if kind in ("SS", "NS", "BS"):
        return sum(value_size({kind[0]: element}) for element in inner)
    raise ValueError(f"unknown attribute type {kind!r}")


def item_size(item: Mapping[str, Mapping[str, Any]]) -> int:
    return sum(len(name.encode()) + value_size(value) for name, value in item.items())


def read_units(total_bytes: int, *, consistent: bool, transactional: bool = False) -> float:
    blocks = max(1, math.ceil(total_bytes / _READ_BLOCK))
    if transactional:
        return 2.0 * blocks
    return float(blocks) if consistent else blocks / 2


def write_units(size: int, *, transactional: bool = False) -> float:
    blocks = max(1, math.ceil(size / _WRITE_BLOCK))
    return float(2 * blocks if transactional else blocks)


def index_writes(item: Mapping[str, Any]) -> float:
    """Standard writes to the global secondary indexes that hold ``item``."""
    size = item_size(item)
    return sum(
        write_units(size)
        for hash_key, range_key in schema.INDEXES.values()
        if hash_key in item and range_key in item
    )


class CapacityMeter:
    """Read and write units spent through one client, per operation name."""

    def __init__(self) -> None:
        self.read: defaultdict[str, float] = defaultdict(float)
        self.write: defaultdict[str, float] = defaultdict(float)

    @property
    def read_units(self) -> float:
        return sum(self.read.values())

    @property
    def write_units(self) -> float:
        return sum(self.write.values())

    def reset(self) -> None:
        self.read.clear()
        self.write.clear()

    def _on_request(self, params: dict[str, Any], model: Any, context: Any, **_: Any) -> None:
        context[_CONTEXT_KEY] = params
        name = model.name
        if name == "TransactWriteItems":
            for entry in params.get("TransactItems", []):
                self._count_write(name, entry, transactional=True)
        elif name == "BatchWriteItem":
            for requests in params.get("RequestItems", {}).values():
                for request in requests:
                    self._count_write(name, request, transactional=False)
        elif name in ("PutItem", "DeleteItem", "UpdateItem"):
            self.write[name] += self._write_cost(params, transactional=False)

    def _count_write(self, name: str, entry: Mapping[str, Any], *, transactional: bool) -> None:
        for kind in ("Put", "PutRequest", "Delete", "DeleteRequest", "Update", "ConditionCheck"):
            if kind in entry:
                if kind == "ConditionCheck":  # billed as a transactional read-write check
                    self.write[name] += write_units(0, transactional=True)
                else:
                    self.write[name] += self._write_cost(entry[kind], transactional=transactional)

    @staticmethod
    def _write_cost(body: Mapping[str, Any], *, transactional: bool) -> float:
        item = body.get("Item")
        if item is None:  # a delete or an update: at least one block, by its key
            return write_units(item_size(body.get("Key", {})), transactional=transactional)
        return write_units(item_size(item), transactional=transactional) + index_writes(item)

    def _on_response(self, parsed: dict[str, Any], model: Any, context: Any, **_: Any) -> None:
        params = context.get(_CONTEXT_KEY, {})
        name = model.name
        consistent = bool(params.get("ConsistentRead")) and "IndexName" not in params
        if name in ("Query", "Scan"):
            total = sum(item_size(item) for item in parsed.get("Items", []))
            self.read[name] += read_units(total, consistent=consistent)
        elif name == "GetItem":
            self.read[name] += read_units(item_size(parsed.get("Item", {})), consistent=consistent)
        elif name == "BatchGetItem":
            for table, found in parsed.get("Responses", {}).items():
                table_consistent = bool(
                    params.get("RequestItems", {}).get(table, {}).get("ConsistentRead")
                )
                for item in found:
                    self.read[name] += read_units(item_size(item), consistent=table_consistent)
        elif name == "TransactGetItems":
            for response in parsed.get("Responses", []):
                self.read[name] += read_units(
                    item_size(response.get("Item", {})), consistent=True, transactional=True
                )

    @contextmanager
    def attached(self, client: Any) -> Iterator[CapacityMeter]:
        events, uid = client.meta.events, f"capacity-{id(self)}"
        events.register("provide-client-params.dynamodb", self._on_request, unique_id=uid)
        events.register("after-call.dynamodb", self._on_response, unique_id=uid + "-r")
        try:
            yield self
        finally:
            events.unregister("provide-client-params.dynamodb", unique_id=uid)
            events.unregister("after-call.dynamodb", unique_id=uid + "-r")
