"""The reservation state machine of a free item.

pending -> confirmed | cancelled | expired. A pending hold whose ``expires_at`` has passed
is expired on every read and write, whether or not the hourly job has tidied it yet: TTL
and schedules are late, the clock is not.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from typing import Any, cast

from attrs import define, field

from ecobid_core.errors import Forbidden, ReservationNotPending
from ecobid_core.model.aggregate import FIRST_VERSION, RecordsEvents
from ecobid_core.model.events import (
    DomainEvent,
    ReservationCancelled,
    ReservationConfirmed,
    ReservationCreated,
    ReservationExpired,
)


class ReservationRole(StrEnum):
    """A user's side of a reservation: the one who holds the item, or its owner."""

    HOLDER = "holder"
    GIVER = "giver"


class ReservationStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


@define(kw_only=True)
class Reservation(RecordsEvents):
    id: str
    item_id: str
    user_id: str
    owner_id: str
    status: ReservationStatus
    created_at: datetime
    expires_at: datetime
    updated_at: datetime
    version: int = FIRST_VERSION
    pending_events: list[DomainEvent] = field(factory=list, eq=False, repr=False)

    @classmethod
    def hold(
        cls,
        *,
        reservation_id: str,
        item_id: str,
        user_id: str,
        owner_id: str,
        now: datetime,
        expires_at: datetime,
    ) -> Reservation:
        reservation = cls(
            id=reservation_id,
            item_id=item_id,
            user_id=user_id,
            owner_id=owner_id,
            status=ReservationStatus.PENDING,
            created_at=now,
            expires_at=expires_at,
            updated_at=now,
        )
        reservation._record_fact(ReservationCreated, now, expires_at=expires_at)
        return reservation

    def status_at(self, now: datetime) -> ReservationStatus:
        if self.status is ReservationStatus.PENDING and now >= self.expires_at:
            return ReservationStatus.EXPIRED
        return self.status

    def is_pending(self, now: datetime) -> bool:
        return self.status_at(now) is ReservationStatus.PENDING

    def confirm(self, by: str, now: datetime, transaction_id: str) -> None:
        if by != self.owner_id:
            raise Forbidden("only the item's owner can confirm a reservation")
        self._require_pending(now)
        self._move(ReservationStatus.CONFIRMED, now)
        self._record_fact(ReservationConfirmed, now, transaction_id=transaction_id)

    def cancel(self, by: str, now: datetime) -> None:
        if by not in (self.user_id, self.owner_id):
            raise Forbidden("only the holder or the item's owner can cancel a reservation")
        self._require_pending(now)
        self._move(ReservationStatus.CANCELLED, now)
        self._record_fact(ReservationCancelled, now, cancelled_by=by)

    def expire(self, now: datetime) -> None:
        """Write down an expiry that has already happened by the clock."""
        if self.status is not ReservationStatus.PENDING or now < self.expires_at:
            raise ReservationNotPending("only a lapsed pending hold can be expired")
        self._move(ReservationStatus.EXPIRED, now)
        self._record_fact(ReservationExpired, now)

    def _record_fact(self, kind: type[DomainEvent], now: datetime, **extra: Any) -> None:
        """Record an event carrying the ids every reservation event's consumers need."""
        make = cast(Callable[..., DomainEvent], kind)  # each kind adds its own fields
        self._record(
            make(
                event_id=self._event_id(kind),
                occurred_at=now,
                reservation_id=self.id,
                item_id=self.item_id,
                user_id=self.user_id,
                owner_id=self.owner_id,
                **extra,
            )
        )

    def _require_pending(self, now: datetime) -> None:
        if not self.is_pending(now):
            raise ReservationNotPending(f"the reservation is {self.status_at(now).value}")

    def _move(self, status: ReservationStatus, now: datetime) -> None:
        self.status = status
        self._changed(now)
