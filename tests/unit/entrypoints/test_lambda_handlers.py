"""The Lambda handlers take real API Gateway REST proxy events (payload 1.0)."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from ecobid_entrypoints.functions import events, images, items, runtime
from tests.support.lambda_events import proxy_event as _event


@pytest.fixture
def handlers(monkeypatch):
    monkeypatch.setenv("ECOBID_BACKEND", "memory")
    runtime.container.cache_clear()
    yield SimpleNamespace(
        create_item=items.create_item,
        get_item=items.get_item,
        on_domain_event=events.on_domain_event,
        DeliveryFailed=events.DeliveryFailed,
        create_image_upload=images.create_image_upload,
        process_image_upload=images.process_image_upload,
        container=runtime.container,
    )
    runtime.container.cache_clear()


def test_create_then_get_through_the_handlers(handlers):
    body = {
        "title": "Kettle",
        "category": "kitchen",
        "type": "free",
        "location": {"lat": 48.1, "lon": 11.6},
    }
    created = handlers.create_item(_event("POST", "/items", "/items", body), None)
    assert created["statusCode"] == 201
    assert created["headers"]["Access-Control-Allow-Origin"] == "*"
    item = json.loads(created["body"])
    got = handlers.get_item(
        _event("GET", "/items/{id}", f"/items/{item['id']}", params={"id": item["id"]}), None
    )
    assert (got["statusCode"], json.loads(got["body"])) == (200, item)


def test_an_event_without_claims_is_401(handlers):
    event = _event("GET", "/items/{id}", "/items/x", params={"id": "x"})
    event["requestContext"]["authorizer"] = None
    reply = handlers.get_item(event, None)
    assert reply["statusCode"] == 401
    assert json.loads(reply["body"])["error"]["code"] == "unauthorized"


def test_a_bug_is_a_generic_500_without_a_trace(handlers, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("secret detail")

    monkeypatch.setattr("ecobid_core.services.items.get_item", broken)
    reply = handlers.get_item(_event("GET", "/items/{id}", "/items/x", params={"id": "x"}), None)
    assert reply["statusCode"] == 500
    assert json.loads(reply["body"])["error"] == {
        "code": "internal_error",
        "message": "something went wrong on our side",
        "details": [],
        "requestId": "req-1",  # API Gateway's id of the request, from the event
    }
    assert "secret detail" not in reply["body"]
    assert "Traceback" not in reply["body"]
    # The log has what the response must not: the bug, with its traceback.
    (failure,) = [record for record in caplog.records if record.exc_info]
    assert failure.exc_info[0] is RuntimeError
    assert "RuntimeError" in caplog.text


def test_an_undecodable_bus_event_is_dropped_not_retried(handlers, caplog):
    envelope = {"id": "evt-1", "detail-type": "NoSuchEvent", "detail": {}}
    assert handlers.on_domain_event(envelope) == {"eventId": None, "delivered": 0}
    assert "evt-1" in caplog.text


def test_a_failed_delivery_raises_for_a_retry_without_its_details(handlers, monkeypatch):
    def broken(event, ports, after):
        raise RuntimeError("connection string with a password")

    monkeypatch.setattr(events, "notify_slice", broken)
    envelope = {
        "id": "evt-2",
        "detail-type": "ItemWithdrawn",
        "detail": {
            "eventId": "ItemWithdrawn:i:2",
            "occurredAt": "2030-01-01T00:00:00.000000Z",
            "itemId": "i",
            "ownerId": "o",
            "title": "Kettle",
        },
    }
    with pytest.raises(handlers.DeliveryFailed) as raised:
        handlers.on_domain_event(envelope)
    assert str(raised.value) == "RuntimeError"
    assert raised.value.__cause__ is None


def test_a_photo_goes_from_upload_request_to_ready_through_the_handlers(handlers):
    from ecobid_entrypoints.processors.image_upload import object_created_event
    from tests.support.uploads import jpeg_bytes

    body = {"title": "Lamp", "category": "books", "type": "free", "location": {"lat": 1, "lon": 1}}
    item = json.loads(handlers.create_item(_event("POST", "/items", "/items", body), None)["body"])
    path, params = f"/items/{item['id']}/images", {"id": item["id"]}
    granted = handlers.create_image_upload(
        _event("POST", "/items/{id}/images", path, {"contentType": "image/jpeg"}, params=params)
    )
    assert granted["statusCode"] == 201
    fields = json.loads(granted["body"])["upload"]["fields"]
    photo = jpeg_bytes((640, 480))
    key = handlers.container().image_store().accept_upload(fields, photo)

    outcome = handlers.process_image_upload(object_created_event("bucket", key, len(photo), "e"))
    assert outcome == {"ready": 1}
    got = handlers.get_item(_event("GET", "/items/{id}", f"/items/{item['id']}", params=params))
    assert [image["status"] for image in json.loads(got["body"])["images"]] == ["ready"]
