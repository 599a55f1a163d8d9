"""POST/GET /items and GET/PUT/DELETE /items/{id}."""

from __future__ import annotations

import re
from typing import Any

from ecobid_core.model.auction_terms import AuctionTerms
from ecobid_core.model.values import CATEGORIES, ItemType, Location
from ecobid_core.services import items as use
from ecobid_core.services import search
from ecobid_entrypoints.api import present
from ecobid_entrypoints.api.deps import AppDeps
from ecobid_entrypoints.api.errors import invalid
from ecobid_entrypoints.api.http import ApiRequest, ApiResponse, ok
from ecobid_entrypoints.api.validation import (
    parse_time,
    query_choice,
    query_float,
    query_int,
)

_IF_MATCH = re.compile(r'^\s*(?:W/)?"?(\d{1,18})"?\s*$')


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
    limit = query_int(req.query, "limit", low=1, high=search.MAX_LIMIT, default=20)
    cursor = req.query.get("cursor") or None
    now = deps.clock.now()
    owner_id = req.query.get("ownerId")
    if owner_id:
        page = deps.run(lambda uow: search.list_by_owner(owner_id, req.user_id, limit, cursor, uow))
        entries = [present.item(i, req.user_id, now, deps.image_url) for i in page.entries]
        return ok({"items": entries, "nextCursor": page.cursor})
    lat = query_float(req.query, "lat", low=-90, high=90)
    lon = query_float(req.query, "lon", low=-180, high=180)
    if lat is None or lon is None:
        raise invalid("lat" if lat is None else "lon", "is required (or give ownerId)")
    query = search.NearbyQuery(
        lat=lat,
        lon=lon,
        radius_km=query_float(req.query, "radiusKm", low=0.001, high=search.MAX_RADIUS_KM) or 5.0,
        category=query_choice(req.query, "category", CATEGORIES),
        item_type=query_choice(req.query, "type", ("free", "auction")),
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
    expected = None
    if "if-match" in req.headers:
        match = _IF_MATCH.match(req.headers["if-match"])
        if match is None:
            raise invalid("If-Match", 'must be an item version in quotes, e.g. "3"')
        expected = int(match.group(1))
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
