"""Notifications that reach people, over HTTP on both backends: devices, alerts, pushes,
preferences, read state (issue 24's "must show" 1 and 2)."""

from __future__ import annotations

import itertools

import pytest

from tests.support.client import raw

pytestmark = pytest.mark.integration

_tokens = itertools.count()
HOME = {"lat": 52.52, "lon": 13.405}
NEAR = {"lat": 52.53, "lon": 13.405}  # 1.1 km north
FAR = {"lat": 52.547, "lon": 13.405}  # 3 km north


def token(prefix: str = "tok") -> str:
    return f"{prefix}-{next(_tokens):08d}-abcdef"


def pushes_to(api, user) -> list[dict]:
    reply = raw(api.url, "GET", "/_dev/pushes")
    assert reply.status == 200
    return [p for p in reply.body["pushes"] if p["userId"] == user.id]


def offer(user, title: str, category: str, place: dict, kind: str = "free") -> str:
    body = {"title": title, "category": category, "type": kind, "location": place}
    reply = user.post("/items", body)
    assert reply.status == 201, reply.body
    return reply.body["id"]


def listed(user) -> dict:
    reply = user.get(f"/users/{user.id}/notifications")
    assert reply.status == 200, reply.body
    return reply.body


@pytest.fixture
def reader(new_user):
    """A user with one phone and one alert: books within 2 km of HOME."""
    me = new_user("reader")
    device = me.put(f"/users/{me.id}/devices/phone-1", {"platform": "ios", "token": token()})
    assert device.status == 200, device.body
    assert "token" not in device.body
    alert = me.post(
        f"/users/{me.id}/alerts", {"location": HOME, "radiusKm": 2, "categories": ["books"]}
    )
    assert alert.status == 201, alert.body
    return me


def test_a_matching_item_pushes_once_and_lists_unread(api, reader, new_user):
    giver = new_user("giver")
    item_id = offer(giver, "Dune", "books", NEAR)
    pushes = pushes_to(api, reader)
    assert len(pushes) == 1
    push = pushes[0]
    assert (push["deviceId"], push["platform"], push["body"]) == (
        "phone-1",
        "ios",
        "New nearby: Dune",
    )
    assert push["title"]
    mine = listed(reader)
    assert mine["unreadCount"] == 1
    [note] = mine["notifications"]
    assert (note["type"], note["itemId"], note["read"]) == ("item_nearby", item_id, False)
    assert push["data"] == {"type": "item_nearby", "itemId": item_id, "notificationId": note["id"]}


def test_no_push_for_other_category_far_items_or_own_items(api, reader, new_user):
    giver = new_user("giver")
    offer(giver, "Chair", "furniture", NEAR)
    offer(giver, "Atlas", "books", FAR)
    offer(reader, "My own book", "books", NEAR)
    assert pushes_to(api, reader) == []
    assert listed(reader)["notifications"] == []


def test_several_matching_alerts_notify_once(api, reader, new_user):
    again = reader.post(f"/users/{reader.id}/alerts", {"location": NEAR, "radiusKm": 5})
    assert again.status == 201
    offer(new_user("giver"), "Emma", "books", NEAR)
    assert len(pushes_to(api, reader)) == 1
    assert len(listed(reader)["notifications"]) == 1


def test_a_type_switched_off_is_listed_but_not_pushed(api, reader, new_user):
    prefs = reader.put(f"/users/{reader.id}/preferences", {"push": {"item_nearby": False}})
    assert prefs.status == 200 and prefs.body["push"]["item_nearby"] is False
    offer(new_user("giver"), "Ulysses", "books", NEAR)
    assert pushes_to(api, reader) == []
    assert listed(reader)["unreadCount"] == 1


def test_a_deleted_device_gets_nothing_after(api, reader, new_user):
    assert reader.delete(f"/users/{reader.id}/devices/phone-1").status == 204
    assert reader.get(f"/users/{reader.id}/devices").body == {"devices": []}
    offer(new_user("giver"), "Ivanhoe", "books", NEAR)
    assert pushes_to(api, reader) == []
    assert listed(reader)["unreadCount"] == 1


def test_a_token_the_platform_rejects_removes_the_device(api, new_user, reject_token):
    me = new_user("rejected")
    bad = token("invalid")
    me.put(f"/users/{me.id}/devices/old-phone", {"platform": "android", "token": bad})
    me.post(f"/users/{me.id}/alerts", {"location": HOME, "radiusKm": 2})
    reject_token(me, "old-phone")
    giver = new_user("giver")
    offer(giver, "Lamp", "other", NEAR)
    assert pushes_to(api, me) == []
    assert me.get(f"/users/{me.id}/devices").body == {"devices": []}
    offer(giver, "Kettle", "kitchen", NEAR)
    assert pushes_to(api, me) == []
    assert listed(me)["unreadCount"] == 2


@pytest.fixture
def reject_token(api):
    """Make the platform reject a device's token: the local sender does so by itself
    for tokens beginning with ``invalid``; on moto, SNS disables the endpoint as it
    does when APNs or FCM report a token invalid."""

    def reject(user, device_id: str) -> None:
        if api.backend != "moto":
            return
        settings = api.container.push_settings().get(user.id)
        endpoint = settings.device(device_id).endpoint
        api.container.aws_clients().sns.set_endpoint_attributes(
            EndpointArn=endpoint, Attributes={"Enabled": "false"}
        )

    return reject


def test_mark_read_some_then_all(api, reader, new_user):
    giver = new_user("giver")
    for title in ("One", "Two", "Three"):
        offer(giver, title, "books", NEAR)
    mine = listed(reader)
    assert mine["unreadCount"] == 3
    first = mine["notifications"][0]["id"]
    some = reader.post(f"/users/{reader.id}/notifications/read", {"ids": [first, "nope"]})
    assert some.body == {"unreadCount": 2}
    assert [n["read"] for n in listed(reader)["notifications"]] == [True, False, False]
    everything = reader.post(f"/users/{reader.id}/notifications/read", {})
    assert everything.body == {"unreadCount": 0}
    assert listed(reader)["unreadCount"] == 0


def test_notifications_page_with_limit_and_cursor(reader, new_user):
    giver = new_user("giver")
    for title in ("A", "B", "C"):
        offer(giver, title, "books", NEAR)
    first = reader.get(f"/users/{reader.id}/notifications?limit=2").body
    assert len(first["notifications"]) == 2 and first["nextCursor"]
    second = reader.get(
        f"/users/{reader.id}/notifications?limit=2&cursor={first['nextCursor']}"
    ).body
    assert len(second["notifications"]) == 1 and second["nextCursor"] is None
    ids = [n["id"] for n in first["notifications"] + second["notifications"]]
    assert len(set(ids)) == 3


def test_outbid_won_sold_reserved_confirmed_push_to_the_right_person(api, new_user):
    seller, bidder, rival, taker = (new_user(n) for n in ("seller", "bidder", "rival", "taker"))
    for user in (seller, bidder, rival, taker):
        user.put(f"/users/{user.id}/devices/p", {"platform": "android", "token": token()})
    ends = api.advance(0)
    from datetime import datetime, timedelta

    ends_at = datetime.fromisoformat(ends.replace("Z", "+00:00")) + timedelta(minutes=10)
    auction = seller.post(
        "/items",
        {
            "title": "Lamp",
            "category": "other",
            "type": "auction",
            "location": HOME,
            "auction": {
                "startPrice": 100,
                "currency": "EUR",
                "endsAt": ends_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            },
        },
    ).body["id"]
    assert bidder.post(f"/items/{auction}/bids", {"amount": 200}).status == 201
    assert rival.post(f"/items/{auction}/bids", {"amount": 400}).status == 201
    assert [p["data"]["type"] for p in pushes_to(api, bidder)] == ["outbid"]
    api.advance(11 * 60)
    raw(api.url, "POST", "/_dev/jobs/end-auctions")
    assert "auction_won" in [p["data"]["type"] for p in pushes_to(api, rival)]
    assert "auction_sold" in [p["data"]["type"] for p in pushes_to(api, seller)]
    free = offer(seller, "Shelf", "furniture", HOME)
    held = taker.post(f"/items/{free}/reserve")
    assert held.status == 201
    assert "reservation_created" in [p["data"]["type"] for p in pushes_to(api, seller)]
    assert seller.post(f"/reservations/{held.body['id']}/confirm").status == 200
    assert "reservation_confirmed" in [p["data"]["type"] for p in pushes_to(api, taker)]
    assert all(p["data"]["type"] != "reservation_confirmed" for p in pushes_to(api, seller))


def test_the_same_event_twice_writes_and_pushes_nothing_more(api, reader, new_user):
    from ecobid_core.model.events import ItemCreated
    from ecobid_entrypoints.processors.consumers import notify

    giver = new_user("giver")
    item_id = offer(giver, "Walden", "books", NEAR)
    before_pushes, before_list = pushes_to(api, reader), listed(reader)
    event = next(e for e in _outbox(api) if isinstance(e, ItemCreated) and e.item_id == item_id)
    assert notify(event, api.container.notify()) == 0
    assert pushes_to(api, reader) == before_pushes
    assert listed(reader) == before_list


def _outbox(api):
    if api.backend == "memory":
        return list(api.container.memory_store().outbox)
    from ecobid_adapters.aws.dynamodb import read_outbox

    settings = api.container.aws_settings()
    return list(read_outbox(api.container.dynamodb_client(), settings.table))


def test_first_home_location_makes_one_default_alert(new_user):
    me = new_user("home")
    assert me.get(f"/users/{me.id}/alerts").body == {"alerts": []}
    me.put(f"/users/{me.id}", {"location": HOME})
    me.put(f"/users/{me.id}", {"location": NEAR})
    [alert] = me.get(f"/users/{me.id}/alerts").body["alerts"]
    assert (alert["radiusKm"], alert["categories"], alert["push"]) == (5.0, [], True)
    assert alert["location"] == HOME
    assert me.delete(f"/users/{me.id}/alerts/{alert['id']}").status == 204
    me.put(f"/users/{me.id}", {"location": FAR})
    assert me.get(f"/users/{me.id}/alerts").body == {"alerts": []}


def test_alert_limits_and_bad_input(new_user):
    me, other = new_user("limits"), new_user()
    for body in (
        {"location": HOME, "radiusKm": 0.4},
        {"location": HOME, "radiusKm": 21},
        {"location": HOME, "radiusKm": 2, "categories": ["boats"]},
        {"radiusKm": 2},
    ):
        reply = me.post(f"/users/{me.id}/alerts", body)
        assert (reply.status, reply.code) == (400, "validation_error"), body
    assert other.get(f"/users/{me.id}/alerts").status == 403
    for _ in range(10):
        assert me.post(f"/users/{me.id}/alerts", {"location": HOME, "radiusKm": 1}).status == 201
    refused = me.post(f"/users/{me.id}/alerts", {"location": HOME, "radiusKm": 1})
    assert (refused.status, refused.code) == (409, "too_many_alerts")
    [first, *_] = me.get(f"/users/{me.id}/alerts").body["alerts"]
    moved = me.put(
        f"/users/{me.id}/alerts/{first['id']}",
        {"location": FAR, "radiusKm": 3, "type": "auction", "push": False},
    )
    assert moved.status == 200
    assert (moved.body["type"], moved.body["push"], moved.body["location"]) == (
        "auction",
        False,
        FAR,
    )


def test_device_limits_and_a_token_moving_to_another_user(new_user):
    me, other = new_user("devices"), new_user()
    shared = token()
    assert me.put(f"/users/{me.id}/devices/a", {"platform": "ios", "token": shared}).status == 200
    assert (
        other.put(f"/users/{other.id}/devices/b", {"platform": "ios", "token": shared}).status
        == 200
    )
    assert me.get(f"/users/{me.id}/devices").body == {"devices": []}
    for n in range(10):
        put = me.put(f"/users/{me.id}/devices/d{n}", {"platform": "android", "token": token()})
        assert put.status == 200
    refused = me.put(f"/users/{me.id}/devices/d10", {"platform": "android", "token": token()})
    assert (refused.status, refused.code) == (409, "too_many_devices")
    bad = me.put(f"/users/{me.id}/devices/x", {"platform": "windows", "token": token()})
    assert (bad.status, bad.code) == (400, "validation_error")
    assert (
        other.put(f"/users/{me.id}/devices/x", {"platform": "ios", "token": token()}).status == 403
    )
