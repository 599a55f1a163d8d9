"""Every entity comes back exactly as it was stored, every field included."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from ecobid_core.model.item import ImageStatus
from ecobid_core.model.records import TransactionKind
from ecobid_core.model.values import ItemStatus, Location
from tests.contract import builders as b
from tests.contract.conftest import Backend


def round_trip(uow_factory: Backend, repository: str, record: Any) -> Any:
    """Store ``record`` through one unit of work, read it back by id through another."""
    with uow_factory() as uow:
        getattr(uow, repository).add(record)
        uow.commit()
    with uow_factory() as uow:
        return getattr(uow, repository).get(record.id)


def test_reserved_free_item_with_hold_and_images(uow_factory: Backend) -> None:
    item = b.rich_free_item()
    stored = round_trip(uow_factory, "items", item)
    assert stored == item
    assert stored is not None
    assert stored.version == 7  # created, reserved, three images added, two processed
    assert stored.status is ItemStatus.RESERVED
    assert [image.status for image in stored.images] == [
        ImageStatus.READY,
        ImageStatus.REJECTED,
        ImageStatus.PENDING,
    ]
    assert stored.pending_events == []


def test_auction_item_with_bids_and_reserve(uow_factory: Backend) -> None:
    item = b.auction_item(bids=(("A", 300), ("B", 200), ("B", 300), ("C", 1_200)))
    assert item.auction is not None
    assert (item.auction.leader_id, item.auction.current_price) == ("C", 1_000)
    stored = round_trip(uow_factory, "items", item)
    assert stored == item
    assert stored is not None
    assert stored.auction == item.auction
    assert stored.auction is not None
    assert stored.auction.reserve_met
    assert stored.auction.ends_at.utcoffset() == timedelta(0)


def test_auction_without_bids_or_reserve(uow_factory: Backend) -> None:
    item = b.auction_item()
    assert round_trip(uow_factory, "items", item) == item


def test_reservation(uow_factory: Backend) -> None:
    reservation = b.reservation()
    stored = round_trip(uow_factory, "reservations", reservation)
    assert stored == reservation
    assert stored is not None
    assert stored.version == 1


@pytest.mark.parametrize("location", [b.BERLIN, Location(-33.8688, 151.2093), None])
def test_user(uow_factory: Backend, location: Location | None) -> None:
    user = b.user(location=location)
    stored = round_trip(uow_factory, "users", user)
    assert stored == user
    assert stored is not None
    assert stored.rating.average == 4.666666666666667


@pytest.mark.parametrize("kind", list(TransactionKind))
def test_transaction(uow_factory: Backend, kind: TransactionKind) -> None:
    transaction = b.transaction(kind)
    assert round_trip(uow_factory, "transactions", transaction) == transaction


def test_bid(uow_factory: Backend) -> None:
    bid = b.bid("item-b", 1)
    with uow_factory() as uow:
        uow.bids.add(bid)
        uow.commit()
    with uow_factory() as uow:
        assert uow.bids.for_item("item-b") == [bid]


@pytest.mark.parametrize("item_id", ["item-n", None])
def test_notification(uow_factory: Backend, item_id: str | None) -> None:
    notification = b.notification("user-n", item_id=item_id)
    uow_factory.inbox().add_all([notification])
    assert uow_factory.inbox().page("user-n", 10, None).entries == [notification]


def test_missing_records_are_none(uow_factory: Backend) -> None:
    with uow_factory() as uow:
        assert uow.items.get("nope") is None
        assert uow.reservations.get("nope") is None
        assert uow.users.get("nope") is None
        assert uow.transactions.get("nope") is None
        assert uow.bids.for_item("nope") == []


def test_reads_are_private_copies(uow_factory: Backend) -> None:
    item = b.free_item()
    with uow_factory() as uow:
        uow.items.add(item)
        uow.commit()
    with uow_factory() as uow:
        first = uow.items.get(item.id)
        assert first is not None
        first.title = "changed, never staged"
        first.images.append(b.rich_free_item().images[0])
        assert uow.items.get(item.id) == item
