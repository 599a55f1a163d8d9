"""The capacity model against DynamoDB's documented sizing rules, and on a real client."""

from __future__ import annotations

from typing import Any

import pytest

from ecobid_adapters.aws.dynamodb import schema
from ecobid_adapters.aws.dynamodb.capacity import (
    CapacityMeter,
    item_size,
    read_units,
    value_size,
    write_units,
)


@pytest.mark.parametrize(
    ("value", "size"),
    [
        ({"S": "abc"}, 3),
        ({"S": "größe"}, 7),  # UTF-8 bytes, not characters
        ({"N": "12345"}, 4),  # 5 significant digits -> 3 + 1
        ({"N": "100"}, 2),  # trailing zeros are not significant
        ({"BOOL": True}, 1),
        ({"NULL": True}, 1),
        ({"L": [{"S": "ab"}, {"N": "1"}]}, 3 + (2 + 1) + (2 + 1)),
        ({"M": {"k": {"S": "v"}}}, 3 + 1 + 1 + 1),
    ],
)
def test_value_sizes_follow_the_documented_rules(value: dict[str, Any], size: int) -> None:
    assert value_size(value) == size


def test_attribute_names_count_towards_the_item_size() -> None:
    assert item_size({"PK": {"S": "ITEM#1"}, "title": {"S": "chair"}}) == 2 + 6 + 5 + 5


def test_units_round_up_per_block() -> None:
    assert read_units(1, consistent=True) == 1
    assert read_units(4096, consistent=True) == 1
    assert read_units(4097, consistent=True) == 2
    assert read_units(4097, consistent=False) == 1
    assert read_units(100, consistent=True, transactional=True) == 2
    assert write_units(1024) == 1
    assert write_units(1025) == 2
    assert write_units(10, transactional=True) == 2


class _Model:
    def __init__(self, name: str) -> None:
        self.name = name


def _call(meter: CapacityMeter, name: str, params: dict[str, Any], parsed: dict[str, Any]) -> None:
    context: dict[str, Any] = {}
    meter._on_request(params=params, model=_Model(name), context=context)
    meter._on_response(parsed=parsed, model=_Model(name), context=context)


def test_a_transactional_put_pays_double_plus_its_index_writes() -> None:
    hash_key, range_key = schema.INDEXES[schema.GSI2]
    item = {"PK": {"S": "A"}, "SK": {"S": "B"}, hash_key: {"S": "O"}, range_key: {"S": "T"}}
    meter = CapacityMeter()
    _call(meter, "TransactWriteItems", {"TransactItems": [{"Put": {"Item": item}}]}, {})
    assert meter.write_units == 2 + 1  # 2 for the transactional write, 1 for the index


def test_index_queries_are_eventually_consistent_and_summed_before_rounding() -> None:
    items = [{"PK": {"S": "x" * 1000}}] * 3  # 3 x 1002 bytes: one 4 KB block in all
    meter = CapacityMeter()
    _call(meter, "Query", {"IndexName": "GSI1", "ConsistentRead": False}, {"Items": items})
    assert meter.read_units == 0.5
    meter.reset()
    _call(meter, "Query", {"ConsistentRead": True}, {"Items": items})
    assert meter.read_units == 1


def test_the_meter_sees_a_real_clients_calls(dynamodb: Any, table: str) -> None:
    meter = CapacityMeter()
    with meter.attached(dynamodb):
        dynamodb.put_item(TableName=table, Item={"PK": {"S": "cap#1"}, "SK": {"S": "X"}})
        dynamodb.get_item(
            TableName=table, Key={"PK": {"S": "cap#1"}, "SK": {"S": "X"}}, ConsistentRead=True
        )
    assert meter.write == {"PutItem": 1}
    assert meter.read == {"GetItem": 1}
