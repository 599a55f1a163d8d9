"""Fan-out on the memory adapters: batches, slices, the hourly cap, failed pushes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ecobid_adapters.memory import MemoryStore, MemoryUnitOfWork
from ecobid_adapters.memory.notify import (
    LocalPushSender,
    MemoryAlerts,
    MemoryInbox,
    MemoryPushRates,
    MemoryPushSettings,
)
from ecobid_adapters.system import UuidIds
from ecobid_core.model.alerts import Alert
from ecobid_core.model.events import BidPlaced, ItemCreated, ItemUpdated, ItemWithdrawn
from ecobid_core.model.values import Location
from ecobid_core.ports.notify import Outcome
from ecobid_core.services import devices, fanout
from ecobid_core.services.notify_ports import NotifyPorts

NOW = datetime(2030, 1, 1, 12, tzinfo=UTC)


class StepClock:
    """Fixed time, moved only by the test: no hour boundary falls inside a test."""

    def __init__(self) -> None:
        self.moment = NOW

    def now(self) -> datetime:
        return self.moment

    def advance(self, seconds: float) -> None:
        self.moment += timedelta(seconds=seconds)


class BrokenSender(LocalPushSender):
    def send_all(self, pushes):
        raise ConnectionError("the push service is down")


def ports(sender=None, per_slice: int = 2000) -> NotifyPorts:
    store = MemoryStore()
    return NotifyPorts(
        uow_factory=lambda: MemoryUnitOfWork(store),
        alerts=MemoryAlerts(),
        settings=MemoryPushSettings(),
        inbox=MemoryInbox(store),
        rates=MemoryPushRates(),
        sender=sender or LocalPushSender(),
        clock=StepClock(),
        ids=UuidIds(),
        recipients_per_slice=per_slice,
    )


def listener(p: NotifyPorts, user: str, token: str | None = None) -> None:
    p.alerts.put(
        Alert.create(
            alert_id=f"a-{user}",
            user_id=user,
            location=Location(52.52, 13.405),
            radius_km=2,
            now=NOW,
        ),
        None,
    )
    devices.put_device(user, user, "phone", "android", token or f"token-{user}-0000", p)


def item(n: int = 1, owner: str = "owner") -> ItemCreated:
    return ItemCreated(
        event_id=f"ItemCreated:i{n}:1",
        occurred_at=NOW,
        item_id=f"i{n}",
        owner_id=owner,
        item_type="free",
        category="books",
        lat=52.521,
        lon=13.405,
        geohash="u33dc0",
        title=f"Book {n}",
    )


def test_a_thousand_recipients_are_written_in_batches_and_pushed_once():
    p = ports()
    for n in range(1000):
        listener(p, f"user{n:04d}")
    done = fanout.deliver(item(), p)
    assert (done.written, done.pushed, done.next_after) == (1000, 1000, None)
    assert p.inbox.write_calls == 40  # 25 notifications a call
    again = fanout.deliver(item(), p)
    assert (again.written, again.pushed) == (0, 0)
    assert len(p.sender.sent) == 1000


def test_slices_cover_everyone_once_in_user_order():
    p = ports(per_slice=7)
    for n in range(20):
        listener(p, f"user{n:02d}")
    after, seen = None, 0
    while True:
        done = fanout.deliver(item(), p, after)
        seen += done.written
        if done.next_after is None:
            break
        assert done.written <= 7
        after = done.next_after
    assert seen == 20
    assert sorted(push.user_id for push in p.sender.sent) == [f"user{n:02d}" for n in range(20)]


def test_at_most_ten_item_nearby_pushes_an_hour_but_every_one_is_listed():
    p = ports()
    listener(p, "ann")
    for n in range(12):
        fanout.deliver(item(n), p)
    assert len(p.sender.sent) == 10
    assert p.inbox.unread_count("ann") == 12
    p.clock.advance(3600)
    fanout.deliver(item(99), p)
    assert len(p.sender.sent) == 11


def test_a_failing_push_service_loses_no_notification():
    p = ports(sender=BrokenSender())
    listener(p, "ann")
    listener(p, "bob")
    done = fanout.deliver(item(), p)
    assert (done.written, done.pushed) == (2, 0)
    assert p.inbox.unread_count("ann") == p.inbox.unread_count("bob") == 1


def test_a_rejected_token_removes_that_device_and_spares_the_others():
    p = ports()
    listener(p, "ann", token="invalid-token-0000")
    listener(p, "bob")
    done = fanout.deliver(item(), p)
    assert done.pushed == 1 and [push.user_id for push in p.sender.sent] == ["bob"]
    assert p.settings.get("ann").devices == ()
    assert p.sender.send_all([]) == []
    assert Outcome.GONE.value == "gone"


def test_the_owner_hears_nothing_of_their_own_item():
    p = ports()
    listener(p, "owner")
    assert fanout.deliver(item(owner="owner"), p).written == 0


def test_other_events_push_to_their_recipient():
    p = ports()
    listener(p, "ann")
    outbid = BidPlaced(
        event_id="BidPlaced:i1:3",
        occurred_at=NOW,
        item_id="i1",
        bid_id="b3",
        bidder_id="bob",
        owner_id="owner",
        current_price=450,
        leader_id="bob",
        previous_leader_id="ann",
        ends_at=NOW,
    )
    done = fanout.deliver(outbid, p)
    assert (done.written, done.pushed) == (1, 1)
    assert p.sender.sent[0].data["type"] == "outbid"


@pytest.mark.parametrize("off", [True, False])
def test_a_type_switched_off_is_not_pushed(off):
    p = ports()
    listener(p, "ann")
    devices.set_preferences("ann", "ann", {"item_nearby": not off}, p)
    assert fanout.deliver(item(), p).pushed == (0 if off else 1)


def test_the_event_types_with_recipients_are_a_new_item_and_those_with_rules():
    # A new item's audience is the alerts', not a ``messages_for`` rule: it must still count.
    assert fanout.notifies(ItemCreated)
    assert fanout.notifies(BidPlaced)
    assert not fanout.notifies(ItemUpdated)
    assert not fanout.notifies(ItemWithdrawn)
