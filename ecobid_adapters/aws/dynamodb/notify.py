"""DynamoDB stores of notifications that reach people (keys: ``notify_keys``).

Fan-out writes notifications with ``BatchWriteItem`` (25 puts a call) after one
``BatchGetItem`` (100 keys a call) has told which already exist, so a redelivered event
writes nothing, and a new one costs a write call per 25 notifications, not a read and
a commit for each. A batch write carries no condition: the ids are derived from the
event and the recipient, so a put that did race another delivery writes the same record.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Mapping, Sequence
from itertools import islice
from typing import Any

import cattrs
from attrs import evolve
from botocore.exceptions import ClientError

from ecobid_adapters import cursors
from ecobid_adapters.aws.converters import utc_converter
from ecobid_adapters.aws.dynamodb import codec, keys, notify_keys, reads, schema
from ecobid_adapters.aws.dynamodb.errors import call
from ecobid_core.errors import ConcurrentUpdate, Unavailable
from ecobid_core.model.alerts import Alert
from ecobid_core.model.devices import PushSettings
from ecobid_core.model.push import expires_at
from ecobid_core.model.records import Notification
from ecobid_core.ports import Page

USER_NOTIFICATIONS = "user-notifications"
BATCH_WRITE_MAX = 25
_UNPROCESSED_ROUNDS = 6
#: A rate window's record outlives its hour by one, then TTL may drop it.
_RATE_RECORD_SECONDS = 2 * 3600


def _json_converter() -> cattrs.Converter:
    converter = utc_converter()
    # JSON has no sets: a frozenset (the types switched off) is stored as a sorted list.
    converter.register_unstructure_hook_func(
        lambda kind: kind is frozenset or getattr(kind, "__origin__", None) is frozenset, sorted
    )
    return converter


_JSON = _json_converter()


def _dump(entity: Any) -> str:
    return json.dumps(_JSON.unstructure(entity), separators=(",", ":"))


def _load(text: str, entity_type: type[Any]) -> Any:
    return _JSON.structure(json.loads(text), entity_type)


def batch_write(client: Any, table: str, requests: Sequence[Mapping[str, Any]]) -> int:
    """Puts and deletes, 25 a call, unprocessed ones sent again; returns calls made."""
    calls = 0
    for start in range(0, len(requests), BATCH_WRITE_MAX):
        pending: Any = {table: list(requests[start : start + BATCH_WRITE_MAX])}
        for round_number in range(_UNPROCESSED_ROUNDS):
            calls += 1
            response = call(client.batch_write_item, RequestItems=pending)
            pending = response.get("UnprocessedItems") or {}
            if not pending:
                break
            # DynamoDB shedding load: back off before the rest (its documented advice).
            time.sleep(0.05 * 2**round_number)
        else:
            raise Unavailable("DynamoDB kept writes of a batch unprocessed")
    return calls


def _put(record: Mapping[str, Any]) -> dict[str, Any]:
    return {"PutRequest": {"Item": codec.serialize(record)}}


def _delete(key: Mapping[str, str]) -> dict[str, Any]:
    return {"DeleteRequest": {"Key": codec.serialize(key)}}


class _Store:
    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table


class DynamoPushSettings(_Store):
    def _record(self, settings: PushSettings) -> dict[str, Any]:
        return {
            **notify_keys.push_settings(settings.user_id),
            "entity": "PushSettings",
            "version": settings.version,
            "data": _dump(settings),
        }

    def get(self, user_id: str) -> PushSettings | None:
        record = reads.get(self._client, self._table, notify_keys.push_settings(user_id))
        return None if record is None else _load(record["data"], PushSettings)

    def many(self, user_ids: Sequence[str]) -> dict[str, PushSettings]:
        wanted = [notify_keys.push_settings(u) for u in user_ids]
        found = [
            _load(r["data"], PushSettings)
            for r in reads.batch_get(self._client, self._table, wanted)
        ]
        return {s.user_id: s for s in found}

    def save(self, settings: PushSettings, read_version: int | None) -> None:
        request: dict[str, Any] = {
            "TableName": self._table,
            "Item": codec.serialize(self._record(settings)),
        }
        if read_version is None:
            request["ConditionExpression"] = "attribute_not_exists(#pk)"
            request["ExpressionAttributeNames"] = {"#pk": schema.PK}
        else:
            request["ConditionExpression"] = "#version = :expected"
            request["ExpressionAttributeNames"] = {"#version": "version"}
            request["ExpressionAttributeValues"] = {":expected": {"N": str(read_version)}}
        try:
            call(self._client.put_item, **request)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                raise ConcurrentUpdate(f"push settings of {settings.user_id} changed") from error
            raise

    def token_owner(self, token: str) -> tuple[str, str] | None:
        record = reads.get(self._client, self._table, notify_keys.push_token(token))
        return None if record is None else (record["userId"], record["deviceId"])

    def hold_token(self, token: str, user_id: str, device_id: str) -> None:
        record = {**notify_keys.push_token(token), "userId": user_id, "deviceId": device_id}
        call(self._client.put_item, TableName=self._table, Item=codec.serialize(record))

    def release_token(self, token: str, user_id: str, device_id: str) -> None:
        try:
            call(
                self._client.delete_item,
                TableName=self._table,
                Key=codec.serialize(notify_keys.push_token(token)),
                ConditionExpression="userId = :user AND deviceId = :device",
                ExpressionAttributeValues={":user": {"S": user_id}, ":device": {"S": device_id}},
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise  # else another device holds it now: leave it


class DynamoAlerts(_Store):
    #: Index entries read by ``filed_under`` (the bench's meter).
    entries_read = 0

    def for_user(self, user_id: str) -> list[Alert]:
        request = {
            "TableName": self._table,
            "KeyConditionExpression": "#pk = :pk AND begins_with(#sk, :alerts)",
            "ExpressionAttributeNames": {"#pk": schema.PK, "#sk": schema.SK},
            "ExpressionAttributeValues": {
                ":pk": {"S": keys.user(user_id)[schema.PK]},
                ":alerts": {"S": notify_keys.ALERT_PREFIX},
            },
            "ConsistentRead": True,
        }
        found = [_load(r["data"], Alert) for r in reads.query(self._client, request)]
        return sorted(found, key=lambda a: (a.created_at, a.id))

    def put(self, alert: Alert, previous: Alert | None) -> None:
        data = _dump(alert)
        cells = alert.filing_cells()
        requests = [_put({**notify_keys.alert(alert.user_id, alert.id), "data": data})]
        requests += [
            _put({**notify_keys.filed_alert(c, alert.user_id, alert.id), "data": data})
            for c in cells
        ]
        if previous is not None:
            stale = set(previous.filing_cells()) - set(cells)
            requests += [
                _delete(notify_keys.filed_alert(c, alert.user_id, alert.id)) for c in sorted(stale)
            ]
        batch_write(self._client, self._table, requests)

    def delete(self, alert: Alert) -> None:
        requests = [
            _delete(notify_keys.filed_alert(c, alert.user_id, alert.id))
            for c in alert.filing_cells()
        ]
        requests.append(_delete(notify_keys.alert(alert.user_id, alert.id)))
        batch_write(self._client, self._table, requests)

    def filed_under(self, cells: Sequence[str]) -> list[Alert]:
        found: list[Alert] = []
        for cell in cells:
            request = {
                "TableName": self._table,
                "KeyConditionExpression": "#pk = :pk",
                "ExpressionAttributeNames": {"#pk": schema.PK},
                "ExpressionAttributeValues": {":pk": {"S": notify_keys.alert_cell(cell)}},
            }
            for record in reads.query(self._client, request):
                DynamoAlerts.entries_read += 1
                found.append(_load(record["data"], Alert))
        return found


class DynamoInbox(_Store):
    #: BatchWriteItem calls made for notifications (the bench's meter).
    write_calls = 0

    def _record(self, n: Notification) -> dict[str, Any]:
        record = {
            **codec.to_record(n),
            **keys.notification(n.id),
            **keys.notification_indexes(n),
            "entity": "Notification",
            schema.TTL_ATTRIBUTE: expires_at(n.created_at),
        }
        if not n.read:
            record |= notify_keys.unread_indexes(n.user_id, n.created_at, n.id)
        return record

    def existing(self, notification_ids: Sequence[str]) -> set[str]:
        wanted = [keys.notification(i) for i in notification_ids]
        return {str(r["id"]) for r in reads.batch_get(self._client, self._table, wanted)}

    def add_all(self, notifications: Sequence[Notification]) -> None:
        if notifications:
            calls = batch_write(
                self._client, self._table, [_put(self._record(n)) for n in notifications]
            )
            DynamoInbox.write_calls += calls

    def page(self, user_id: str, limit: int, cursor: str | None) -> Page[Notification]:
        names = {"#pk": schema.GSI2PK}
        values: dict[str, Any] = {":pk": {"S": keys.user_notifications(user_id)}}
        condition = "#pk = :pk"
        if cursor is not None:
            created, entity_id = cursors.decode_time_id(cursor, USER_NOTIFICATIONS)
            condition += " AND #sk < :after"
            names["#sk"] = schema.GSI2SK
            values[":after"] = {"S": keys.time_id(created, entity_id)}
        request = {
            "TableName": self._table,
            "IndexName": schema.GSI2,
            "KeyConditionExpression": condition,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
            "ScanIndexForward": False,
        }
        found = list(
            islice(_notifications(reads.query(self._client, request, limit + 1)), limit + 1)
        )
        page = found[:limit]
        more = len(found) > limit
        next_cursor = (
            cursors.encode_time_id(USER_NOTIFICATIONS, page[-1].created_at, page[-1].id)
            if more
            else None
        )
        return Page(page, next_cursor)

    def _unread_query(self, user_id: str) -> dict[str, Any]:
        return {
            "TableName": self._table,
            "IndexName": schema.GSI3,
            "KeyConditionExpression": "#pk = :pk",
            "ExpressionAttributeNames": {"#pk": schema.GSI3PK},
            "ExpressionAttributeValues": {":pk": {"S": notify_keys.unread(user_id)}},
        }

    def unread_count(self, user_id: str) -> int:
        params = {**self._unread_query(user_id), "Select": "COUNT"}
        total = 0
        while True:
            response = call(self._client.query, **params)
            total += int(response.get("Count", 0))
            last = response.get("LastEvaluatedKey")
            if not last:
                return total
            params["ExclusiveStartKey"] = last

    def mark_read(self, user_id: str, notification_ids: Sequence[str] | None) -> None:
        if notification_ids is None:
            candidates: Iterable[Notification] = _notifications(
                reads.query(self._client, self._unread_query(user_id))
            )
        else:
            wanted = [keys.notification(i) for i in notification_ids]
            candidates = _notifications(reads.batch_get(self._client, self._table, wanted))
        changed = [evolve(n, read=True) for n in candidates if n.user_id == user_id and not n.read]
        if changed:
            batch_write(self._client, self._table, [_put(self._record(n)) for n in changed])


def _notifications(records: Iterable[Mapping[str, Any]]) -> Iterable[Notification]:
    for record in records:
        if record.get("entity") == "Notification":
            yield codec.from_record(record, Notification)


class DynamoPushRates(_Store):
    def counts(self, user_ids: Sequence[str], hour: str) -> dict[str, int]:
        wanted = [notify_keys.push_rate(u, hour) for u in user_ids]
        found = reads.batch_get(self._client, self._table, wanted)
        return {str(r["userId"]): int(r["count"]) for r in found}

    def record(self, counts: Mapping[str, int], hour: str) -> None:
        until = int(time.time()) + _RATE_RECORD_SECONDS
        batch_write(
            self._client,
            self._table,
            [
                _put(
                    {
                        **notify_keys.push_rate(user, hour),
                        "userId": user,
                        "count": count,
                        schema.TTL_ATTRIBUTE: until,
                    }
                )
                for user, count in counts.items()
            ],
        )
