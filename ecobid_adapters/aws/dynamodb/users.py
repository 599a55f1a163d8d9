"""User profiles, read and written by id alone.

A profile is in no index. Profiles written before alerts replaced the home-cell rule
may still carry GSI1 keys (``HOME#...``): nothing queries them, reading ignores them
(they are not fields), and the profile's next write drops them, since every write puts
the whole record.
"""

from __future__ import annotations

from ecobid_adapters.aws.dynamodb import keys
from ecobid_adapters.aws.dynamodb.repository import VersionedRepository
from ecobid_core.model.user import UserProfile


class DynamoUsers(VersionedRepository[UserProfile]):
    entity_type = UserProfile
    entity_name = "User"

    def key_of(self, entity: UserProfile) -> keys.Key:
        return keys.user(entity.id)

    def get(self, user_id: str) -> UserProfile | None:
        return self._load(keys.user(user_id))
