"""POST and GET /items/{id}/bids."""

from __future__ import annotations

from ecobid_core.services import auctions as use
from ecobid_entrypoints.api import present
from ecobid_entrypoints.api.deps import AppDeps
from ecobid_entrypoints.api.http import ApiRequest, ApiResponse, ok


def place_bid(req: ApiRequest, deps: AppDeps) -> ApiResponse:
    amount = req.json("PlaceBidRequest")["amount"]
    accepted = deps.run(
        lambda uow: use.place_bid(req.param("id"), req.user_id, amount, uow, deps.clock, deps.ids)
    )
    view = present.item(accepted.item, req.user_id, deps.clock.now(), deps.image_url)
    return ok({"bid": present.own_bid(accepted.bid), "auction": view["auction"]}, 201)


def list_bids(req: ApiRequest, deps: AppDeps) -> ApiResponse:
    bids = deps.run(lambda uow: use.bid_history(req.param("id"), req.user_id, uow))
    return ok({"bids": [present.price_step(bid) for bid in bids]})
