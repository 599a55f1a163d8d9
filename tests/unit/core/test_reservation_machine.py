"""The reservation state machine, driven at random through the use cases."""

from __future__ import annotations

from datetime import timedelta

import hypothesis.strategies as st
from hypothesis import settings
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from ecobid_adapters.memory import MemoryStore, MemoryUnitOfWork
from ecobid_core import errors
from ecobid_core.model.item import Item
from ecobid_core.model.reservation import ReservationStatus
from ecobid_core.model.values import ItemStatus, Location
from ecobid_core.services import items, reservations
from tests.support.fakes import FakeClock, SeqIds

HOLD = timedelta(hours=24)
OWNER, ALICE, BOB = "owner", "alice", "bob"
PEOPLE = st.sampled_from([OWNER, ALICE, BOB])


class ReservationMachine(RuleBasedStateMachine):
    """Model: at most one live hold; the item's status follows the hold and the clock."""

    def __init__(self) -> None:
        super().__init__()
        self.store = MemoryStore()
        self.clock = FakeClock()
        self.ids = SeqIds()
        cmd = items.CreateItem(
            owner_id=OWNER,
            title="Lamp",
            description="",
            category="other",
            location=Location(52.5, 13.4),
        )
        self.item_id = items.create_item(cmd, self.uow(), self.clock, self.ids).id
        self.expected: dict[str, ReservationStatus] = {}  # model of every reservation
        self.expires: dict[str, object] = {}
        self.given = False
        self.withdrawn = False

    def uow(self) -> MemoryUnitOfWork:
        return MemoryUnitOfWork(self.store)

    def live_hold(self) -> str | None:
        now = self.clock.now()
        for rid, status in self.expected.items():
            if status is ReservationStatus.PENDING and now < self.expires[rid]:
                return rid
        return None

    def model_status(self, rid: str) -> ReservationStatus:
        status = self.expected[rid]
        if status is ReservationStatus.PENDING and self.clock.now() >= self.expires[rid]:
            return ReservationStatus.EXPIRED
        return status

    @rule(who=PEOPLE)
    def reserve(self, who: str) -> None:
        can = who != OWNER and not self.given and not self.withdrawn and self.live_hold() is None
        try:
            made = reservations.reserve_item(
                self.item_id, who, self.uow(), self.clock, self.ids, HOLD
            )
        except errors.OwnItem:
            assert who == OWNER
        except errors.NotFound:
            assert self.withdrawn
        except errors.ItemNotAvailable:
            assert not can
        else:
            assert can
            for rid in self.expected:  # a lapsed hold is written down as expired
                self.expected[rid] = self.model_status(rid)
            self.expected[made.id] = ReservationStatus.PENDING
            self.expires[made.id] = made.expires_at

    @precondition(lambda self: self.expected)
    @rule(who=PEOPLE, data=st.data())
    def confirm(self, who: str, data: st.DataObject) -> None:
        rid = data.draw(st.sampled_from(sorted(self.expected)))
        pending = self.model_status(rid) is ReservationStatus.PENDING
        try:
            reservations.confirm_reservation(rid, who, self.uow(), self.clock)
        except errors.Forbidden:
            assert who != OWNER
        except errors.ReservationNotPending:
            assert who == OWNER and not pending
        else:
            assert who == OWNER and pending
            self.expected[rid] = ReservationStatus.CONFIRMED
            self.given = True

    @precondition(lambda self: self.expected)
    @rule(who=PEOPLE, data=st.data())
    def cancel(self, who: str, data: st.DataObject) -> None:
        rid = data.draw(st.sampled_from(sorted(self.expected)))
        holder = self.store.read("reservations", rid).user_id
        pending = self.model_status(rid) is ReservationStatus.PENDING
        try:
            reservations.cancel_reservation(rid, who, self.uow(), self.clock)
        except errors.Forbidden:
            assert who not in (OWNER, holder)
        except errors.ReservationNotPending:
            assert who in (OWNER, holder) and not pending
        else:
            assert who in (OWNER, holder) and pending
            self.expected[rid] = ReservationStatus.CANCELLED

    @rule(hours=st.sampled_from([1, 12, 23, 24, 25, 48]))
    def time_passes(self, hours: int) -> None:
        self.clock.advance(hours=hours)

    @rule()
    def expiry_job(self) -> None:
        lapsed = [
            rid
            for rid, status in self.expected.items()
            if status is ReservationStatus.PENDING and self.clock.now() >= self.expires[rid]
        ]
        uow_factory = self.uow
        done = reservations.expire_lapsed_reservations(uow_factory, self.clock)
        assert done == len(lapsed)
        for rid in lapsed:
            self.expected[rid] = ReservationStatus.EXPIRED

    @rule()
    def withdraw(self) -> None:
        try:
            items.withdraw_item(self.item_id, OWNER, self.uow(), self.clock)
        except errors.ItemNotAvailable:
            assert self.given or self.withdrawn
        except errors.NotFound:
            raise AssertionError("the owner always sees their item") from None
        else:
            assert not self.given and not self.withdrawn
            live = self.live_hold()
            if live is not None:
                self.expected[live] = ReservationStatus.CANCELLED
            self.withdrawn = True

    @invariant()
    def stored_state_matches_the_model(self) -> None:
        now = self.clock.now()
        item: Item = self.store.read("items", self.item_id)
        for rid in self.expected:
            stored = self.store.read("reservations", rid)
            assert stored.status_at(now) is self.model_status(rid), rid
        if self.withdrawn:
            expected_status = ItemStatus.WITHDRAWN
        elif self.given:
            expected_status = ItemStatus.GIVEN
        elif self.live_hold() is not None:
            expected_status = ItemStatus.RESERVED
        else:
            expected_status = ItemStatus.AVAILABLE
        assert item.status_at(now) is expected_status
        live = [r for r in self.expected if self.model_status(r) is ReservationStatus.PENDING]
        assert len(live) <= 1
        gifts = list(self.store.records("transactions"))
        assert len(gifts) == (1 if self.given else 0)


ReservationMachine.TestCase.settings = settings(max_examples=150, stateful_step_count=30)
TestReservationStateMachine = ReservationMachine.TestCase
