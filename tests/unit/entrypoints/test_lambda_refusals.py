"""Refusals in the Lambda path: API Gateway's REST proxy event, as the handlers get it.

API Gateway (payload 1.0) keeps a repeated query parameter's last value in
``queryStringParameters`` and every value in ``multiValueQueryStringParameters``; the
dispatcher must look at the latter, or ``lat=52&lon=13&lat=1`` would pass as ``lat=1``.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from ecobid_entrypoints.container import build_container
from tests.support.lambda_events import proxy_event


@pytest.fixture
def app() -> Any:
    return build_container("memory").api()


def _refusal(reply: dict[str, Any]) -> tuple[int, str, list[str]]:
    body = json.loads(reply["body"])
    fields = [detail["field"] for detail in body["error"]["details"]]
    return reply["statusCode"], body["error"]["code"], fields


def _item(app: Any) -> dict[str, Any]:
    body = {"title": "Kettle", "category": "kitchen", "type": "free"}
    body["location"] = {"lat": 52.5, "lon": 13.4}
    reply = app.handle(proxy_event("POST", "/items", "/items", body, sub="giver"))
    assert reply["statusCode"] == 201, reply["body"]
    return dict(json.loads(reply["body"]))


def test_a_repeated_query_parameter_in_the_event_is_a_400(app: Any) -> None:
    event = proxy_event("GET", "/items", "/items")
    event["queryStringParameters"] = {"lat": "1", "lon": "13"}  # the last value only
    event["multiValueQueryStringParameters"] = {"lat": ["52", "1"], "lon": ["13"]}
    assert _refusal(app.handle(event)) == (400, "validation_error", ["lat"])
    event["multiValueQueryStringParameters"] = {"lat": ["1"], "lon": ["13"]}
    assert app.handle(event)["statusCode"] == 200


def test_a_body_on_reserve_is_a_400_and_the_item_stays_available(app: Any) -> None:
    item = _item(app)
    path, ids = f"/items/{item['id']}/reserve", {"id": item["id"]}
    event = proxy_event("POST", "/items/{id}/reserve", path, {}, sub="taker", params=ids)
    assert _refusal(app.handle(event)) == (400, "validation_error", ["body"])
    read = proxy_event("GET", "/items/{id}", f"/items/{item['id']}", params=ids)
    assert json.loads(app.handle(read)["body"])["status"] == "available"
    event["body"] = None
    assert app.handle(event)["statusCode"] == 201


def test_a_repeated_key_in_the_body_is_a_400_and_nothing_is_stored(app: Any) -> None:
    event = proxy_event("POST", "/items", "/items", sub="giver")
    event["body"] = (
        '{"title": "a", "category": "kitchen", "type": "free", "title": "b",'
        ' "location": {"lat": 52.5, "lon": 13.4}}'
    )
    assert _refusal(app.handle(event)) == (400, "validation_error", ["title"])
    mine = proxy_event("GET", "/items", "/items", sub="giver")
    mine["queryStringParameters"] = {"ownerId": "giver"}
    assert json.loads(app.handle(mine)["body"])["items"] == []
