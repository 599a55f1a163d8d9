"""Domain events as EventBridge ``detail`` JSON, and back.

The publisher writes details with it and consumers read them back with it, so an event
arrives exactly as it was recorded. Details follow the API's conventions: camelCase keys,
ISO 8601 UTC times with a ``Z``, and the ``eventId`` consumers de-duplicate on. Types come
from ``EVENT_TYPES``: a name outside it is refused rather than guessed at. The outbox
records of the DynamoDB adapter carry the same detail (a test holds the two to it).
"""

from __future__ import annotations

import json
import types
from datetime import UTC, datetime
from typing import Any, Union, get_args, get_origin

import attrs

from ecobid_core.model.events import EVENT_TYPES, DomainEvent


def event_to_detail(event: DomainEvent) -> dict[str, Any]:
    return {_camel(f.name): _encode(getattr(event, f.name)) for f in attrs.fields(type(event))}


def event_from_detail(name: str, detail: str | dict[str, Any]) -> DomainEvent:
    """Rebuild an event; raises ``ValueError`` for an unknown name or a bad detail."""
    cls = EVENT_TYPES.get(name)
    if cls is None:
        raise ValueError(f"unknown event type {name!r}")
    data = json.loads(detail) if isinstance(detail, str) else detail
    if not isinstance(data, dict):
        raise ValueError("an event detail must be a JSON object")
    try:
        values = {
            f.name: _decode(data[_camel(f.name)], f.type)
            for f in attrs.fields(attrs.resolve_types(cls))
            if _camel(f.name) in data
        }
        return cls(**values)
    except (TypeError, ValueError) as error:
        raise ValueError(f"not a valid {name} detail") from error


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    return value


def _decode(value: Any, kind: Any) -> Any:
    origin = get_origin(kind)
    if origin in (Union, types.UnionType):
        if value is None:
            return None
        (inner,) = [arg for arg in get_args(kind) if arg is not type(None)]
        return _decode(value, inner)
    if kind is datetime:
        return datetime.fromisoformat(value).astimezone(UTC)
    if origin is tuple:
        return tuple(value)
    if kind is float:
        return float(value)  # JSON writes 13.0 as 13
    return value
