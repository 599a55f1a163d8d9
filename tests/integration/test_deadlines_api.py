"""On the local server, moving the clock past a deadline acts as the schedules would.

Memory backend only: there the local scheduler fires what the clock made due. On moto the
schedules are stored in EventBridge Scheduler, which moto never fires (see
tests/contract/test_deadlines.py for what they hold and what their targets do).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.support.builders import auction_item, free_item

pytestmark = [
    pytest.mark.integration,
    pytest.mark.parametrize("api", ["memory"], indirect=True),
]


def _types(user, item_id: str) -> list[str]:
    notes = user.get(f"/users/{user.id}/notifications").body["notifications"]
    return [n["type"] for n in notes if n["itemId"] == item_id]


def test_the_clock_passing_an_auctions_end_sells_it_and_tells_both(api, new_user):
    seller, winner = new_user(), new_user()
    now = datetime.fromisoformat(api.advance(0).replace("Z", "+00:00"))
    ends = (now + timedelta(hours=1)).isoformat().replace("+00:00", "Z")
    item = seller.post("/items", auction_item(ends)).body
    assert winner.post(f"/items/{item['id']}/bids", {"amount": 300}).status == 201
    api.advance(3600 - 10)
    assert seller.get(f"/items/{item['id']}").body["status"] == "active"
    assert _types(winner, item["id"]) == []
    api.advance(11)  # no job is called: the auction's schedule ends it
    assert seller.get(f"/items/{item['id']}").body["status"] == "sold"
    assert _types(winner, item["id"]) == ["auction_won"]
    assert "auction_sold" in _types(seller, item["id"])


def test_the_clock_passing_a_holds_expiry_tells_holder_and_owner(api, new_user):
    owner, holder = new_user(), new_user()
    item = owner.post("/items", free_item()).body
    holder.post(f"/items/{item['id']}/reserve")
    api.advance(24 * 3600 - 10)
    assert _types(holder, item["id"]) == []
    api.advance(11)  # no job is called: the hold's schedule writes down its expiry
    assert _types(holder, item["id"]) == ["reservation_expired"]
    assert _types(owner, item["id"]) == ["reservation_expired", "reservation_created"]
    assert owner.get(f"/items/{item['id']}").body["status"] == "available"
