"""One real event per Lambda function, against resources a moto server holds.

``seed`` makes, through the API's own dispatcher, what each event acts on: items to read,
edit, withdraw, reserve and bid on, reservations to confirm and cancel, one fresh set per
run so that every run does the same work. The events are the shapes AWS sends: API
Gateway REST proxy events with the authorizer's claims, a DynamoDB stream batch, an
EventBridge envelope, a scheduler's event.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from ecobid_adapters.aws.dynamodb import codec, outbox, read_outbox
from ecobid_adapters.aws.event_codec import to_wire
from ecobid_entrypoints.container import Container

BERLIN = {"lat": 52.52, "lon": 13.405}
GIVER, TAKER = "bench-giver", "bench-taker"


def api_event(
    method: str,
    resource: str,
    path_id: str | None,
    sub: str,
    body: Any = None,
    query: dict[str, str] | None = None,
    more_path: dict[str, str] | None = None,
) -> dict[str, Any]:
    path = resource.replace("{id}", path_id or "")
    for name, value in (more_path or {}).items():
        path = path.replace("{" + name + "}", value)
    return {
        "resource": resource,
        "path": path,
        "httpMethod": method,
        "headers": {"Content-Type": "application/json", "Authorization": "Bearer not-read"},
        "queryStringParameters": query,
        "pathParameters": {"id": path_id, **(more_path or {})} if path_id else None,
        "requestContext": {
            "resourcePath": resource,
            "httpMethod": method,
            "stage": "bench",
            "requestId": f"bench-{method}-{path}",
            "authorizer": {"claims": {"sub": sub, "email": f"{sub}@example.com"}},
        },
        "body": None if body is None else json.dumps(body),
        "isBase64Encoded": False,
    }


def _call(app: Container, event: dict[str, Any]) -> dict[str, Any]:
    reply = app.api().handle(event)
    if reply["statusCode"] >= 300:
        raise RuntimeError(f"seeding {event['resource']} answered {reply['statusCode']}")
    return json.loads(reply["body"]) if reply["body"] else {}


def _item(app: Container, auction: bool = False) -> str:
    body: dict[str, Any] = {"title": "Kettle", "category": "kitchen", "location": BERLIN}
    body["type"] = "auction" if auction else "free"
    if auction:
        ends = (datetime.now(UTC) + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
        body["auction"] = {"startPrice": 500, "currency": "EUR", "endsAt": ends}
    return str(_call(app, api_event("POST", "/items", None, GIVER, body))["id"])


def _reservation(app: Container) -> str:
    item = _item(app)
    return str(_call(app, api_event("POST", "/items/{id}/reserve", item, TAKER))["id"])


def _gift(app: Container) -> str:
    """A confirmed gift from the giver to the taker: the transaction's id."""
    confirmed = api_event("POST", "/reservations/{id}/confirm", _reservation(app), GIVER)
    return str(_call(app, confirmed)["transaction"]["id"])


def _alert(app: Container) -> str:
    body = {"location": BERLIN, "radiusKm": 2, "categories": ["books"]}
    return str(_call(app, api_event("POST", "/users/{id}/alerts", TAKER, TAKER, body))["id"])


def _notify_events(app: Container) -> dict[str, dict[str, Any]]:
    """The devices', alerts', preferences' and read state's routes, on the taker."""
    device = {"deviceId": "bench-phone"}
    phone = {"platform": "android", "token": "bench-registration-token"}
    _call(
        app, api_event("PUT", "/users/{id}/devices/{deviceId}", TAKER, TAKER, phone, None, device)
    )
    alert = {"alertId": _alert(app)}
    return {
        "PutDevice": api_event(
            "PUT", "/users/{id}/devices/{deviceId}", TAKER, TAKER, phone, None, device
        ),
        "GetDevices": api_event("GET", "/users/{id}/devices", TAKER, TAKER),
        "DeleteDevice": api_event(
            "DELETE", "/users/{id}/devices/{deviceId}", TAKER, TAKER, None, None, device
        ),
        "CreateAlert": api_event(
            "POST", "/users/{id}/alerts", TAKER, TAKER, {"location": BERLIN, "radiusKm": 5}
        ),
        "GetAlerts": api_event("GET", "/users/{id}/alerts", TAKER, TAKER),
        "UpdateAlert": api_event(
            "PUT",
            "/users/{id}/alerts/{alertId}",
            TAKER,
            TAKER,
            {"location": BERLIN, "radiusKm": 3},
            None,
            alert,
        ),
        "DeleteAlert": api_event(
            "DELETE",
            "/users/{id}/alerts/{alertId}",
            TAKER,
            TAKER,
            None,
            None,
            {"alertId": _alert(app)},
        ),
        "GetPreferences": api_event("GET", "/users/{id}/preferences", TAKER, TAKER),
        "UpdatePreferences": api_event(
            "PUT", "/users/{id}/preferences", TAKER, TAKER, {"push": {"item_nearby": False}}
        ),
        "MarkNotificationsRead": api_event(
            "POST", "/users/{id}/notifications/read", TAKER, TAKER, {}
        ),
    }


def seed(app: Container, settings: Any) -> dict[str, dict[str, Any]]:
    """Events for one run, by function name, each acting on things of its own."""
    item, auction = _item(app), _item(app, auction=True)
    near = {"lat": str(BERLIN["lat"]), "lon": str(BERLIN["lon"]), "radiusKm": "5"}
    client = app.aws_clients().dynamodb
    created = next(e for e in read_outbox(client, settings.table) if e.name == "ItemCreated")
    wire = to_wire(created)
    stored = outbox.record(created, datetime.now(UTC).timestamp(), outbox.DEFAULT_RETENTION)
    return {
        **_notify_events(app),
        "CreateItem": api_event(
            "POST",
            "/items",
            None,
            GIVER,
            {"title": "Lamp", "category": "furniture", "type": "free", "location": BERLIN},
        ),
        "GetItems": api_event("GET", "/items", None, TAKER, query=near),
        "GetItem": api_event("GET", "/items/{id}", item, TAKER),
        "UpdateItem": api_event("PUT", "/items/{id}", item, GIVER, {"title": "Blue kettle"}),
        "DeleteItem": api_event("DELETE", "/items/{id}", _item(app), GIVER),
        "ReserveItem": api_event("POST", "/items/{id}/reserve", _item(app), TAKER),
        "GetReservation": api_event("GET", "/reservations/{id}", _reservation(app), TAKER),
        "GetUserReservations": api_event("GET", "/users/{id}/reservations", TAKER, TAKER),
        "ConfirmReservation": api_event(
            "POST", "/reservations/{id}/confirm", _reservation(app), GIVER
        ),
        "CancelReservation": api_event(
            "POST", "/reservations/{id}/cancel", _reservation(app), TAKER
        ),
        "CreateBid": api_event("POST", "/items/{id}/bids", auction, TAKER, {"amount": 700}),
        "GetBids": api_event("GET", "/items/{id}/bids", auction, TAKER),
        "CreateImageUpload": api_event(
            "POST", "/items/{id}/images", item, GIVER, {"contentType": "image/jpeg"}
        ),
        "GetUserProfile": api_event("GET", "/users/{id}", GIVER, TAKER),
        "UpdateUserProfile": api_event("PUT", "/users/{id}", TAKER, TAKER, {"bio": "Hi"}),
        "GetNotifications": api_event("GET", "/users/{id}/notifications", TAKER, TAKER),
        "GetUserTransactions": api_event("GET", "/users/{id}/transactions", TAKER, TAKER),
        "CreateRating": api_event(
            "POST", "/transactions/{id}/ratings", _gift(app), TAKER, {"score": 5}
        ),
        "GetUserRatings": api_event("GET", "/users/{id}/ratings", GIVER, TAKER),
        "ForwardOutbox": {
            "Records": [
                {
                    "eventName": "INSERT",
                    "eventSource": "aws:dynamodb",
                    "dynamodb": {"NewImage": codec.serialize(stored), "SequenceNumber": "1"},
                }
            ]
        },
        "OnDomainEvent": {
            "id": "bench",
            "source": "ecobid",
            "detail-type": wire.name,
            "detail": json.loads(wire.detail),
        },
        "EndAuction": {"itemId": auction},
        "ExpireReservation": {"reservationId": _reservation(app)},
        "CreateUserProfile": {
            "version": "1",
            "triggerSource": "PostConfirmation_ConfirmSignUp",
            "userName": "newcomer",
            "request": {"userAttributes": {"sub": "newcomer-sub", "email": "newcomer@example.com"}},
            "response": {},
        },
        "EndAuctions": {"source": "aws.scheduler"},
        "CancelExpiredReservations": {"source": "aws.scheduler"},
    }
