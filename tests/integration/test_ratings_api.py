"""Ratings over HTTP: who may rate whom, once, within the window; the profile's exact mean."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest

from tests.support.builders import auction_item, free_item
from tests.support.client import User

pytestmark = pytest.mark.integration

DAY = 86_400


def gift(giver: User, taker: User) -> dict:
    item = giver.post("/items", free_item()).body
    hold = taker.post(f"/items/{item['id']}/reserve").body
    done = giver.post(f"/reservations/{hold['id']}/confirm")
    assert done.status == 200, done.body
    return done.body["transaction"]


def sale(api, seller: User, buyer: User) -> dict:
    now = datetime.fromisoformat(api.advance(0).replace("Z", "+00:00"))
    ends = (now + timedelta(minutes=10)).isoformat().replace("+00:00", "Z")
    item = seller.post("/items", auction_item(ends)).body
    assert buyer.post(f"/items/{item['id']}/bids", {"amount": 150}).status == 201
    api.advance(11 * 60)
    api.run_job("end-auctions")
    assert seller.get(f"/items/{item['id']}").body["status"] == "sold"
    sold = [t for t in mine(seller) if t["itemId"] == item["id"]]
    assert len(sold) == 1
    return sold[0]


def mine(user: User, query: str = "") -> list[dict]:
    reply = user.get(f"/users/{user.id}/transactions{query}")
    assert reply.status == 200, reply.body
    return reply.body["transactions"]


def rating_of(user: User, viewer: User) -> dict:
    return viewer.get(f"/users/{user.id}").body["rating"]


def rate(rater: User, transaction: dict, score: int, **extra: str):
    return rater.post(f"/transactions/{transaction['id']}/ratings", {"score": score, **extra})


@pytest.mark.parametrize("kind", ["gift", "sale"])
def test_each_party_rates_the_other_once(api, new_user, kind):
    seller, buyer, stranger, other_owner = new_user(), new_user(), new_user(), new_user()
    assert other_owner.post("/items", free_item()).status == 201
    deal = gift(seller, buyer) if kind == "gift" else sale(api, seller, buyer)
    assert deal["kind"] == kind
    for party in (seller, buyer):
        found = [t for t in mine(party) if t["id"] == deal["id"]]
        assert found == [{**deal, "myRating": None}]

    for outsider in (stranger, other_owner):
        refused = rate(outsider, deal, 5)
        assert (refused.status, refused.code) == (403, "forbidden")
    peek = stranger.get(f"/users/{seller.id}/transactions")
    assert (peek.status, peek.code) == (403, "forbidden")

    by_seller = rate(seller, deal, 4, comment="Friendly and on time.")
    assert by_seller.status == 201, by_seller.body
    assert by_seller.body == {
        "id": by_seller.body["id"],
        "transactionId": deal["id"],
        "raterId": seller.id,
        "rateeId": buyer.id,
        "score": 4,
        "comment": "Friendly and on time.",
        "createdAt": by_seller.body["createdAt"],
    }
    again = rate(seller, deal, 1)
    assert (again.status, again.code) == (409, "already_rated")
    by_buyer = rate(buyer, deal, 5)
    assert by_buyer.status == 201, by_buyer.body
    assert by_buyer.body["comment"] == ""

    assert rating_of(buyer, stranger) == {"average": 4.0, "count": 1}
    assert rating_of(seller, stranger) == {"average": 5.0, "count": 1}
    assert [t["myRating"] for t in mine(seller) if t["id"] == deal["id"]] == [by_seller.body]
    assert [t["myRating"] for t in mine(buyer) if t["id"] == deal["id"]] == [by_buyer.body]
    received = stranger.get(f"/users/{buyer.id}/ratings")
    assert received.status == 200
    assert received.body == {"ratings": [by_seller.body], "nextCursor": None}
    notified = buyer.get(f"/users/{buyer.id}/notifications").body["notifications"]
    assert [n["type"] for n in notified].count("rating_received") == 1


def test_the_window_closes_thirty_days_after_the_transaction(api, new_user):
    giver, taker = new_user(), new_user()
    deal = gift(giver, taker)
    assert rate(giver, deal, 3).status == 201
    api.advance(30 * DAY)
    late = rate(taker, deal, 5)
    assert (late.status, late.code) == (409, "rating_closed")
    assert rating_of(giver, taker) == {"average": None, "count": 0}
    assert [t["myRating"] for t in mine(taker)] == [None]


BAD_BODIES = [
    ({"score": 0}, "score"),
    ({"score": 6}, "score"),
    ({"score": 4.5}, "score"),
    ({"score": "5"}, "score"),
    ({"score": True}, "score"),
    ({}, "score"),
    ({"score": 3, "comment": "x" * 501}, "comment"),
    ({"score": 3, "ratee": "someone"}, "ratee"),
]


def test_a_bad_rating_is_400_and_changes_nothing(new_user):
    giver, taker = new_user(), new_user()
    deal = gift(giver, taker)
    for body, field in BAD_BODIES:
        reply = giver.post(f"/transactions/{deal['id']}/ratings", body)
        assert (reply.status, reply.code) == (400, "validation_error"), body
        assert reply.body["error"]["details"][0]["field"] == field
    assert rating_of(taker, taker) == {"average": None, "count": 0}
    assert rate(giver, deal, 2).status == 201


def test_an_unknown_transaction_is_404(new_user):
    reply = rate(new_user(), {"id": "gift-nothing"}, 5)
    assert (reply.status, reply.code) == (404, "not_found")


def test_both_lists_page_newest_first_with_a_cursor(new_user):
    hub = new_user("hub")
    partners = [new_user() for _ in range(3)]
    deals = [gift(hub, partner) for partner in partners]
    given = [rate(p, d, s).body for p, d, s in zip(partners, deals, [1, 2, 3], strict=True)]

    first = hub.get(f"/users/{hub.id}/transactions?limit=2").body
    assert [t["id"] for t in first["transactions"]] == [deals[2]["id"], deals[1]["id"]]
    rest = hub.get(f"/users/{hub.id}/transactions?limit=2&cursor={first['nextCursor']}").body
    assert ([t["id"] for t in rest["transactions"]], rest["nextCursor"]) == ([deals[0]["id"]], None)

    page = partners[0].get(f"/users/{hub.id}/ratings?limit=2").body
    assert page["ratings"] == [given[2], given[1]]
    tail = partners[0].get(f"/users/{hub.id}/ratings?limit=2&cursor={page['nextCursor']}").body
    assert tail == {"ratings": [given[0]], "nextCursor": None}
    assert rating_of(hub, hub) == {"average": 2.0, "count": 3}

    bad = hub.get(f"/users/{hub.id}/ratings?cursor=not-a-cursor")
    assert (bad.status, bad.code) == (400, "validation_error")


def test_twenty_identical_submissions_count_once(new_user):
    giver, taker = new_user(), new_user()
    deal = gift(giver, taker)
    barrier = threading.Barrier(20)

    def submit(_: int):
        barrier.wait(timeout=60)
        return rate(giver, deal, 4)

    # Twenty connections at once, released together.
    with ThreadPoolExecutor(max_workers=20) as pool:
        replies = list(pool.map(submit, range(20)))
    assert (
        sorted((r.status, r.code) for r in replies) == [(201, None)] + [(409, "already_rated")] * 19
    )
    assert rating_of(taker, taker) == {"average": 4.0, "count": 1}
