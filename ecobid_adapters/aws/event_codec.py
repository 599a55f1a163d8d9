"""Domain events as JSON ``detail`` objects, and back: the one wire form of an event.

The DynamoDB outbox stores this detail, the stream relay forwards it unchanged and the
EventBridge publisher and consumers use it too, so an event reads the same wherever it is
picked up. Details follow the API's conventions: camelCase keys, fixed-width UTC times
with a ``Z``, and the ``eventId`` consumers de-duplicate on. Types come from
``EVENT_TYPES``: a name outside it is refused rather than guessed at.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import cache
from typing import Any

import attrs
import cattrs
from cattrs.gen import override

from ecobid_adapters.aws.converters import register_fields, utc_converter
from ecobid_adapters.aws.wire_event import WireEvent
from ecobid_core.model.events import EVENT_TYPES, DomainEvent


def _camel(name: str) -> str:
    return re.sub(r"_([a-z])", lambda match: match.group(1).upper(), name)


@cache
def _converter() -> cattrs.Converter:
    """Built on first use: a function that reads and writes no events never pays for it."""
    converter = utc_converter()
    for event_type in EVENT_TYPES.values():
        names = {
            field.name: override(rename=_camel(field.name)) for field in attrs.fields(event_type)
        }
        register_fields(converter, event_type, names)
    return converter


def event_to_detail(event: DomainEvent) -> dict[str, Any]:
    """A JSON-safe dict that ``event_from_detail`` turns back into the same event."""
    detail: dict[str, Any] = _converter().unstructure(event, unstructure_as=type(event))
    return detail


def to_wire(event: DomainEvent) -> WireEvent:
    """The event as the outbox stores it and the bus carries it: detail as compact JSON."""
    return WireEvent(
        event_id=event.event_id,
        name=event.name,
        occurred_at=event.occurred_at,
        detail=json.dumps(event_to_detail(event), separators=(",", ":")),
    )


def event_from_detail(name: str, detail: str | Mapping[str, Any]) -> DomainEvent:
    """Rebuild an event; raises ``ValueError`` for an unknown name or a bad detail."""
    event_type = EVENT_TYPES.get(name)
    if event_type is None:
        raise ValueError(f"unknown event type {name!r}")
    data = json.loads(detail) if isinstance(detail, str) else detail
    if not isinstance(data, Mapping):
        raise ValueError("an event detail must be a JSON object")
    try:
        return _converter().structure(dict(data), event_type)
    except (cattrs.BaseValidationError, TypeError, ValueError, KeyError) as error:
        raise ValueError(f"not a valid {name} detail") from error
