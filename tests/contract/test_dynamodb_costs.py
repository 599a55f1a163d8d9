"""What each use case costs on DynamoDB, held to docs/access-patterns.md, and no Scan.

The meter counts calls, items returned and items written through botocore's event hooks
on the client, so nothing in the adapter is bypassed or faked.
"""

from __future__ import annotations

import copy
import itertools
import math
import random
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import attrs
import pytest

from ecobid_adapters.aws.dynamodb import DynamoUnitOfWork, create_table
from ecobid_adapters.aws.dynamodb.metering import RequestMeter, ScanForbidden, forbid_scans
from ecobid_adapters.memory import MemoryStore
from ecobid_core.errors import AlreadyRated
from ecobid_core.model.auction_terms import AuctionTerms
from ecobid_core.model.item import ImageStatus, Item
from ecobid_core.model.reservation import ReservationRole
from ecobid_core.model.values import CATEGORIES, ItemStatus, ItemType, Location
from ecobid_core.services import (
    auctions,
    items,
    ratings,
    reservations,
    search,
    users,
)
from ecobid_core.services.search import NearbyQuery
from tests.contract import builders as b
from tests.contract.conftest import memory_uow


class Clock:
    def __init__(self, now: datetime) -> None:
        self._now = now

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> None:
        self._now += delta


class Ids:
    def __init__(self) -> None:
        self._next = itertools.count(1)

    def new_id(self) -> str:
        return f"id{next(self._next):04d}"


@pytest.fixture
def metered(
    dynamodb: Any, table: str
) -> Iterator[tuple[Callable[[], DynamoUnitOfWork], RequestMeter]]:
    meter = RequestMeter()
    with meter.attached(dynamodb), forbid_scans(dynamodb):
        yield (lambda: DynamoUnitOfWork(dynamodb, table)), meter


def test_a_scan_is_refused(dynamodb: Any, table: str) -> None:
    with forbid_scans(dynamodb), pytest.raises(ScanForbidden):
        dynamodb.scan(TableName=table)


# -- nearby search: a few queries per page, one query per range read -----------------
#: Queries a page may send (docs/access-patterns.md).
QUERIES_PER_PAGE = 16
#: Items read per item returned on a full page of this table. The goal is 2.0; a table
#: whose density falls off steeply from the centre (as this one: 60 u² km) is the plan's
#: worst case, since the density it learns near the centre overstates the rest
#: (docs/access-patterns.md gives the figures). Reading the whole table would be 20.
READS_PER_ITEM = 9.0
#: Queries of a 5 km search that finds only the few items at its centre: the probe reads
#: the centre's key range whole, the rest of the circle takes a round of a few ranges.
SEARCH_QUERIES_FEW_ITEMS = 16
CENTRE = b.BERLIN


def _seed(rng: random.Random) -> list[Item]:
    seeded = []
    for _ in range(400):
        distance = 60 * rng.random() ** 2  # denser near the centre, as towns are
        bearing = rng.uniform(0, 6.283)
        lat = CENTRE.lat + distance / 111.2 * math.cos(bearing)
        lon = CENTRE.lon + distance / 67.7 * math.sin(bearing)
        status = rng.choice(
            [ItemStatus.AVAILABLE] * 6
            + [ItemStatus.RESERVED, ItemStatus.GIVEN, ItemStatus.WITHDRAWN]
        )
        seeded.append(
            b.free_item(location=Location(lat, lon), category=rng.choice(CATEGORIES), status=status)
        )
    return seeded


@pytest.fixture(scope="module")
def seeded_search(dynamodb: Any) -> Iterator[tuple[str, MemoryStore, list[Item]]]:
    """One seeded table for every search test of the module: seeding is the slow part."""
    name = f"ecobid-test{uuid.uuid4().hex[:10]}-items"
    create_table(dynamodb, name)
    seeded = _seed(random.Random(7))
    memory = MemoryStore()
    for item in seeded:
        # Without its event an add is one plain PutItem: moto copies the whole table for
        # every write of a transaction, which would make seeding slow, not the search.
        item.pull_events()
        for uow in (DynamoUnitOfWork(dynamodb, name), memory_uow(memory)):
            with uow:
                uow.items.add(copy.deepcopy(item))
                uow.commit()
    yield name, memory, seeded
    dynamodb.delete_table(TableName=name)


def _counting_reads(uow: Any) -> list[int]:
    """[ranges read, items read] by the repository's walk, counted beside the meter."""
    counts = [0, 0]
    read_ranges = uow.items.read_ranges

    def counted(reads: Any, category: str | None) -> Any:
        answers = read_ranges(reads, category)
        counts[0] += len(reads)
        counts[1] += sum(len(answer) for answer in answers)
        return answers

    uow.items.read_ranges = counted
    return counts


@pytest.mark.parametrize(("radius", "category"), [(5.0, None), (50.0, "books")])
def test_nearby_search_pages_cost_a_few_queries_and_read_what_they_show(
    dynamodb: Any,
    seeded_search: tuple[str, MemoryStore, list[Item]],
    radius: float,
    category: str | None,
) -> None:
    name, memory, _ = seeded_search
    meter = RequestMeter()
    clock = Clock(b.NOW)
    cursor, memory_cursor = None, None
    limit, full_pages = 20, 0
    for _ in range(2):  # the first page and a later one: moto answers queries slowly
        query = NearbyQuery(
            lat=CENTRE.lat, lon=CENTRE.lon, radius_km=radius, category=category, limit=limit
        )
        uow = DynamoUnitOfWork(dynamodb, name)
        with meter.attached(dynamodb), forbid_scans(dynamodb):
            page = search.search_nearby(attrs.evolve(query, cursor=cursor), uow, clock)
        plan = _counting_reads(reference := memory_uow(memory))
        expected = search.search_nearby(attrs.evolve(query, cursor=memory_cursor), reference, clock)
        assert [h.item.id for h in page.entries] == [h.item.id for h in expected.entries]
        # One query per range read, each reading what the memory walk read: same plan.
        assert dict(meter.calls) == {"Query": plan[0]}, radius
        assert meter.reads == plan[1]
        assert plan[0] <= QUERIES_PER_PAGE
        if len(page.entries) == limit:
            full_pages += 1
            assert meter.reads <= READS_PER_ITEM * limit, (radius, category, meter.reads)
        meter.reset()
        cursor, memory_cursor = page.cursor, expected.cursor
        assert (cursor is None) == (memory_cursor is None)
        if cursor is None:
            break
    assert full_pages >= 1


# -- every use case: calls and writes as documented, never a Scan ----------------------
def _costs(meter: RequestMeter) -> dict[str, int]:
    costs = dict(meter.calls)
    costs["written"] = meter.writes
    meter.reset()
    return costs


def test_every_use_case_costs_what_the_doc_says(metered: Any) -> None:
    make, meter = metered
    clock, ids = Clock(b.NOW), Ids()
    here = b.BERLIN
    near = Location(here.lat + 0.01, here.lon)
    hours = timedelta(hours=24)

    def step(expected: dict[str, int], action: Callable[[], Any]) -> Any:
        meter.reset()
        result = action()
        assert _costs(meter) == {**expected, "written": expected.get("written", 0)}, expected
        return result

    one_get = {"GetItem": 1}
    step(
        {"GetItem": 1, "PutItem": 1, "written": 1},
        lambda: users.ensure_profile("alice", "a@x.org", make(), clock),
    )
    step(one_get, lambda: users.ensure_profile("alice", "a@x.org", make(), clock))
    step(
        {"GetItem": 1, "PutItem": 1, "written": 1},
        lambda: users.edit_profile(
            users.EditProfile(user_id="alice", caller_id="alice", location=here), make(), clock
        ),
    )
    users.ensure_profile("bob", "b@x.org", make(), clock)
    users.edit_profile(
        users.EditProfile(user_id="bob", caller_id="bob", location=near), make(), clock
    )
    step(one_get, lambda: users.get_profile("bob", make()))

    def create(auction: bool = False) -> Item:
        terms = (
            AuctionTerms(
                start_price=100,
                currency="EUR",
                ends_at=clock.now() + timedelta(hours=1),
                reserve_price=150,
            )
            if auction
            else None
        )
        command = items.CreateItem(
            owner_id="alice",
            title="Chair",
            description="",
            category="furniture",
            location=here,
            item_type=ItemType.AUCTION if auction else ItemType.FREE,
            auction=terms,
        )
        return items.create_item(command, make(), clock, ids)

    free = step({"TransactWriteItems": 1, "written": 2}, create)
    lot = step({"TransactWriteItems": 1, "written": 3}, lambda: create(auction=True))
    step(one_get, lambda: items.get_item(free.id, "bob", make()))
    step(
        {"GetItem": 1, "TransactWriteItems": 1, "written": 2},
        lambda: items.edit_item(
            items.EditItem(item_id=free.id, user_id="alice", title="Oak chair"), make(), clock
        ),
    )
    for category in (None, "furniture"):
        searching = make()
        plan = _counting_reads(searching)
        meter.reset()
        search.search_nearby(
            NearbyQuery(lat=here.lat, lon=here.lon, category=category), searching, clock
        )
        assert _costs(meter) == {"Query": plan[0], "written": 0}
        assert plan[0] <= SEARCH_QUERIES_FEW_ITEMS
    step({"Query": 1}, lambda: search.list_by_owner("alice", "bob", 20, None, make()))

    held = step(
        {"GetItem": 1, "TransactWriteItems": 1, "written": 3},
        lambda: reservations.reserve_item(free.id, "bob", make(), clock, ids, hours),
    )
    step(one_get, lambda: reservations.get_reservation(held.id, "bob", make()))
    # Each role is one query of its index (GSI2 held, GSI3 given); both roles are two.
    for role, queries in ((ReservationRole.HOLDER, 1), (ReservationRole.GIVER, 1), (None, 2)):
        listing = reservations.ReservationQuery(user_id="bob", caller_id="bob", role=role)
        page = step(
            {"Query": queries}, lambda q=listing: reservations.list_reservations(q, make(), clock)
        )
        assert [r.id for r in page.entries] == ([] if role is ReservationRole.GIVER else [held.id])
    step(
        {"GetItem": 2, "TransactWriteItems": 1, "written": 3},
        lambda: reservations.cancel_reservation(held.id, "bob", make(), clock),
    )
    held = reservations.reserve_item(free.id, "bob", make(), clock, ids, hours)
    gift = step(  # the transaction has a copy indexed for its buyer
        {"GetItem": 2, "TransactWriteItems": 1, "written": 5},
        lambda: reservations.confirm_reservation(held.id, "alice", make(), clock),
    ).transaction
    step(
        {"Query": 1, "BatchGetItem": 1},
        lambda: ratings.list_user_transactions("bob", "bob", 20, None, make()),
    )
    step({"Query": 1}, lambda: ratings.list_user_transactions("carol", "carol", 20, None, make()))
    rate = ratings.SubmitRating(transaction_id=gift.id, rater_id="bob", score=4)
    step(
        {"GetItem": 3, "TransactWriteItems": 1, "written": 3},
        lambda: ratings.submit_rating(rate, make(), clock),
    )
    meter.reset()
    with pytest.raises(AlreadyRated):  # a second try reads the transaction and the rating
        ratings.submit_rating(rate, make(), clock)
    assert _costs(meter) == {"GetItem": 2, "written": 0}
    step({"Query": 1}, lambda: ratings.list_ratings_received("alice", 20, None, make()))

    second, third, fourth = create(), create(), create()
    reservations.reserve_item(second.id, "bob", make(), clock, ids, hours)
    reservations.reserve_item(third.id, "bob", make(), clock, ids, hours)
    live = reservations.reserve_item(fourth.id, "bob", make(), clock, ids, 3 * hours)
    clock.advance(hours + timedelta(minutes=1))
    # A lapsed hold is expired in the same commit as the new reservation.
    step(
        {"GetItem": 2, "TransactWriteItems": 1, "written": 5},
        lambda: reservations.reserve_item(second.id, "carol", make(), clock, ids, hours),
    )
    step(
        {"Query": 1, "GetItem": 2, "TransactWriteItems": 1, "written": 3},
        lambda: reservations.expire_lapsed_reservations(make, clock),
    )
    step(
        {"GetItem": 2, "TransactWriteItems": 1, "written": 4},
        lambda: items.withdraw_item(fourth.id, "alice", make(), clock),
    )
    assert live.id
    step(  # the job released the third item: withdrawing it touches the item alone
        {"GetItem": 1, "TransactWriteItems": 1, "written": 2},
        lambda: items.withdraw_item(third.id, "alice", make(), clock),
    )

    clock = Clock(b.NOW)  # back before the auction's end
    step(  # an edit that leaves the end alone leaves the due marker alone
        {"GetItem": 1, "TransactWriteItems": 1, "written": 2},
        lambda: items.edit_item(
            items.EditItem(item_id=lot.id, user_id="alice", title="Old radio"), make(), clock
        ),
    )
    step(
        {"GetItem": 1, "TransactWriteItems": 1, "written": 3},
        lambda: auctions.place_bid(lot.id, "bob", 120, make(), clock, ids),
    )
    clock.advance(timedelta(minutes=59))  # inside the soft close: the due marker moves too
    step(
        {"GetItem": 1, "TransactWriteItems": 1, "written": 4},
        lambda: auctions.place_bid(lot.id, "carol", 200, make(), clock, ids),
    )
    step({"GetItem": 1, "Query": 1}, lambda: auctions.bid_history(lot.id, "bob", make()))
    clock.advance(timedelta(minutes=5))
    ended = step(
        {"Query": 1, "BatchGetItem": 1, "GetItem": 1, "TransactWriteItems": 1, "written": 5},
        lambda: auctions.end_due_auctions(make, clock),
    )
    assert ended == 1

    def image(step_name: str) -> None:
        with make() as uow:
            item = uow.items.get(second.id)
            assert item is not None
            if step_name == "upload":
                item.add_image("alice", "img-1", "image/jpeg", clock.now())
            else:
                item.image_processed("img-1", ImageStatus.READY, clock.now())
            uow.items.update(item)
            uow.commit()

    step({"GetItem": 1, "PutItem": 1, "written": 1}, lambda: image("upload"))  # no event
    step({"GetItem": 1, "TransactWriteItems": 1, "written": 2}, lambda: image("processed"))


def test_the_auction_sweep_reads_only_the_due_markers(metered: Any) -> None:
    """The sweep runs every few minutes for ever: it must not pay for auctions not due."""
    make, meter = metered
    due = b.auction_item(ends_in=timedelta(minutes=10))
    later = [b.auction_item(ends_in=timedelta(hours=h)) for h in (1, 2, 3, 24)]
    settled = b.auction_item(ends_in=timedelta(minutes=5))
    with make() as uow:
        for item in (due, *later, settled, b.free_item()):
            uow.items.add(item)
        uow.commit()
    clock = Clock(b.NOW + timedelta(minutes=6))
    assert auctions.end_auction(settled.id, make(), clock)
    clock.advance(timedelta(minutes=5))
    meter.reset()
    with make() as uow:
        assert [item.id for item in uow.items.auctions_due(clock.now(), 100)] == [due.id]
    assert meter.items_read == {"Query": 1, "BatchGetItem": 1}
