"""POST /transactions/{id}/ratings, GET /users/{id}/transactions and /users/{id}/ratings."""

from __future__ import annotations

from ecobid_core.services import ratings as use
from ecobid_entrypoints.api import present
from ecobid_entrypoints.api.deps import AppDeps
from ecobid_entrypoints.api.http import ApiRequest, ApiResponse, ok
from ecobid_entrypoints.api.route_params import USER_PAGE_PARAMS


def submit_rating(req: ApiRequest, deps: AppDeps) -> ApiResponse:
    data = req.json("CreateRatingRequest")
    cmd = use.SubmitRating(
        transaction_id=req.param("id"),
        rater_id=req.user_id,
        score=data["score"],
        comment=data.get("comment", ""),
    )
    done = deps.run(lambda uow: use.submit_rating(cmd, uow, deps.clock, deps.rating_window))
    deps.copy_profile(done.ratee)
    return ok(present.rating(done.rating), 201)


def list_transactions(req: ApiRequest, deps: AppDeps) -> ApiResponse:
    limit, cursor = _paging(req)
    page = deps.run(
        lambda uow: use.list_user_transactions(req.param("id"), req.user_id, limit, cursor, uow)
    )
    entries = [
        {
            **present.transaction(entry.transaction),
            "myRating": None if entry.my_rating is None else present.rating(entry.my_rating),
        }
        for entry in page.entries
    ]
    return ok({"transactions": entries, "nextCursor": page.cursor})


def list_ratings(req: ApiRequest, deps: AppDeps) -> ApiResponse:
    limit, cursor = _paging(req)
    page = deps.run(lambda uow: use.list_ratings_received(req.param("id"), limit, cursor, uow))
    return ok({"ratings": [present.rating(r) for r in page.entries], "nextCursor": page.cursor})


def _paging(req: ApiRequest) -> tuple[int, str | None]:
    page = USER_PAGE_PARAMS.parse(req)
    return page["limit"], page["cursor"]
