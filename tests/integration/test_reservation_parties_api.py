"""Both sides of a hand-over find it: on the item, by id, in their lists, in notifications."""

from __future__ import annotations

import pytest

from tests.support.builders import free_item

pytestmark = pytest.mark.integration


def _notes(user, item_id: str) -> list[dict]:
    notes = user.get(f"/users/{user.id}/notifications").body["notifications"]
    return [n for n in notes if n["itemId"] == item_id]


def _ids(reply) -> list[str]:
    assert reply.status == 200, reply.body
    return [r["id"] for r in reply.body["reservations"]]


def test_the_giver_finds_the_hold_on_the_item_reads_lists_and_confirms_it(new_user):
    giver, taker, stranger = new_user("giver"), new_user("taker"), new_user("stranger")
    item = giver.post("/items", free_item()).body
    hold = taker.post(f"/items/{item['id']}/reserve").body

    # The item shows its pending hold to its two parties only.
    seen = giver.get(f"/items/{item['id']}").body
    assert seen["status"] == "reserved"
    assert seen["reservation"] == {
        "id": hold["id"],
        "userId": taker.id,
        "status": "pending",
        "expiresAt": hold["expiresAt"],
    }
    assert taker.get(f"/items/{item['id']}").body["reservation"]["id"] == hold["id"]
    other_view = stranger.get(f"/items/{item['id']}").body
    assert other_view["status"] == "reserved"
    assert "reservation" not in other_view

    # Either party reads it by the id the item gave; anyone else learns nothing of it.
    reservation_id = seen["reservation"]["id"]
    for party in (giver, taker):
        read = party.get(f"/reservations/{reservation_id}")
        assert read.status == 200, read.body
        assert read.body == hold
    refused = stranger.get(f"/reservations/{reservation_id}")
    assert (refused.status, refused.code) == (404, "not_found")
    assert stranger.get("/reservations/no-such-reservation").status == 404

    # Each lists it on their side, not on the other.
    assert _ids(giver.get(f"/users/{giver.id}/reservations?role=giver")) == [reservation_id]
    assert _ids(giver.get(f"/users/{giver.id}/reservations?role=holder")) == []
    assert _ids(taker.get(f"/users/{taker.id}/reservations?role=holder")) == [reservation_id]
    assert _ids(taker.get(f"/users/{taker.id}/reservations")) == [reservation_id]
    pending = giver.get(f"/users/{giver.id}/reservations?status=pending")
    assert _ids(pending) == [reservation_id]
    assert pending.body["nextCursor"] is None
    assert _ids(giver.get(f"/users/{giver.id}/reservations?status=confirmed")) == []
    other_list = stranger.get(f"/users/{giver.id}/reservations")
    assert (other_list.status, other_list.code) == (403, "forbidden")

    # The giver's notification names it too.
    (created,) = [n for n in _notes(giver, item["id"]) if n["type"] == "reservation_created"]
    assert created["reservationId"] == reservation_id

    done = giver.post(f"/reservations/{reservation_id}/confirm")
    assert done.status == 200, done.body
    assert "reservation" not in giver.get(f"/items/{item['id']}").body  # given now
    assert _ids(taker.get(f"/users/{taker.id}/reservations?status=confirmed")) == [reservation_id]
    (confirmed,) = [n for n in _notes(taker, item["id"]) if n["type"] == "reservation_confirmed"]
    assert confirmed["reservationId"] == reservation_id
    # Every notification about this hand-over names it.
    assert all(n["reservationId"] == reservation_id for n in _notes(giver, item["id"]))
    assert all(n["reservationId"] == reservation_id for n in _notes(taker, item["id"]))


def test_a_users_reservations_page_newest_first_on_both_sides(api, new_user):
    giver, other_giver, taker = new_user("giver"), new_user("giver"), new_user("taker")
    held = []
    for owner in (giver, other_giver, giver):
        item = owner.post("/items", free_item()).body
        held.append(taker.post(f"/items/{item['id']}/reserve").body["id"])
    theirs = other_giver.post("/items", free_item()).body
    giver_holds = giver.post(f"/items/{theirs['id']}/reserve").body["id"]  # the giver holds one too
    assert taker.post(f"/reservations/{held[1]}/cancel").status == 200

    pages, cursor = [], None
    while True:
        path = f"/users/{taker.id}/reservations?limit=2"
        reply = taker.get(path + (f"&cursor={cursor}" if cursor else ""))
        pages.append(_ids(reply))
        cursor = reply.body["nextCursor"]
        if cursor is None:
            break
    assert pages == [[held[2], held[1]], [held[0]]]
    assert _ids(taker.get(f"/users/{taker.id}/reservations?status=cancelled")) == [held[1]]
    assert _ids(taker.get(f"/users/{taker.id}/reservations?status=pending")) == [
        held[2],
        held[0],
    ]
    # The giver sees both roles merged, newest first; each role alone on request.
    assert _ids(giver.get(f"/users/{giver.id}/reservations")) == [giver_holds, held[2], held[0]]
    assert _ids(giver.get(f"/users/{giver.id}/reservations?role=giver&limit=1")) == [held[2]]
    assert _ids(giver.get(f"/users/{giver.id}/reservations?role=holder")) == [giver_holds]

    # A hold past its time reads as expired, in the filter too, before any job has run.
    api.advance(25 * 3600)
    assert _ids(taker.get(f"/users/{taker.id}/reservations?status=expired")) == [
        held[2],
        held[0],
    ]
    assert _ids(taker.get(f"/users/{taker.id}/reservations?status=pending")) == []

    bad = taker.get(f"/users/{taker.id}/reservations?role=friend")
    assert (bad.status, bad.code) == (400, "validation_error")
    assert bad.body["error"]["details"][0]["field"] == "role"


def test_reserving_an_item_you_already_hold_says_so(new_user):
    giver, taker, late = new_user(), new_user(), new_user()
    item = giver.post("/items", free_item()).body
    hold = taker.post(f"/items/{item['id']}/reserve").body
    again = taker.post(f"/items/{item['id']}/reserve")
    assert (again.status, again.code) == (409, "item_not_available")
    assert "you already hold this item" in again.body["error"]["message"]
    assert hold["id"] in again.body["error"]["message"]
    other = late.post(f"/items/{item['id']}/reserve")
    assert (other.status, other.code) == (409, "item_not_available")
    assert "already hold" not in other.body["error"]["message"]
