"""Profiles in DynamoDB: in no index, and old profiles' home-cell entries fade out.

Profiles once carried GSI1 keys (``HOME#<gh[:3]>`` / ``<geohash>``) so that a new item
could reach everyone whose home was near; alerts replaced that rule. A profile written
then must still read, and its next write must leave the index.
"""

from __future__ import annotations

from typing import Any

from ecobid_adapters.aws.dynamodb import DynamoUnitOfWork, keys, schema
from ecobid_core import geo
from tests.contract import builders as b


def _home_entries(dynamodb: Any, table: str, partition: str) -> list[dict[str, Any]]:
    found = dynamodb.query(
        TableName=table,
        IndexName=schema.GSI1,
        KeyConditionExpression="#pk = :pk",
        ExpressionAttributeNames={"#pk": schema.GSI1PK},
        ExpressionAttributeValues={":pk": {"S": partition}},
    )
    items: list[dict[str, Any]] = found["Items"]
    return items


def _stored(dynamodb: Any, table: str, user_id: str) -> dict[str, Any]:
    record: dict[str, Any] = dynamodb.get_item(
        TableName=table, Key={name: {"S": value} for name, value in keys.user(user_id).items()}
    )["Item"]
    return record


def test_a_profile_write_adds_no_index_entry(dynamodb: Any, table: str) -> None:
    user = b.user(location=b.BERLIN)
    with DynamoUnitOfWork(dynamodb, table) as uow:
        uow.users.add(user)
        uow.commit()
    record = _stored(dynamodb, table, user.id)
    assert not {
        name for hash_key, range_key in schema.INDEXES.values() for name in (hash_key, range_key)
    } & set(record)


def test_an_old_profile_with_home_keys_reads_and_its_next_write_drops_them(
    dynamodb: Any, table: str
) -> None:
    user = b.user(location=b.BERLIN)
    with DynamoUnitOfWork(dynamodb, table) as uow:
        uow.users.add(user)
        uow.commit()
    home = geo.encode(b.BERLIN.lat, b.BERLIN.lon)
    partition = f"HOME#{home[:3]}"
    # The keys an earlier version of the adapter wrote with every located profile.
    dynamodb.update_item(
        TableName=table,
        Key={name: {"S": value} for name, value in keys.user(user.id).items()},
        UpdateExpression="SET #pk = :pk, #sk = :sk",
        ExpressionAttributeNames={"#pk": schema.GSI1PK, "#sk": schema.GSI1SK},
        ExpressionAttributeValues={":pk": {"S": partition}, ":sk": {"S": home}},
    )
    assert len(_home_entries(dynamodb, table, partition)) == 1

    with DynamoUnitOfWork(dynamodb, table) as uow:
        stored = uow.users.get(user.id)
        assert stored == user
        assert stored is not None
        stored.edit(b.NOW, bio="Still gives away books.")
        uow.users.update(stored)
        uow.commit()

    record = _stored(dynamodb, table, user.id)
    assert schema.GSI1PK not in record and schema.GSI1SK not in record
    assert record["version"] == {"N": str(user.version + 1)}
    assert _home_entries(dynamodb, table, partition) == []
    with DynamoUnitOfWork(dynamodb, table) as uow:
        again = uow.users.get(user.id)
    assert again is not None and again.bio == "Still gives away books."
