"""The access paths: nearby, by owner, due auctions, lapsed holds, histories."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ecobid_core import geo
from ecobid_core.errors import ValidationFailed
from ecobid_core.geo import ranges
from ecobid_core.model.item import Item
from ecobid_core.model.reservation import ReservationStatus
from ecobid_core.model.values import ItemStatus
from ecobid_core.ports import Page
from tests.contract import builders as b
from tests.contract.conftest import Backend

# Cells chosen so that prefixes of every length 3..7 separate some items from others.
CELLS = ["u33dc0c", "u33dc0d", "u33dc1x", "u33d9zz", "u33fzzz", "u36bbbb", "gcpvj0d"]
STATUSES = list(ItemStatus)


def _seed_items(uow_factory: Backend) -> list[Item]:
    items = []
    for n, cell in enumerate(CELLS):
        for status in STATUSES:
            category = "books" if (n + len(status.value)) % 2 else "garden"
            item = b.free_item(location=b.location_in(cell), category=category, status=status)
            items.append(item)
    with uow_factory() as uow:
        for item in items:
            uow.items.add(item)
        uow.commit()
    return items


def _expected(items: list[Item], cells: list[str], category: str | None) -> set[str]:
    return {
        item.id
        for item in items
        if item.status in (ItemStatus.AVAILABLE, ItemStatus.ACTIVE, ItemStatus.RESERVED)
        and item.geohash.startswith(tuple(cells))
        and (category is None or item.category == category)
    }


def _range(cell: geo.Cell, after=None, limit=10_000, forward=True) -> geo.RangeRead:
    first, last = ranges.run_of(cell)
    return geo.RangeRead(ranges.text_of(first), ranges.text_of(last), after, forward, limit)


def _read(
    uow_factory: Backend, cell: str, category: str | None, after=None, limit=10_000, forward=True
) -> list[Item]:
    with uow_factory() as uow:
        read = _range(geo.Cell.of(cell), after, limit, forward)
        (found,) = uow.items.read_ranges([read], category)
    return found


@pytest.mark.parametrize("cells", [["u3"], ["u33d"], ["u33dc"], ["u33dc0"], ["u33dc0c"], ["zz"]])
@pytest.mark.parametrize("category", [None, "books", "garden", "toys"])
def test_read_ranges(uow_factory: Backend, cells: list[str], category: str | None) -> None:
    items = _seed_items(uow_factory)
    for cell in cells:
        found = _read(uow_factory, cell, category)
        expected = sorted(
            (i for i in items if i.id in _expected(items, [cell], category)),
            key=lambda i: (i.geohash, i.id),
        )
        assert found == expected  # whole items, in (geohash, id) order
        assert _read(uow_factory, cell, category, forward=False) == expected[::-1]


def test_read_ranges_of_a_sub_cell_and_several_at_once(uow_factory: Backend) -> None:
    items = _seed_items(uow_factory)
    root = geo.Cell.of("u33dc")
    halves = root.children()
    quarters = [*halves[0].children(), *halves[1].children()]
    with uow_factory() as uow:
        answers = uow.items.read_ranges([_range(cell) for cell in [root, *halves, *quarters]], None)
    whole = [i.id for i in answers[0]]
    assert whole and [i.id for i in answers[1] + answers[2]] == whole
    assert [i.id for part in answers[3:] for i in part] == whole
    assert all(
        cell.holds(i.geohash) for cell, part in zip(halves, answers[1:3], strict=True) for i in part
    )
    assert set(whole) == _expected(items, ["u33dc"], None)


def test_read_ranges_stop_at_the_limit_and_resume_after_a_position(uow_factory: Backend) -> None:
    items = [b.free_item(location=b.location_in("u33dc0c")) for _ in range(5)]
    items += [b.free_item(location=b.location_in("u33dc1x")) for _ in range(3)]
    with uow_factory() as uow:
        for item in items:
            uow.items.add(item)
        uow.commit()
    ordered = sorted(items, key=lambda i: (i.geohash, i.id))
    got: list[str] = []
    after = None
    while True:
        page = _read(uow_factory, "u33dc", None, after, limit=3)
        got += [i.id for i in page]
        if len(page) < 3:
            break
        after = (page[-1].geohash, page[-1].id)
    assert got == [i.id for i in ordered]
    assert _read(uow_factory, "u33dc1", None, (ordered[0].geohash, ordered[0].id)) == ordered[5:]
    # Backwards: the same positions, from the other end.
    got, before = [], None
    while True:
        page = _read(uow_factory, "u33dc", None, before, limit=3, forward=False)
        got += [i.id for i in page]
        if len(page) < 3:
            break
        before = (page[-1].geohash, page[-1].id)
    assert got == [i.id for i in reversed(ordered)]


def test_read_ranges_follow_status_category_and_location_changes(uow_factory: Backend) -> None:
    item = b.free_item(location=b.location_in("u33dc0c"), category="books")
    with uow_factory() as uow:
        uow.items.add(item)
        uow.commit()

    def found(cell: str, category: str | None) -> list[str]:
        return [i.id for i in _read(uow_factory, cell, category)]

    with uow_factory() as uow:
        current = uow.items.get(item.id)
        assert current is not None
        current.edit("owner-1", b.NOW, category_name="toys", location=b.location_in("u36bbbb"))
        uow.items.update(current)
        uow.commit()
    assert found("u33", None) == []
    assert found("u36bb", "books") == []
    assert found("u36bb", "toys") == [item.id]
    with uow_factory() as uow:
        current = uow.items.get(item.id)
        assert current is not None
        current.withdraw("owner-1", b.NOW)
        uow.items.update(current)
        uow.commit()
    assert found("u36", None) == []
    assert found("u36", "toys") == []


def test_by_owner_pages_newest_first_without_loss_or_repeat(uow_factory: Backend) -> None:
    mine = [b.free_item(owner="pager", now=b.NOW + timedelta(minutes=n % 5)) for n in range(11)]
    others = [b.free_item(owner="someone else") for _ in range(3)]
    with uow_factory() as uow:
        for item in [*mine, *others]:
            uow.items.add(item)
        uow.commit()
    expected = [i.id for i in sorted(mine, key=lambda i: (i.created_at, i.id), reverse=True)]
    for limit in (1, 3, 4, 11, 12):
        seen: list[str] = []
        cursor = None
        pages = 0
        while True:
            with uow_factory() as uow:
                page = uow.items.by_owner("pager", limit, cursor)
            pages += 1
            assert len(page.entries) <= limit
            seen.extend(item.id for item in page.entries)
            cursor = page.cursor
            if cursor is None:
                break
        assert seen == expected, limit
        assert pages == max(1, -(-len(mine) // limit)), limit  # no empty last page


def test_by_owner_of_nobody_is_empty(uow_factory: Backend) -> None:
    with uow_factory() as uow:
        page = uow.items.by_owner("nobody", 5, None)
    assert (list(page.entries), page.cursor) == ([], None)


@pytest.mark.parametrize(
    "cursor",
    ["%%%", "bm90IGpzb24", "WzEsIDJd", "WyJhIl0"],  # not base64, not JSON, [1, 2], ["a"]
)
def test_a_bad_cursor_is_a_validation_error(uow_factory: Backend, cursor: str) -> None:
    with uow_factory() as uow, pytest.raises(ValidationFailed) as raised:
        uow.items.by_owner("pager", 5, cursor)
    assert raised.value.details == [
        {"field": "cursor", "message": raised.value.details[0]["message"]}
    ]


def test_auctions_due_oldest_first(uow_factory: Backend) -> None:
    ends = [timedelta(minutes=m) for m in (30, 10, 50, 20, 90)]
    auctions = [b.auction_item(ends_in=e) for e in ends]
    ended = b.auction_item(ends_in=timedelta(minutes=5))
    ended.status = ItemStatus.ENDED
    free = b.free_item()
    with uow_factory() as uow:
        for item in [*auctions, ended, free]:
            uow.items.add(item)
        uow.commit()
    at = b.NOW + timedelta(minutes=50)
    by_end = sorted(auctions[:4], key=lambda i: i.auction.ends_at if i.auction else at)
    with uow_factory() as uow:
        assert [i.id for i in uow.items.auctions_due(at, 10)] == [i.id for i in by_end]
        assert [i.id for i in uow.items.auctions_due(at, 2)] == [i.id for i in by_end[:2]]
        assert uow.items.auctions_due(b.NOW, 10) == []
        assert uow.items.auctions_due(at, 10)[0] == by_end[0]


def test_auctions_due_follow_the_end_and_the_status(uow_factory: Backend) -> None:
    item = b.auction_item(ends_in=timedelta(minutes=10))
    with uow_factory() as uow:
        uow.items.add(item)
        uow.commit()
    end = b.NOW + timedelta(minutes=10)
    late_bid = end - timedelta(seconds=30)
    with uow_factory() as uow:
        current = uow.items.get(item.id)
        assert current is not None
        assert current.auction is not None
        current.auction = current.auction.place_bid("bidder", 150, late_bid)  # soft close
        uow.items.update(current)
        uow.commit()
    with uow_factory() as uow:
        assert uow.items.auctions_due(end, 10) == []
        due = uow.items.auctions_due(late_bid + timedelta(minutes=2), 10)
        assert [i.id for i in due] == [item.id]
        current = due[0]
        current.status = ItemStatus.ENDED
        uow.items.update(current)
        uow.commit()
    with uow_factory() as uow:
        assert uow.items.auctions_due(end + timedelta(days=1), 10) == []


def test_lapsed_reservations(uow_factory: Backend) -> None:
    expiries = [timedelta(hours=h) for h in (3, 1, 2, 5)]
    held = [b.reservation(expires_at=b.NOW + e) for e in expiries]
    confirmed = b.reservation(expires_at=b.NOW + timedelta(minutes=5))
    with uow_factory() as uow:
        for reservation in [*held, confirmed]:
            uow.reservations.add(reservation)
        uow.commit()
    with uow_factory() as uow:
        current = uow.reservations.get(confirmed.id)
        assert current is not None
        current.confirm("owner-1", b.NOW, "gift-x")
        uow.reservations.update(current)
        uow.commit()
    at = b.NOW + timedelta(hours=3)
    by_expiry = sorted(held[:3], key=lambda r: r.expires_at)
    with uow_factory() as uow:
        lapsed = uow.reservations.lapsed(at, 10)
        assert [r.id for r in lapsed] == [r.id for r in by_expiry]
        assert all(r.status is ReservationStatus.PENDING for r in lapsed)
        assert [r.id for r in uow.reservations.lapsed(at, 1)] == [by_expiry[0].id]
        assert uow.reservations.lapsed(b.NOW, 10) == []
        first = lapsed[0]
        first.expire(at)
        uow.reservations.update(first)
        uow.commit()
    with uow_factory() as uow:
        assert [r.id for r in uow.reservations.lapsed(at, 10)] == [r.id for r in by_expiry[1:]]


def test_bids_for_item_newest_first(uow_factory: Backend) -> None:
    bids = [b.bid("item-bids", seq) for seq in (3, 1, 12, 2, 10, 11)]  # 10+ checks padding
    with uow_factory() as uow:
        for bid in [*bids, b.bid("other-item", 4)]:
            uow.bids.add(bid)
        uow.commit()
    with uow_factory() as uow:
        found = uow.bids.for_item("item-bids")
    assert [bid.seq for bid in found] == [12, 11, 10, 3, 2, 1]
    assert found == sorted(bids, key=lambda bid: bid.seq, reverse=True)


def test_the_inbox_lists_notifications_newest_first_by_page(uow_factory: Backend) -> None:
    times = [b.NOW + timedelta(seconds=s) for s in (5, 1, 9, 1, 3)]  # a tie at 1 s
    notes = [b.notification("reader", at=t) for t in times]
    inbox = uow_factory.inbox()
    inbox.add_all([*notes, b.notification("someone else")])
    expected = sorted(notes, key=lambda n: (n.created_at, n.id), reverse=True)
    assert inbox.page("reader", 10, None) == Page(expected, None)
    first = inbox.page("reader", 2, None)
    assert first.entries == expected[:2]
    assert inbox.page("reader", 10, first.cursor) == Page(expected[2:], None)
    assert inbox.page("nobody", 3, None) == Page([], None)


def test_a_page_of_zero_items_is_empty(uow_factory: Backend) -> None:
    with uow_factory() as uow:
        uow.items.add(b.free_item(owner="zero"))
        uow.commit()
    with uow_factory() as uow:
        page = uow.items.by_owner("zero", 0, None)
    assert (list(page.entries), page.cursor) == ([], None)
