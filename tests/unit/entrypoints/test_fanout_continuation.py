"""OnDomainEvent serves one slice of a fan-out and hands the rest on to itself."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from attrs import evolve
from dependency_injector import providers

from ecobid_adapters.aws.event_codec import event_to_detail
from ecobid_core.model.alerts import Alert
from ecobid_core.model.events import ItemCreated
from ecobid_core.model.values import Location
from ecobid_entrypoints.functions import events, runtime

NOW = datetime(2030, 1, 1, tzinfo=UTC)


@pytest.fixture
def app(monkeypatch):
    monkeypatch.setenv("ECOBID_BACKEND", "memory")
    runtime.container.cache_clear()
    container = runtime.container()
    small = evolve(container.notify(), recipients_per_slice=2)
    container.notify.override(providers.Object(small))
    yield container
    runtime.container.cache_clear()


def envelope() -> dict:
    event = ItemCreated(
        event_id="ItemCreated:i1:1",
        occurred_at=NOW,
        item_id="i1",
        owner_id="owner",
        item_type="free",
        category="books",
        lat=52.52,
        lon=13.405,
        geohash="u33dc0",
        title="Book",
    )
    return {"id": "e1", "detail-type": "ItemCreated", "detail": event_to_detail(event)}


def test_every_slice_is_served_once_each(app):
    for n in range(5):
        app.notify().alerts.put(
            Alert.create(
                alert_id=f"a{n}",
                user_id=f"user{n}",
                location=Location(52.52, 13.405),
                radius_km=2,
                now=NOW,
            ),
            None,
        )
    first = events.on_domain_event(envelope())
    assert first["delivered"] == 2  # this invocation's slice; the others ran after it
    inbox = app.notify().inbox
    assert [inbox.unread_count(f"user{n}") for n in range(5)] == [1] * 5
    again = events.on_domain_event(envelope())
    assert again["delivered"] == 0


def test_in_aws_the_rest_goes_to_an_asynchronous_invocation_of_itself(monkeypatch):
    sent: list[dict] = []
    lambda_ = SimpleNamespace(invoke=lambda **request: sent.append(request))
    stub = SimpleNamespace(aws_clients=lambda: SimpleNamespace(lambda_=lambda_))
    monkeypatch.setenv("ECOBID_BACKEND", "aws")
    monkeypatch.setattr(events, "container", lambda: stub)
    context = SimpleNamespace(invoked_function_arn="arn:aws:lambda:eu-central-1:1:function:f")
    events.hand_on({**envelope(), events.RESUME_AFTER: "user1"}, context)
    [request] = sent
    assert request["FunctionName"] == context.invoked_function_arn
    assert request["InvocationType"] == "Event"
    assert json.loads(request["Payload"])[events.RESUME_AFTER] == "user1"


def test_a_resumed_slice_starts_after_its_cursor_and_arranges_nothing(app, monkeypatch):
    for n in range(3):
        app.notify().alerts.put(
            Alert.create(
                alert_id=f"a{n}",
                user_id=f"user{n}",
                location=Location(52.52, 13.405),
                radius_km=2,
                now=NOW,
            ),
            None,
        )
    arranged: list[object] = []
    monkeypatch.setattr(events, "arrange_deadlines", lambda *args: arranged.append(args))
    done = events.on_domain_event({**envelope(), events.RESUME_AFTER: "user0"})
    assert done["delivered"] == 2
    assert app.notify().inbox.unread_count("user0") == 0
    assert arranged == []
