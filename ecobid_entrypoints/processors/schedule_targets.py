"""What the one-time schedules call: ``EndAuction`` and ``ExpireReservation``.

A schedule's payload names one record: ``{"itemId": "…"}`` for EndAuction,
``{"reservationId": "…"}`` for ExpireReservation. Both are idempotent, so a retried or
duplicated firing, or the sweep getting there first, changes nothing twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from ecobid_core.ports import Clock, Scheduler, UnitOfWorkFactory
from ecobid_core.services.deadlines import (
    END_AUCTION,
    EXPIRE_RESERVATION,
    end_auction_on_time,
    expire_hold_on_time,
)


class BadPayload(ValueError):
    """The payload does not name a record: retrying cannot mend it."""


def end_auction(
    payload: Mapping[str, Any], uow_factory: UnitOfWorkFactory, clock: Clock, scheduler: Scheduler
) -> dict[str, Any]:
    item_id = _id(payload, "itemId")
    return {"itemId": item_id, "ended": end_auction_on_time(item_id, uow_factory, clock, scheduler)}


def expire_reservation(
    payload: Mapping[str, Any], uow_factory: UnitOfWorkFactory, clock: Clock, scheduler: Scheduler
) -> dict[str, Any]:
    reservation_id = _id(payload, "reservationId")
    return {
        "reservationId": reservation_id,
        "expired": expire_hold_on_time(reservation_id, uow_factory, clock),
    }


def _id(payload: Mapping[str, Any], key: str) -> str:
    value = payload.get(key) if isinstance(payload, Mapping) else None
    if not isinstance(value, str) or not value or len(value) > 128:
        raise BadPayload(f"the payload needs {key!r}, a non-empty string")
    return value


class Target(Protocol):
    def __call__(
        self,
        payload: Mapping[str, Any],
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        scheduler: Scheduler,
    ) -> dict[str, Any]: ...


#: The targets by the job names the schedules use.
TARGETS: dict[str, Target] = {END_AUCTION: end_auction, EXPIRE_RESERVATION: expire_reservation}
