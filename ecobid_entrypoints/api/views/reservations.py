"""POST /items/{id}/reserve and POST /reservations/{id}/confirm|cancel."""

from __future__ import annotations

from ecobid_core.services import reservations as use
from ecobid_entrypoints.api import present
from ecobid_entrypoints.api.deps import AppDeps
from ecobid_entrypoints.api.http import ApiRequest, ApiResponse, ok


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
