"""Domain objects to DynamoDB attribute values and back.

The core knows nothing of storage types, so every conversion happens here, at the edge:
DynamoDB refuses floats and returns every number as ``Decimal``; times are stored as
fixed-width ISO strings in UTC, so that they sort as text exactly as they do in time (the
keys rely on it); enums are stored by value. Events have a wire form of their own
(``ecobid_adapters.aws.event_codec``), which the outbox stores as JSON text.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, TypeVar

import cattrs
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from cattrs.gen import override

from ecobid_adapters.aws.converters import register_fields, utc_converter
from ecobid_core.model.item import Item
from ecobid_core.model.reservation import Reservation
from ecobid_core.model.user import UserProfile

T = TypeVar("T")


def _storage_converter() -> cattrs.Converter:
    converter = utc_converter()
    # str(x) first: Decimal(52.52) would keep the binary float's 50 odd digits.
    converter.register_unstructure_hook(float, lambda value: Decimal(str(value)))
    converter.register_structure_hook(float, lambda value, _type: float(value))
    converter.register_structure_hook(int, lambda value, _type: int(value))
    for aggregate in (Item, Reservation, UserProfile):
        # Pending events belong to the unit of work (the outbox), not to the record.
        register_fields(converter, aggregate, {"pending_events": override(omit=True)})
    return converter


STORAGE = _storage_converter()
_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def to_record(entity: Any) -> dict[str, Any]:
    """The entity's fields as plain values DynamoDB accepts (no float, no datetime)."""
    record: dict[str, Any] = STORAGE.unstructure(entity)
    return record


def from_record(record: Mapping[str, Any], entity_type: type[T]) -> T:
    """Rebuild an entity; key and index attributes are simply not fields, so ignored."""
    return STORAGE.structure(dict(record), entity_type)


def serialize(record: Mapping[str, Any]) -> dict[str, Any]:
    """Plain values to the low-level client's ``{"S": ...}`` attribute values."""
    return {name: _serializer.serialize(value) for name, value in record.items()}


def deserialize(attributes: Mapping[str, Any]) -> dict[str, Any]:
    return {name: _deserializer.deserialize(value) for name, value in attributes.items()}
