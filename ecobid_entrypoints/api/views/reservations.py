"""POST /items/{id}/reserve, GET /reservations/{id}, POST /reservations/{id}/confirm|cancel
and GET /users/{id}/reservations."""

from __future__ import annotations

from ecobid_core.model.reservation import ReservationRole, ReservationStatus
from ecobid_core.services import reservations as use
from ecobid_entrypoints.api import present
from ecobid_entrypoints.api.deps import AppDeps
from ecobid_entrypoints.api.http import ApiRequest, ApiResponse, ok
from ecobid_entrypoints.api.route_params import RESERVATION_LIST_PARAMS


def reserve_item(req: ApiRequest, deps: AppDeps) -> ApiResponse:
    reservation = deps.run(
        lambda uow: use.reserve_item(
            req.param("id"), req.user_id, uow, deps.clock, deps.ids, deps.hold_for
        )
    )
    return ok(
        present.reservation(reservation, deps.clock.now()),
        201,
        Location=f"/reservations/{reservation.id}",
    )


def confirm_reservation(req: ApiRequest, deps: AppDeps) -> ApiResponse:
    done = deps.run(
        lambda uow: use.confirm_reservation(req.param("id"), req.user_id, uow, deps.clock)
    )
    now = deps.clock.now()
    return ok(
        {
            "reservation": present.reservation(done.reservation, now),
            "transaction": present.transaction(done.transaction),
        }
    )


def cancel_reservation(req: ApiRequest, deps: AppDeps) -> ApiResponse:
    reservation = deps.run(
        lambda uow: use.cancel_reservation(req.param("id"), req.user_id, uow, deps.clock)
    )
    return ok(present.reservation(reservation, deps.clock.now()))


def get_reservation(req: ApiRequest, deps: AppDeps) -> ApiResponse:
    reservation = deps.run(lambda uow: use.get_reservation(req.param("id"), req.user_id, uow))
    return ok(present.reservation(reservation, deps.clock.now()))


def list_reservations(req: ApiRequest, deps: AppDeps) -> ApiResponse:
    args = RESERVATION_LIST_PARAMS.parse(req)
    query = use.ReservationQuery(
        user_id=req.param("id"),
        caller_id=req.user_id,
        role=None if args["role"] is None else ReservationRole(args["role"]),
        status=None if args["status"] is None else ReservationStatus(args["status"]),
        limit=args["limit"],
        cursor=args["cursor"],
    )
    page = deps.run(lambda uow: use.list_reservations(query, uow, deps.clock))
    now = deps.clock.now()
    return ok(
        {
            "reservations": [present.reservation(r, now) for r in page.entries],
            "nextCursor": page.cursor,
        }
    )
