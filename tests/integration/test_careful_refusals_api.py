"""What a careful API refuses, each a 400 in the contract's shape with nothing stored."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.support.builders import auction_item, free_item
from tests.support.client import raw

pytestmark = pytest.mark.integration


def _owned(user) -> list[str]:
    return [i["id"] for i in user.get(f"/items?ownerId={user.id}").body["items"]]


def _refused(reply, field: str) -> None:
    assert (reply.status, reply.code) == (400, "validation_error"), reply.body
    assert [d["field"] for d in reply.body["error"]["details"]] == [field]


def test_a_body_with_a_repeated_key_is_refused_and_nothing_stored(api, new_user):
    owner = new_user()
    body = (
        b'{"title": "a", "title": "b", "category": "books", "type": "free",'
        b' "location": {"lat": 52.5, "lon": 13.4}}'
    )
    reply = raw(
        api.url, "POST", "/items", data=body, headers={"Authorization": f"Bearer {owner.token}"}
    )
    _refused(reply, "title")
    assert "more than once" in reply.body["error"]["message"]
    nested = body.replace(b'"title": "b", ', b"").replace(b'"lon": 13.4', b'"lon": 13.4, "lon": 1')
    _refused(
        raw(
            api.url,
            "POST",
            "/items",
            data=nested,
            headers={"Authorization": f"Bearer {owner.token}"},
        ),
        "lon",
    )
    assert _owned(owner) == []


def test_a_repeated_query_parameter_is_refused(new_user):
    user = new_user()
    _refused(user.get("/items?lat=52&lon=13&lat=1"), "lat")
    _refused(user.get(f"/users/{user.id}/reservations?role=holder&role=giver"), "role")
    assert user.get("/items?lat=52&lon=13").status == 200


def test_a_body_on_an_operation_that_takes_none_is_refused_and_nothing_changes(new_user):
    owner, taker = new_user(), new_user()
    item = owner.post("/items", free_item()).body
    reply = taker.post(f"/items/{item['id']}/reserve", {"note": "tomorrow?"})
    _refused(reply, "body")
    assert owner.get(f"/items/{item['id']}").body["status"] == "available"
    assert taker.get(f"/users/{taker.id}/reservations").body["reservations"] == []
    deleting = owner.call("DELETE", f"/items/{item['id']}", {"why": "gone"})
    _refused(deleting, "body")
    assert owner.get(f"/items/{item['id']}").body["status"] == "available"
    assert taker.post(f"/items/{item['id']}/reserve").status == 201  # without a body


def test_only_iso_4217_currencies_are_taken(api, new_user):
    owner = new_user()
    now = datetime.fromisoformat(api.advance(0).replace("Z", "+00:00"))
    ends_at = (now + timedelta(hours=2)).isoformat().replace("+00:00", "Z")
    xyz = auction_item(ends_at)
    xyz["auction"]["currency"] = "XYZ"
    reply = owner.post("/items", xyz)
    _refused(reply, "auction.currency")
    assert reply.body["error"]["details"][0]["message"] == (
        "must be an ISO 4217 currency code, e.g. EUR"
    )
    assert _owned(owner) == []
    yen = auction_item(ends_at)
    yen["auction"]["currency"] = "JPY"
    assert owner.post("/items", yen).status == 201


def test_a_new_profile_has_no_average_and_one_problem_gives_one_detail(new_user):
    user = new_user()
    me = user.get(f"/users/{user.id}").body
    assert me["rating"] == {"average": None, "count": 0}
    _refused(user.put(f"/users/{user.id}", {"displayName": ""}), "displayName")
    assert user.get(f"/users/{user.id}").body["displayName"] == me["displayName"]
