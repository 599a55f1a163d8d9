"""POST/GET /items and GET/PUT/DELETE /items/{id}."""

from __future__ import annotations

import re
from typing import Any

from ecobid_core.model.auction_terms import AuctionTerms
from ecobid_core.model.values import ItemType, Location
from ecobid_core.services import items as use
from ecobid_core.services import search
from ecobid_entrypoints.api import present
from ecobid_entrypoints.api.deps import AppDeps
from ecobid_entrypoints.api.http import ApiRequest, ApiResponse, ok
from ecobid_entrypoints.api.route_params import ITEM_LIST_PARAMS, ITEM_UPDATE_PARAMS
from ecobid_entrypoints.api.validation import parse_time


def _location(data: dict[str, Any] | None) -> Location | None:
    return None if data is None else Location.of(data["lat"], data["lon"])


def _terms(data: dict[str, Any]) -> AuctionTerms:
    ends_at = data.get("endsAt")
    return AuctionTerms(
        start_price=data.get("startPrice"),
        currency=data.get("currency"),
        ends_at=None if ends_at is None else parse_time(ends_at, "auction.endsAt"),
        reserve_price=data.get("reservePrice"),
    )


def _view(item: Any, req: ApiRequest, deps: AppDeps, status: int = 200) -> ApiResponse:
    body = present.item(item, req.user_id, deps.clock.now(), deps.image_url)
    return ok(body, status, ETag=f'"{item.version}"')


def create_item(req: ApiRequest, deps: AppDeps) -> ApiResponse:
    data = req.json("CreateItemRequest")
    auction = data.get("auction")
    cmd = use.CreateItem(
        owner_id=req.user_id,
        title=data["title"],
        description=data.get("description", ""),
        category=data["category"],
        location=Location.of(data["location"]["lat"], data["location"]["lon"]),
        item_type=ItemType(data["type"]),
        auction=None if auction is None else _terms(auction),
    )
    item = deps.run(lambda uow: use.create_item(cmd, uow, deps.clock, deps.ids))
    response = _view(item, req, deps, 201)
    return ok(response.body, 201, ETag=response.headers["ETag"], Location=f"/items/{item.id}")


def list_items(req: ApiRequest, deps: AppDeps) -> ApiResponse:
    args = ITEM_LIST_PARAMS.parse(req)
    limit, cursor = args["limit"], args["cursor"]
    now = deps.clock.now()
    owner_id = args["ownerId"]
    if owner_id:
        page = deps.run(lambda uow: search.list_by_owner(owner_id, req.user_id, limit, cursor, uow))
        entries = [present.item(i, req.user_id, now, deps.image_url) for i in page.entries]
        return ok({"items": entries, "nextCursor": page.cursor})
    query = search.NearbyQuery(
        lat=args["lat"],
        lon=args["lon"],
        radius_km=float(args["radiusKm"]),
        category=args["category"],
        item_type=args["type"],
        limit=limit,
        cursor=cursor,
    )
    hits = deps.run(lambda uow: search.search_nearby(query, uow, deps.clock))
    entries = [
        {
            **present.item(hit.item, req.user_id, now, deps.image_url),
            "distanceKm": round(hit.distance_km, 3),
        }
        for hit in hits.entries
    ]
    return ok({"items": entries, "nextCursor": hits.cursor})


def get_item(req: ApiRequest, deps: AppDeps) -> ApiResponse:
    item = deps.run(lambda uow: use.get_item(req.param("id"), req.user_id, uow))
    return _view(item, req, deps)


def update_item(req: ApiRequest, deps: AppDeps) -> ApiResponse:
    data = req.json("UpdateItemRequest")
    if_match = ITEM_UPDATE_PARAMS.parse(req)["If-Match"]
    expected = None if if_match is None else int(re.sub(r"\D", "", if_match))
    cmd = use.EditItem(
        item_id=req.param("id"),
        user_id=req.user_id,
        expected_version=expected,
        title=data.get("title"),
        description=data.get("description"),
        category=data.get("category"),
        location=_location(data.get("location")),
        auction=_terms(data["auction"]) if "auction" in data else None,
    )
    item = deps.run(lambda uow: use.edit_item(cmd, uow, deps.clock))
    return _view(item, req, deps)


def delete_item(req: ApiRequest, deps: AppDeps) -> ApiResponse:
    deps.run(lambda uow: use.withdraw_item(req.param("id"), req.user_id, uow, deps.clock))
    return ApiResponse(204)
