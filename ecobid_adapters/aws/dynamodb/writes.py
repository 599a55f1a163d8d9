"""Staged writes: one ``TransactWriteItems`` entry each, with the condition it carries.

The conditions are those of the repository port, checked by DynamoDB itself so that a
race is decided by the table, never by a read made earlier: ``attribute_not_exists`` for
a new record, ``#version = :expected`` for an update. ``ReturnValuesOnConditionCheckFailure``
asks for the record that was found, so the error can say what won.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from attrs import frozen

from ecobid_adapters.aws.dynamodb import codec, schema


@frozen
class Write:
    """One write of a commit. ``expected`` is None for a create, the version for an update."""

    request: Mapping[str, Any]
    label: str
    expected: int | None = None

    @property
    def key(self) -> tuple[str, str]:
        body = next(iter(self.request.values()))
        attributes = body.get("Item") or body["Key"]
        return attributes[schema.PK]["S"], attributes[schema.SK]["S"]


def put_new(table: str, record: Mapping[str, Any], label: str) -> Write:
    return Write(
        {
            "Put": {
                "TableName": table,
                "Item": codec.serialize(record),
                "ConditionExpression": "attribute_not_exists(#pk)",
                "ExpressionAttributeNames": {"#pk": schema.PK},
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            }
        },
        label,
    )


def put_versioned(table: str, record: Mapping[str, Any], label: str, expected: int) -> Write:
    return Write(
        {
            "Put": {
                "TableName": table,
                "Item": codec.serialize(record),
                # A missing record fails too: there is no version to match.
                "ConditionExpression": "#version = :expected",
                "ExpressionAttributeNames": {"#version": "version"},
                "ExpressionAttributeValues": {":expected": {"N": str(expected)}},
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            }
        },
        label,
        expected,
    )


def put_derived(table: str, record: Mapping[str, Any], label: str) -> Write:
    """A record kept in step with an entity whose own write carries the condition."""
    return Write({"Put": {"TableName": table, "Item": codec.serialize(record)}}, label)


def delete_derived(table: str, key: Mapping[str, str], label: str) -> Write:
    return Write({"Delete": {"TableName": table, "Key": codec.serialize(key)}}, label)


def as_put_item(write: Write) -> dict[str, Any] | None:
    """The plain ``PutItem`` request equal to a lone conditional put, if it is one.

    A lone write needs no transaction, and a plain write costs half the capacity of a
    transactional one; the condition, and so the behaviour, is the same.
    """
    body = write.request.get("Put")
    return None if body is None else dict(body)
