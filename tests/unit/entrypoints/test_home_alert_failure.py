"""A profile edit stands when making the home alert fails; the next edit makes it."""

from __future__ import annotations

import json

from ecobid_entrypoints.api.views import users
from ecobid_entrypoints.container import build_container
from tests.support.lambda_events import proxy_event

HOME = {"location": {"lat": 52.52, "lon": 13.405}}


def edit(api, body):
    event = proxy_event("PUT", "/users/{id}", "/users/user-1", body, params={"id": "user-1"})
    return api.handle(event)


def test_a_failed_home_alert_does_not_fail_the_edit(monkeypatch, caplog):
    container = build_container("memory")
    api = container.api()

    def broken(*_args):
        raise ConnectionError("table unreachable")

    monkeypatch.setattr(users, "first_home", broken)
    reply = edit(api, HOME)
    assert reply["statusCode"] == 200
    assert json.loads(reply["body"])["location"] == HOME["location"]
    assert "ConnectionError" in caplog.text
    assert container.notify().alerts.for_user("user-1") == []
    monkeypatch.undo()
    assert edit(api, {"bio": "Gardener"})["statusCode"] == 200
    [alert] = container.notify().alerts.for_user("user-1")
    assert alert.radius_km == 5.0
