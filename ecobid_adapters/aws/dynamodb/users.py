"""User profiles: by id, and by home cell to tell neighbours of a new item.

Only a profile with a home location carries GSI1 keys (partition: the home geohash's
3-character prefix; sort key: the full geohash), so a cell is a ``begins_with`` on one
partition and users without a location cost nothing to skip.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ecobid_adapters.aws.dynamodb import keys, reads, schema
from ecobid_adapters.aws.dynamodb.repository import VersionedRepository
from ecobid_core.model.user import UserProfile


class DynamoUsers(VersionedRepository[UserProfile]):
    entity_type = UserProfile
    entity_name = "User"

    def key_of(self, entity: UserProfile) -> keys.Key:
        return keys.user(entity.id)

    def indexes_of(self, entity: UserProfile) -> keys.Key:
        return keys.user_indexes(entity)

    def get(self, user_id: str) -> UserProfile | None:
        return self._load(keys.user(user_id))

    def in_cells(self, cells: Sequence[str]) -> list[UserProfile]:
        found: dict[str, UserProfile] = {}
        for cell in keys.partition_cells(cells):
            request: dict[str, Any] = {
                "TableName": self._table,
                "IndexName": schema.GSI1,
                "KeyConditionExpression": "#pk = :pk",
                "ExpressionAttributeNames": {"#pk": schema.GSI1PK},
                "ExpressionAttributeValues": {":pk": {"S": keys.home_partition(cell)}},
            }
            if len(cell) > keys.HOME_PARTITION:
                request["KeyConditionExpression"] += " AND begins_with(#sk, :cell)"
                request["ExpressionAttributeNames"]["#sk"] = schema.GSI1SK
                request["ExpressionAttributeValues"][":cell"] = {"S": cell}
            for user in self._decode_all(reads.query(self._client, request)):
                if user.location is not None:
                    found[user.id] = user
        return list(found.values())
