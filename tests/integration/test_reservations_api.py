"""Reserve, confirm and cancel over HTTP, races included."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.support.builders import free_item

pytestmark = pytest.mark.integration


def test_reserve_then_confirm_gives_the_item_and_records_a_gift(new_user):
    owner, taker = new_user(), new_user()
    item = owner.post("/items", free_item()).body
    reply = taker.post(f"/items/{item['id']}/reserve")
    assert reply.status == 201
    hold = reply.body
    assert (hold["status"], hold["itemId"], hold["userId"], hold["ownerId"]) == (
        "pending",
        item["id"],
        taker.id,
        owner.id,
    )
    assert reply.headers["location"] == f"/reservations/{hold['id']}"
    assert owner.get(f"/items/{item['id']}").body["status"] == "reserved"
    done = owner.post(f"/reservations/{hold['id']}/confirm")
    assert done.status == 200
    assert done.body["reservation"]["status"] == "confirmed"
    gift = done.body["transaction"]
    assert (gift["kind"], gift["itemId"], gift["sellerId"], gift["buyerId"], gift["amount"]) == (
        "gift",
        item["id"],
        owner.id,
        taker.id,
        0,
    )
    assert owner.get(f"/items/{item['id']}").body["status"] == "given"
    again = owner.post(f"/reservations/{hold['id']}/confirm")
    assert (again.status, again.code) == (409, "reservation_not_pending")


def test_reserving_refusals(new_user):
    owner, taker, late = new_user(), new_user(), new_user()
    item = owner.post("/items", free_item()).body
    own = owner.post(f"/items/{item['id']}/reserve")
    assert (own.status, own.code) == (409, "own_item")
    assert taker.post(f"/items/{item['id']}/reserve").status == 201
    second = late.post(f"/items/{item['id']}/reserve")
    assert (second.status, second.code) == (409, "item_not_available")
    missing = late.post("/items/does-not-exist/reserve")
    assert (missing.status, missing.code) == (404, "not_found")


def test_either_side_cancels_and_the_item_is_available_again(new_user):
    owner, taker = new_user(), new_user()
    item = owner.post("/items", free_item()).body
    for canceller in (taker, owner):
        hold = taker.post(f"/items/{item['id']}/reserve").body
        reply = canceller.post(f"/reservations/{hold['id']}/cancel")
        assert reply.status == 200
        assert reply.body["status"] == "cancelled"
        assert owner.get(f"/items/{item['id']}").body["status"] == "available"
        twice = canceller.post(f"/reservations/{hold['id']}/cancel")
        assert twice.code == "reservation_not_pending"


def test_unknown_reservation_is_404(new_user):
    user = new_user()
    assert user.post("/reservations/nope/confirm").status == 404
    assert user.post("/reservations/nope/cancel").status == 404


def test_a_lapsed_hold_is_expired_on_read_and_write_before_the_job_runs(api, new_user):
    owner, taker, next_taker = new_user(), new_user(), new_user()
    item = owner.post("/items", free_item()).body
    hold = taker.post(f"/items/{item['id']}/reserve").body
    api.advance(24 * 3600 + 1)
    assert owner.get(f"/items/{item['id']}").body["status"] == "available"
    late = owner.post(f"/reservations/{hold['id']}/confirm")
    assert (late.status, late.code) == (409, "reservation_not_pending")
    assert next_taker.post(f"/items/{item['id']}/reserve").status == 201
    api.run_job("cancel-expired-reservations")
    assert owner.get(f"/items/{item['id']}").body["status"] == "reserved"  # the new hold stands


def test_the_expiry_job_writes_down_lapsed_holds_once(api, new_user):
    owner, taker = new_user(), new_user()
    item = owner.post("/items", free_item()).body
    taker.post(f"/items/{item['id']}/reserve")
    api.advance(24 * 3600 + 1)
    processed = api.run_job("cancel-expired-reservations")
    if api.backend == "memory":
        assert processed == 0  # the hold's schedule expired it when the clock moved
    else:
        assert processed >= 1
    assert api.run_job("cancel-expired-reservations") == 0
    assert owner.get(f"/items/{item['id']}").body["status"] == "available"


def test_fifty_concurrent_reserves_have_exactly_one_winner(api, new_user):
    owner = new_user()
    item = owner.post("/items", free_item()).body
    takers = [new_user("racer") for _ in range(50)]

    def reserve(user):
        return user.post(f"/items/{item['id']}/reserve")

    with ThreadPoolExecutor(max_workers=50) as pool:
        replies = list(pool.map(reserve, takers))
    statuses = sorted(r.status for r in replies)
    assert statuses == [201] + [409] * 49
    assert {r.code for r in replies if r.status == 409} == {"item_not_available"}
    winner = next(r.body for r in replies if r.status == 201)
    stored = owner.get(f"/items/{item['id']}").body
    assert stored["status"] == "reserved"
    # Exactly one reservation exists: only the winner's id resolves, and confirms.
    done = owner.post(f"/reservations/{winner['id']}/confirm")
    assert done.status == 200
    assert done.body["transaction"]["buyerId"] == winner["userId"]
