"""Domain objects to DynamoDB attribute values and back, and domain events to JSON.

The core knows nothing of storage types, so every conversion happens here, at the edge:
DynamoDB refuses floats and returns every number as ``Decimal``; times are stored as
fixed-width ISO strings in UTC, so that they sort as text exactly as they do in time (the
keys rely on it); enums are stored by value. The event converter is JSON-safe because the
outbox detail travels on through the stream to EventBridge.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TypeVar

import attrs
import cattrs
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from ecobid_core.model.events import EVENT_TYPES, DomainEvent
from ecobid_core.model.item import Item
from ecobid_core.model.reservation import Reservation

T = TypeVar("T")

_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def utc_iso(moment: datetime) -> str:
    """A fixed-width UTC timestamp: text order is time order, microseconds included."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        # A naive time would be read as the machine's local time: refuse, do not guess.
        raise ValueError(f"a stored time needs a time zone: {moment!r}")
    return moment.astimezone(UTC).strftime(_TIME_FORMAT)


def parse_utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def _storage_converter() -> cattrs.Converter:
    converter = cattrs.Converter()
    converter.register_unstructure_hook(datetime, utc_iso)
    converter.register_structure_hook(datetime, lambda value, _type: parse_utc(value))
    # str(x) first: Decimal(52.52) would keep the binary float's 50 odd digits.
    converter.register_unstructure_hook(float, lambda value: Decimal(str(value)))
    converter.register_structure_hook(float, lambda value, _type: float(value))
    converter.register_structure_hook(int, lambda value, _type: int(value))
    for aggregate in (Item, Reservation):
        # Pending events belong to the unit of work (the outbox), not to the record.
        omit: dict[str, Any] = {"pending_events": override(omit=True)}
        converter.register_unstructure_hook(
            aggregate, make_dict_unstructure_fn(aggregate, converter, **omit)
        )
        converter.register_structure_hook(
            aggregate, make_dict_structure_fn(aggregate, converter, **omit)
        )
    return converter


def _camel(name: str) -> str:
    return re.sub(r"_([a-z])", lambda match: match.group(1).upper(), name)


def _event_converter() -> cattrs.Converter:
    converter = cattrs.Converter()
    converter.register_unstructure_hook(datetime, utc_iso)
    converter.register_structure_hook(datetime, lambda value, _type: parse_utc(value))
    for event_type in EVENT_TYPES.values():
        # camelCase, as everywhere else JSON leaves the backend (the REST API).
        names: dict[str, Any] = {
            field.name: override(rename=_camel(field.name)) for field in attrs.fields(event_type)
        }
        converter.register_unstructure_hook(
            event_type, make_dict_unstructure_fn(event_type, converter, **names)
        )
        converter.register_structure_hook(
            event_type, make_dict_structure_fn(event_type, converter, **names)
        )
    return converter


STORAGE = _storage_converter()
EVENTS = _event_converter()
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


def event_to_detail(event: DomainEvent) -> dict[str, Any]:
    """A JSON-safe dict (camelCase, ISO times) that ``event_from_detail`` turns back."""
    detail: dict[str, Any] = EVENTS.unstructure(event, unstructure_as=type(event))
    return detail


def event_from_detail(name: str, detail: Mapping[str, Any]) -> DomainEvent:
    """Rebuild a domain event from its type name (``EVENT_TYPES``) and detail."""
    try:
        event_type = EVENT_TYPES[name]
    except KeyError:
        raise ValueError(f"unknown event type {name!r}") from None
    return EVENTS.structure(dict(detail), event_type)
