"""Auctions over HTTP: proxy bidding, soft close, reserve, ending, secrecy of maxima."""

from __future__ import annotations

import copy
import itertools
import json
import random
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from tests.support.auction_reference import Reference
from tests.support.builders import auction_item, free_item
from tests.support.client import Reply

pytestmark = pytest.mark.integration


def _server_now(api) -> datetime:
    return datetime.fromisoformat(api.advance(0).replace("Z", "+00:00"))


def _ends_in(api, **delta: float) -> str:
    return (_server_now(api) + timedelta(**delta)).isoformat().replace("+00:00", "Z")


def _open(api, owner, **kwargs) -> dict:
    reply = owner.post("/items", auction_item(_ends_in(api, hours=2), **kwargs))
    assert reply.status == 201, reply.body
    return reply.body


def test_a_new_auction_is_active_and_its_reserve_is_the_owners_secret(api, new_user):
    owner, other = new_user(), new_user()
    item = _open(api, owner, reserve_price=1_000)
    assert item["status"] == "active"
    assert item["auction"] == {
        "startPrice": 100,
        "currency": "EUR",
        "endsAt": item["auction"]["endsAt"],
        "currentPrice": 100,
        "bidCount": 0,
        "leadingBidderId": None,
        "reserveMet": False,
        "reservePrice": 1_000,
    }
    assert "reservePrice" not in other.get(f"/items/{item['id']}").body["auction"]


@pytest.mark.parametrize(
    ("terms", "field"),
    [
        ({"startPrice": 0}, "auction.startPrice"),
        ({"startPrice": 1.5}, "auction.startPrice"),
        ({"currency": "euro"}, "auction.currency"),
        ({"reservePrice": 50}, "auction.reservePrice"),
        ({"endsAt": "tomorrow"}, "auction.endsAt"),
        ({"endsAt": "2026-01-01T00:00:00"}, "auction.endsAt"),
    ],
)
def test_bad_auction_terms_are_400(api, new_user, terms, field):
    body = auction_item(_ends_in(api, hours=2))
    body["auction"].update(terms)
    reply = new_user().post("/items", body)
    assert (reply.status, reply.code) == (400, "validation_error")
    assert field in {d["field"] for d in reply.body["error"]["details"]}


@pytest.mark.parametrize("delta", [timedelta(minutes=4), timedelta(days=14, minutes=1)])
def test_an_auction_runs_five_minutes_to_fourteen_days(api, new_user, delta):
    ends = (_server_now(api) + delta).isoformat().replace("+00:00", "Z")
    reply = new_user().post("/items", auction_item(ends))
    assert reply.status == 400
    assert reply.body["error"]["details"][0]["field"] == "auction.endsAt"


def test_the_worked_example_number_for_number(api, new_user):
    owner, a, b, c = new_user(), new_user("a"), new_user("b"), new_user("c")
    item = _open(api, owner, reserve_price=1_000)
    path = f"/items/{item['id']}/bids"

    def bid(user, amount) -> dict:
        reply = user.post(path, {"amount": amount})
        assert reply.status == 201, reply.body
        assert reply.body["bid"]["amount"] == amount
        return reply.body["auction"]

    assert (
        bid(a, 300)["currentPrice"],
        owner.get(f"/items/{item['id']}").body["auction"]["leadingBidderId"],
    ) == (100, a.id)
    after_b = bid(b, 200)
    assert (after_b["currentPrice"], after_b["leadingBidderId"]) == (225, a.id)
    tie = bid(b, 300)
    assert (tie["currentPrice"], tie["leadingBidderId"]) == (300, a.id)
    after_c = bid(c, 1_200)
    assert (after_c["currentPrice"], after_c["leadingBidderId"], after_c["reserveMet"]) == (
        1_000,
        c.id,
        True,
    )
    low = a.post(path, {"amount": 1_049})
    assert (low.status, low.code) == (409, "bid_too_low")
    assert low.body["error"]["details"] == [{"field": "amount", "minimum": 1_050}]
    assert a.post(path, {"amount": 1_050}).status == 201
    history = a.get(path).body["bids"]
    assert [(h["bidderId"], h["price"]) for h in history] == [
        (a.id, 1_100),
        (c.id, 1_000),
        (b.id, 300),
        (b.id, 225),
        (a.id, 100),
    ]


def test_bid_refusals(api, new_user):
    owner, bidder = new_user(), new_user()
    item = _open(api, owner)
    path = f"/items/{item['id']}/bids"
    own = owner.post(path, {"amount": 500})
    assert (own.status, own.code) == (409, "own_item")
    for body in ({"amount": 0}, {"amount": 1.5}, {"amount": "5"}, {}, {"amount": 5, "x": 1}):
        assert bidder.post(path, body).status == 400, body
    below = bidder.post(path, {"amount": 99})
    assert (below.code, below.body["error"]["details"]) == (
        "bid_too_low",
        [{"field": "amount", "minimum": 100}],
    )
    free = owner.post("/items", free_item()).body
    assert bidder.post(f"/items/{free['id']}/bids", {"amount": 500}).code == "item_not_available"
    assert bidder.post("/items/nope/bids", {"amount": 500}).status == 404
    assert bidder.get(f"/items/{item['id']}").body == owner.get(f"/items/{item['id']}").body | {
        "auction": {k: v for k, v in item["auction"].items() if k != "reservePrice"}
    }


def test_auction_terms_edit_until_the_first_bid_and_no_withdrawal_after(api, new_user):
    owner, bidder = new_user(), new_user()
    item = _open(api, owner)
    edited = owner.put(f"/items/{item['id']}", {"auction": {"startPrice": 200}})
    assert edited.body["auction"]["startPrice"] == 200
    bidder.post(f"/items/{item['id']}/bids", {"amount": 250})
    fixed = owner.put(f"/items/{item['id']}", {"auction": {"startPrice": 50}})
    assert (fixed.status, fixed.code) == (409, "auction_has_bids")
    withdraw = owner.delete(f"/items/{item['id']}")
    assert (withdraw.status, withdraw.code) == (409, "auction_has_bids")
    assert owner.get(f"/items/{item['id']}").body["status"] == "active"


def test_soft_close_and_refusal_after_the_end(api, new_user):
    owner, a, b = new_user(), new_user(), new_user()
    reply = owner.post("/items", auction_item(_ends_in(api, minutes=6)))
    item = reply.body
    path = f"/items/{item['id']}/bids"
    ends = datetime.fromisoformat(item["auction"]["endsAt"].replace("Z", "+00:00"))
    assert a.post(path, {"amount": 100}).body["auction"]["endsAt"] == item["auction"]["endsAt"]
    api.advance((ends - _server_now(api)).total_seconds() - 60)  # one minute left
    late = b.post(path, {"amount": 200})
    moved = datetime.fromisoformat(late.body["auction"]["endsAt"].replace("Z", "+00:00"))
    bid_time = datetime.fromisoformat(late.body["bid"]["createdAt"].replace("Z", "+00:00"))
    assert moved == bid_time + timedelta(minutes=2)
    assert moved > ends
    api.advance((moved - _server_now(api)).total_seconds() + 1)
    closed = a.post(path, {"amount": 10_000})
    assert (closed.status, closed.code) == (409, "auction_closed")
    assert (
        owner.get(f"/items/{item['id']}").body["auction"]["currentPrice"] == 125
    )  # 100 + increment(100)


def test_a_leaders_own_late_raise_moves_neither_the_end_nor_the_history(api, new_user):
    owner, leader, rival, watcher = new_user(), new_user(), new_user(), new_user()
    item = owner.post("/items", auction_item(_ends_in(api, minutes=6))).body
    path = f"/items/{item['id']}/bids"
    assert leader.post(path, {"amount": 300}).status == 201
    assert rival.post(path, {"amount": 200}).status == 201
    ends = datetime.fromisoformat(item["auction"]["endsAt"].replace("Z", "+00:00"))
    api.advance((ends - _server_now(api)).total_seconds() - 60)  # one minute left
    before = watcher.get(f"/items/{item['id']}").body["auction"]
    history = watcher.get(path).body["bids"]

    raised = leader.post(path, {"amount": 2_000})
    assert raised.status == 201, raised.body
    assert raised.body["bid"]["amount"] == 2_000  # the leader sees the new maximum
    after = watcher.get(f"/items/{item['id']}").body["auction"]
    assert (
        (after["endsAt"], after["bidCount"], after["currentPrice"])
        == (
            before["endsAt"],
            before["bidCount"],
            before["currentPrice"],
        )
        == (item["auction"]["endsAt"], 2, 225)
    )
    assert watcher.get(path).body["bids"] == history

    # A competing bid still moves the end: the price changes (the leader's maximum holds).
    competing = rival.post(path, {"amount": 500})
    assert competing.status == 201, competing.body
    moved = datetime.fromisoformat(competing.body["auction"]["endsAt"].replace("Z", "+00:00"))
    bid_time = datetime.fromisoformat(competing.body["bid"]["createdAt"].replace("Z", "+00:00"))
    assert moved == bid_time + timedelta(minutes=2) > ends
    assert (
        competing.body["auction"]["leadingBidderId"],
        competing.body["auction"]["bidCount"],
    ) == (
        leader.id,
        3,
    )
    assert len(watcher.get(path).body["bids"]) == 3

    # When it ends, the winner reads the price in euros and every other bidder hears it.
    api.advance((moved - _server_now(api)).total_seconds() + 1)
    api.run_job("end-auctions")
    won = [n for n in _notifications(leader) if n["itemId"] == item["id"]]
    assert [(n["type"], n["message"]) for n in won] == [
        ("auction_won", f"You won {item['title']} at EUR 5.50.")
    ]
    assert [n["type"] for n in _notifications(rival) if n["itemId"] == item["id"]] == [
        "auction_lost"
    ]
    assert [n for n in _notifications(watcher) if n["itemId"] == item["id"]] == []


def _notifications(user) -> list[dict]:
    return user.get(f"/users/{user.id}/notifications").body["notifications"]


def test_ending_twice_sells_once_and_notifies_once(api, new_user):
    owner, winner, loser = new_user(), new_user(), new_user()
    item = _open(api, owner, reserve_price=300)
    path = f"/items/{item['id']}/bids"
    loser.post(path, {"amount": 250})
    winner.post(path, {"amount": 400})
    api.advance(2 * 3600 + 1)
    processed = api.run_job("end-auctions")
    if api.backend == "memory":
        assert processed == 0  # the auction's schedule ended it when the clock moved
    else:
        assert processed >= 1
    assert api.run_job("end-auctions") == 0
    sold = owner.get(f"/items/{item['id']}").body
    assert sold["status"] == "sold"
    assert sold["auction"]["currentPrice"] == 300
    won = [n for n in _notifications(winner) if n["itemId"] == item["id"]]
    told = [n for n in _notifications(owner) if n["itemId"] == item["id"]]
    assert [n["type"] for n in won] == ["auction_won"]
    # Money in the currency's own form, not minor units: 300 cents of EUR.
    assert won[0]["message"] == f"You won {item['title']} at EUR 3.00."
    assert [n["type"] for n in told if n["type"].startswith("auction")] == ["auction_sold"]
    assert [n["type"] for n in _notifications(loser) if n["itemId"] == item["id"]] == [
        "auction_lost",
        "outbid",
    ]
    other = new_user()
    assert other.get(f"/users/{owner.id}/notifications").status == 403


def test_reserve_not_met_ends_without_a_sale(api, new_user):
    owner, bidder = new_user(), new_user()
    item = _open(api, owner, reserve_price=5_000)
    bidder.post(f"/items/{item['id']}/bids", {"amount": 4_000})
    api.advance(2 * 3600 + 1)
    api.run_job("end-auctions")
    ended = owner.get(f"/items/{item['id']}").body
    assert ended["status"] == "ended"
    assert ended["auction"]["reserveMet"] is False
    # No winner: every bidder lost.
    assert [n["type"] for n in _notifications(bidder) if n["itemId"] == item["id"]] == [
        "auction_lost"
    ]
    assert "auction_ended" in [
        n["type"] for n in _notifications(owner) if n["itemId"] == item["id"]
    ]


def test_hundred_concurrent_bids_lose_no_update(api, new_user):
    owner = new_user()
    bidders = [new_user("bidder") for _ in range(10)]
    item = _open(api, owner, reserve_price=2_000)
    path = f"/items/{item['id']}/bids"
    rng = random.Random(7)
    plan = [(rng.choice(bidders), rng.randrange(100, 4_000, 5)) for _ in range(100)]

    def bid(step) -> tuple:
        user, amount = step
        return user, amount, user.post(path, {"amount": amount})

    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(bid, plan))
    accepted = [(u, a, r) for u, a, r in results if r.status == 201]
    assert {r.code for _, _, r in results if r.status != 201} <= {"bid_too_low"}
    assert accepted
    # Each accepted bid answers with the public step count after it: a step takes the
    # next number, a leader's hidden raise repeats the one before. Replayed in that order
    # (within one number, whichever order the model accepts with the same answers), the
    # reference model must give every answer and the final state.
    ends = datetime.now(UTC) + timedelta(days=1)  # soft close is not at play here
    model = Reference(start_price=100, reserve_price=2_000, ends_at=ends)
    groups: dict[int, list[tuple]] = {}
    for entry in accepted:
        groups.setdefault(entry[2].body["auction"]["bidCount"], []).append(entry)
    assert sorted(groups) == list(range(min(groups), max(groups) + 1))
    for count in sorted(groups):
        model = _replay_group(model, groups[count])
    history = owner.get(path).body["bids"]
    assert len(history) == model.steps == max(groups)
    final = owner.get(f"/items/{item['id']}").body["auction"]
    assert (final["leadingBidderId"], final["currentPrice"], final["bidCount"]) == (
        model.leader,
        model.price,
        model.steps,
    )


def _replay_group(model: Reference, group: list[tuple]) -> Reference:
    for order in itertools.permutations(group):
        trial = copy.deepcopy(model)
        if all(
            trial.bid(user.id, amount, datetime.now(UTC)) is None
            and (trial.leader, trial.price, trial.steps)
            == (
                reply.body["auction"]["leadingBidderId"],
                reply.body["auction"]["currentPrice"],
                reply.body["auction"]["bidCount"],
            )
            for user, amount, reply in order
        ):
            return trial
    raise AssertionError(f"no order of {[(u.id, a) for u, a, _ in group]} fits the model")


def test_no_one_but_the_bidder_sees_a_hidden_maximum(api, new_user):
    owner, leader, rival, watcher = new_user(), new_user(), new_user(), new_user()
    item = _open(api, owner)
    path = f"/items/{item['id']}/bids"
    secret = 987_655
    mine = leader.post(path, {"amount": secret})
    assert mine.body["bid"]["amount"] == secret  # the bidder sees their own maximum
    rival_reply = rival.post(path, {"amount": 1_500})
    replies: list[Reply] = [rival_reply]
    for user in (owner, rival, watcher):
        replies += [
            user.get(f"/items/{item['id']}"),
            user.get(path),
            user.get(f"/items?ownerId={owner.id}"),
            user.get(f"/items?lat={item['location']['lat']}&lon={item['location']['lon']}"),
            user.get(f"/users/{user.id}/notifications"),
        ]
    for reply in replies:
        assert reply.status in (200, 201)
        assert str(secret) not in json.dumps(reply.body)
