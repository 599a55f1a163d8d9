"""Auctions end and holds lapse on time: the schedules events arrange, and their targets.

The same flows run on the memory backend (the local scheduler) and on moto (EventBridge
Scheduler). Each schedule is read back as stored, and its target is invoked in-process
with the payload the schedule carries, as Lambda would be: moto cannot invoke Lambda.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from attrs import evolve, frozen

from ecobid_adapters.aws.dynamodb import create_table
from ecobid_adapters.aws.settings import AwsSettings
from ecobid_core.model.records import Transaction, TransactionKind
from ecobid_core.model.values import ItemType, Location
from ecobid_core.services import auctions, items, reservations
from ecobid_core.services.deadlines import (
    END_AUCTION,
    EXPIRE_RESERVATION,
    auction_schedule,
    hold_schedule,
)
from ecobid_entrypoints.container import Container, build_container
from ecobid_entrypoints.local.moto_backend import moto_container, provision_moto
from ecobid_entrypoints.processors import jobs
from ecobid_entrypoints.processors.schedule_targets import TARGETS

BACKENDS = ["memory", pytest.param("moto", marks=pytest.mark.integration)]
HOLD = timedelta(hours=24)


@frozen
class Scheduled:
    at: datetime
    target: str
    payload: dict[str, Any]


class Deadlines:
    """A container and a way to read its schedules back, whichever backend it is."""

    def __init__(self, container: Container, backend: str) -> None:
        self.container = container
        self.backend = backend
        self.clock = container.clock()

    def read(self, name: str) -> Scheduled | None:
        if self.backend == "memory":
            entry = self.container.local_scheduler().pending(name)
            return None if entry is None else Scheduled(entry.at, entry.target, entry.payload)
        settings = self.container.aws_settings()
        client = self.container.aws_clients().scheduler
        try:
            stored = client.get_schedule(Name=name, GroupName=settings.schedule_group)
        except client.exceptions.ResourceNotFoundException:
            return None
        # What EventBridge Scheduler is told, beyond the time and the target:
        assert stored["ActionAfterCompletion"] == "DELETE"
        assert stored["FlexibleTimeWindow"] == {"Mode": "OFF"}
        assert stored["ScheduleExpressionTimezone"] == "UTC"
        assert stored["Target"]["RoleArn"] == settings.scheduler_role_arn
        functions = {
            settings.end_auction_arn: END_AUCTION,
            settings.expire_reservation_arn: EXPIRE_RESERVATION,
        }
        expression = stored["ScheduleExpression"]
        at = datetime.fromisoformat(expression.removeprefix("at(").removesuffix(")"))
        return Scheduled(
            at.replace(tzinfo=UTC),
            functions[stored["Target"]["Arn"]],
            json.loads(stored["Target"]["Input"]),
        )

    def fire(self, scheduled: Scheduled) -> dict[str, Any]:
        """What the target's function does when the schedule invokes it."""
        target = TARGETS[scheduled.target]
        c = self.container
        return target(scheduled.payload, c.unit_of_work, self.clock, c.scheduler())

    def notified(self, user_id: str) -> list[str]:
        page = self.container.notify().inbox.page(user_id, 100, None)
        return [n.type for n in page.entries]


@pytest.fixture(scope="module")
def moto_settings(moto_endpoint: str) -> AwsSettings:
    return provision_moto(moto_endpoint, env=f"dl{uuid.uuid4().hex[:8]}")


@pytest.fixture(params=BACKENDS)
def deadlines(request: pytest.FixtureRequest) -> Iterator[Deadlines]:
    if request.param == "memory":
        yield Deadlines(build_container("memory"), "memory")
        return
    # A table of its own, so the sweeps of one test never see another's records.
    settings = evolve(request.getfixturevalue("moto_settings"), table=f"dl{uuid.uuid4().hex}")
    container = moto_container(settings)
    create_table(container.dynamodb_client(), settings.table)
    yield Deadlines(container, "moto")


def at_its_time(scheduled: Scheduled | None, due: datetime) -> bool:
    # ``at(...)`` has whole seconds: rounded up, so it never fires before the record is due.
    return scheduled is not None and due <= scheduled.at < due + timedelta(seconds=1)


def open_auction(d: Deadlines, owner: str, ends_in: timedelta) -> str:
    c = d.container
    command = items.CreateItem(
        owner_id=owner,
        title="Record player",
        description="Plays 33 and 45.",
        category="electronics",
        location=Location(52.52, 13.405),
        item_type=ItemType.AUCTION,
        auction=items.AuctionTerms(
            start_price=100, currency="EUR", ends_at=d.clock.now() + ends_in
        ),
    )
    return items.create_item(command, c.unit_of_work(), d.clock, c.ids()).id


def test_an_auction_is_scheduled_at_its_end_moved_by_a_soft_close_and_ended_once(
    deadlines: Deadlines,
) -> None:
    d, c = deadlines, deadlines.container
    item_id = open_auction(d, "seller", timedelta(hours=2))
    with c.unit_of_work() as uow:
        item = uow.items.get(item_id)
    assert item is not None and item.auction is not None
    scheduled = d.read(auction_schedule(item_id))
    assert at_its_time(scheduled, item.auction.ends_at)
    assert scheduled is not None
    assert (scheduled.target, scheduled.payload) == (END_AUCTION, {"itemId": item_id})

    d.clock.advance(2 * 3600 - 60)  # a bid in the last two minutes extends the end
    accepted = auctions.place_bid(item_id, "buyer", 150, c.unit_of_work(), d.clock, c.ids())
    assert accepted.item.auction is not None
    new_end = accepted.item.auction.ends_at
    assert new_end > item.auction.ends_at
    moved = d.read(auction_schedule(item_id))
    assert at_its_time(moved, new_end)

    d.clock.advance((new_end - d.clock.now()).total_seconds() + 1)
    assert moved is not None
    assert d.fire(moved) == {"itemId": item_id, "ended": True}
    assert d.fire(moved) == {"itemId": item_id, "ended": False}  # a second firing
    with c.unit_of_work() as uow:
        sale = uow.transactions.get(Transaction.id_for(TransactionKind.SALE, item_id))
        ended = uow.items.get(item_id)
    assert sale is not None and sale.buyer_id == "buyer"
    assert ended is not None and ended.status.value == "sold"
    assert d.notified("buyer") == ["auction_won"]
    assert d.notified("seller") == ["auction_sold"]


def test_the_owner_moving_the_end_before_any_bid_moves_the_schedule(
    deadlines: Deadlines,
) -> None:
    d = deadlines
    item_id = open_auction(d, "seller", timedelta(hours=2))
    later = d.clock.now() + timedelta(hours=5)
    terms = items.AuctionTerms(ends_at=later)
    edit = items.EditItem(item_id=item_id, user_id="seller", auction=terms)
    items.edit_item(edit, d.container.unit_of_work(), d.clock)
    assert at_its_time(d.read(auction_schedule(item_id)), later)


def test_a_schedule_that_fires_early_is_set_again_for_the_end(deadlines: Deadlines) -> None:
    d = deadlines
    item_id = open_auction(d, "seller", timedelta(hours=1))
    scheduled = d.read(auction_schedule(item_id))
    assert scheduled is not None
    d.container.scheduler().cancel(auction_schedule(item_id))  # it fired: now it is gone
    assert d.fire(scheduled) == {"itemId": item_id, "ended": False}
    assert d.read(auction_schedule(item_id)) == scheduled


def test_the_sweep_ends_an_auction_whose_schedule_was_lost(deadlines: Deadlines) -> None:
    d = deadlines
    item_id = open_auction(d, "seller", timedelta(minutes=30))
    d.container.scheduler().cancel(auction_schedule(item_id))
    d.container.scheduler().cancel(auction_schedule(item_id))  # idempotent
    assert d.read(auction_schedule(item_id)) is None
    d.clock.advance(31 * 60)
    assert jobs.end_auctions(d.container.unit_of_work, d.clock) == 1
    assert d.notified("seller") == ["auction_ended"]


def reserve(d: Deadlines, holder: str) -> str:
    c = d.container
    command = items.CreateItem(
        owner_id="giver",
        title="Oak chair",
        description="Sturdy.",
        category="furniture",
        location=Location(52.52, 13.405),
    )
    item_id = items.create_item(command, c.unit_of_work(), d.clock, c.ids()).id
    hold = reservations.reserve_item(item_id, holder, c.unit_of_work(), d.clock, c.ids(), HOLD)
    return hold.id


def test_a_hold_is_scheduled_to_lapse_and_expires_once(deadlines: Deadlines) -> None:
    d, c = deadlines, deadlines.container
    reservation_id = reserve(d, "holder")
    with c.unit_of_work() as uow:
        hold = uow.reservations.get(reservation_id)
    assert hold is not None
    scheduled = d.read(hold_schedule(reservation_id))
    assert at_its_time(scheduled, hold.expires_at)
    assert scheduled is not None
    assert scheduled.target == EXPIRE_RESERVATION
    assert scheduled.payload == {"reservationId": reservation_id}

    d.clock.advance(HOLD.total_seconds() + 1)
    assert d.fire(scheduled) == {"reservationId": reservation_id, "expired": True}
    assert d.fire(scheduled) == {"reservationId": reservation_id, "expired": False}
    with c.unit_of_work() as uow:
        expired = uow.reservations.get(reservation_id)
        item = uow.items.get(hold.item_id)
    assert expired is not None and expired.status.value == "expired"
    assert item is not None and item.status.value == "available"
    assert d.notified("holder") == ["reservation_expired"]
    assert d.notified("giver") == ["reservation_expired", "reservation_created"]


def test_a_settled_hold_drops_its_schedule_and_a_late_firing_changes_nothing(
    deadlines: Deadlines,
) -> None:
    d, c = deadlines, deadlines.container
    reservation_id = reserve(d, "holder")
    scheduled = d.read(hold_schedule(reservation_id))
    assert scheduled is not None
    reservations.confirm_reservation(reservation_id, "giver", c.unit_of_work(), d.clock)
    assert d.read(hold_schedule(reservation_id)) is None
    d.clock.advance(HOLD.total_seconds() + 1)
    assert d.fire(scheduled) == {"reservationId": reservation_id, "expired": False}
    with c.unit_of_work() as uow:
        confirmed = uow.reservations.get(reservation_id)
    assert confirmed is not None and confirmed.status.value == "confirmed"
    assert "reservation_expired" not in d.notified("holder")


def test_the_hourly_job_expires_a_hold_whose_schedule_was_lost(deadlines: Deadlines) -> None:
    d = deadlines
    reservation_id = reserve(d, "holder")
    d.container.scheduler().cancel(hold_schedule(reservation_id))
    d.clock.advance(HOLD.total_seconds() + 1)
    assert jobs.cancel_expired_reservations(d.container.unit_of_work, d.clock) == 1
    assert d.notified("holder") == ["reservation_expired"]
