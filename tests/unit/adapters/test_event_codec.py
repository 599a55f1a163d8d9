"""Event details: every event type survives the round trip, in the shape consumers expect."""

from __future__ import annotations

import json
import types
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, Union, get_args, get_origin

import attrs
import pytest

from ecobid_adapters.aws.event_codec import event_from_detail, event_to_detail
from ecobid_core.model.events import EVENT_TYPES, DomainEvent, ItemUpdated

WHEN = datetime(2030, 6, 1, 12, 0, 0, 250000, tzinfo=UTC)


def sample_value(kind: Any, name: str) -> Any:
    if get_origin(kind) in (Union, types.UnionType):
        (inner,) = [arg for arg in get_args(kind) if arg is not type(None)]
        return sample_value(inner, name)
    if kind is datetime:
        return WHEN + timedelta(hours=1)
    if get_origin(kind) is tuple:
        return ("title", "location")
    return {str: f"{name}-value", int: 1250, float: 52.52, bool: True}[kind]


def sample(cls: type[DomainEvent]) -> DomainEvent:
    fields = attrs.fields(attrs.resolve_types(cls))
    values = {f.name: sample_value(f.type, f.name) for f in fields}
    return cls(**{**values, "event_id": f"{cls.name}:x:1", "occurred_at": WHEN})


ALL = pytest.mark.parametrize("cls", list(EVENT_TYPES.values()), ids=list(EVENT_TYPES))


@ALL
def test_every_event_type_round_trips_through_json(cls: type[DomainEvent]) -> None:
    event = sample(cls)
    detail = json.dumps(event_to_detail(event))
    assert event_from_detail(cls.name, detail) == event
    assert event_from_detail(cls.name, json.loads(detail)) == event


def test_details_are_camel_case_with_utc_z_times() -> None:
    event = ItemUpdated(
        event_id="ItemUpdated:item-1:3",
        occurred_at=datetime(2030, 6, 1, 14, 0, tzinfo=timezone(timedelta(hours=2))),
        item_id="item-1",
        owner_id="owner-1",
        changed=("title",),
    )
    assert event_to_detail(event) == {
        "eventId": "ItemUpdated:item-1:3",
        "occurredAt": "2030-06-01T12:00:00.000000Z",
        "itemId": "item-1",
        "ownerId": "owner-1",
        "changed": ["title"],
    }


@pytest.mark.parametrize(
    ("name", "detail"),
    [
        ("NoSuchEvent", "{}"),
        ("ItemUpdated", "[]"),
        ("ItemUpdated", "not json"),
        ("ItemUpdated", '{"eventId": "only this"}'),
        (
            "ItemUpdated",
            '{"eventId": "e", "occurredAt": "yesterday", "itemId": "i", "ownerId": "o"}',
        ),
    ],
    ids=["unknown-type", "not-an-object", "not-json", "incomplete", "bad-time"],
)
def test_a_bad_detail_is_a_value_error(name: str, detail: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - each case has its own message
        event_from_detail(name, detail)
