"""What every DynamoDB repository shares: read by key, stage conditional writes.

Mirrors the port's rules exactly (and so the memory adapter's): ``add`` requires that no
record exists; ``update`` requires the version this unit of work read the entity at and
stores the one the entity carries now (aggregates advance their own); write-once records
carry no version. Events are pulled from the
aggregate when its write is staged, so they commit or vanish with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from itertools import islice
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from ecobid_adapters import cursors
from ecobid_adapters.aws.dynamodb import codec, keys, reads, schema, writes
from ecobid_adapters.aws.dynamodb.keys import Key
from ecobid_adapters.read_versions import ReadVersions, Stored
from ecobid_core.model.events import DomainEvent
from ecobid_core.ports import Page

if TYPE_CHECKING:
    from ecobid_adapters.aws.dynamodb.unit_of_work import DynamoUnitOfWork

E = TypeVar("E")
V = TypeVar("V", bound=Stored)


class Repository(Generic[E]):
    entity_type: ClassVar[type]
    entity_name: ClassVar[str]

    def __init__(self, uow: DynamoUnitOfWork) -> None:
        self._uow = uow

    # -- what each entity says about itself --------------------------------------------
    def key_of(self, entity: E) -> Key:
        raise NotImplementedError

    def indexes_of(self, entity: E) -> Key:
        return {}

    def derived_writes(self, entity: E, expected: int | None) -> list[writes.Write]:
        """Records kept in step with this one (extra index slots), in the same commit.

        ``expected`` is the version the entity was read at, None for a new one.
        """
        return []

    # -- shared machinery ----------------------------------------------------------------
    @property
    def _client(self) -> Any:
        return self._uow.client

    @property
    def _table(self) -> str:
        return self._uow.table_name

    def _label(self, entity: Any) -> str:
        return f"{self.entity_name} {entity.id}"

    def _record(self, entity: E) -> dict[str, Any]:
        return {
            **codec.to_record(entity),
            **self.key_of(entity),
            **self.indexes_of(entity),
            "entity": self.entity_name,
        }

    def _decode(self, record: Mapping[str, Any]) -> E:
        entity: E = codec.from_record(record, self.entity_type)
        return entity

    def _load(self, key: Key) -> E | None:
        record = reads.get(self._client, self._table, key)
        return None if record is None else self._decode(record)

    def _decode_all(self, records: Iterable[Mapping[str, Any]]) -> Iterator[E]:
        for record in records:
            if record.get("entity") == self.entity_name:
                yield self._decode(record)

    def _newest_first(self, kind: str, partition: str, limit: int, after: str | None) -> Page[E]:
        """A page of one GSI2 ("user + time") partition, newest first.

        The cursor is the last record's (created_at, id): a position, not a key, so a page
        boundary survives a change of the index's other attributes. ``kind`` names the
        listing, so that its cursors are refused by every other one.
        """
        names = {"#pk": schema.GSI2PK}
        values: dict[str, Any] = {":pk": {"S": partition}}
        condition = "#pk = :pk"
        if after is not None:
            created, entity_id = cursors.decode_time_id(after, kind)
            condition += " AND #sk < :after"
            names["#sk"] = schema.GSI2SK
            values[":after"] = {"S": keys.time_id(created, entity_id)}
        if limit <= 0:
            return Page([], None)
        request = {
            "TableName": self._table,
            "IndexName": schema.GSI2,
            "KeyConditionExpression": condition,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
            "ScanIndexForward": False,
        }
        # One more than a page tells whether another page exists, without a second read.
        found: list[Any] = list(
            islice(self._decode_all(reads.query(self._client, request, limit + 1)), limit + 1)
        )
        page = found[:limit]
        cursor = None
        if len(found) > limit:
            cursor = cursors.encode_time_id(kind, page[-1].created_at, page[-1].id)
        return Page(page, cursor)

    def _stage(self, entity: E, primary: writes.Write) -> None:
        pull = getattr(entity, "pull_events", None)
        events: list[DomainEvent] = pull() if pull is not None else []
        self._uow.stage([primary, *self.derived_writes(entity, primary.expected)], events)

    def add(self, entity: E) -> None:
        self._stage(entity, writes.put_new(self._table, self._record(entity), self._label(entity)))


class VersionedRepository(Repository[V]):
    """An aggregate's records: an update is conditioned on the version this unit of work read."""

    def __init__(self, uow: DynamoUnitOfWork) -> None:
        super().__init__(uow)
        self._read = ReadVersions(self.entity_name)

    def _decode(self, record: Mapping[str, Any]) -> V:
        entity = super()._decode(record)
        self._read.saw(entity)
        return entity

    def update(self, entity: V) -> None:
        write = writes.put_versioned(
            self._table, self._record(entity), self._label(entity), self._read.of(entity)
        )
        self._stage(entity, write)
