"""The item's own rules, in the model: terms fit the type, owners and versions are checked
once, and whom a withdrawn item is shown to."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ecobid_core.errors import Forbidden, NotAnAuction, ValidationFailed, VersionConflict
from ecobid_core.model.auction_terms import AuctionTerms
from ecobid_core.model.item import Item
from ecobid_core.model.values import ItemStatus, ItemType, Location
from tests.unit.core.test_auction_rules import field_of

NOW = datetime(2030, 1, 1, 12, tzinfo=UTC)
ENDS = NOW + timedelta(days=2)
TERMS = AuctionTerms(start_price=100, currency="EUR", ends_at=ENDS, reserve_price=400)


def create(item_type: ItemType, terms: AuctionTerms | None) -> Item:
    return Item.create(
        item_id="i-1",
        owner_id="owner",
        title="Lamp",
        description="",
        category_name="other",
        location=Location(52.5, 13.4),
        now=NOW,
        item_type=item_type,
        terms=terms,
    )


@pytest.mark.parametrize(
    ("item_type", "terms", "field"),
    [
        (ItemType.FREE, TERMS, "auction"),
        (ItemType.FREE, AuctionTerms(), "auction"),
        (ItemType.AUCTION, None, "auction"),
        (ItemType.AUCTION, AuctionTerms(currency="EUR", ends_at=ENDS), "auction.startPrice"),
        (ItemType.AUCTION, AuctionTerms(start_price=1, ends_at=ENDS), "auction.currency"),
        (ItemType.AUCTION, AuctionTerms(start_price=1, currency="EUR"), "auction.endsAt"),
    ],
)
def test_an_auction_has_terms_and_a_free_item_has_none(
    item_type: ItemType, terms: AuctionTerms | None, field: str
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        create(item_type, terms)
    assert field_of(caught.value) == field


def test_the_type_and_status_follow_from_the_terms() -> None:
    free, auction = create(ItemType.FREE, None), create(ItemType.AUCTION, TERMS)
    assert (free.type, free.status, free.auction) == (ItemType.FREE, ItemStatus.AVAILABLE, None)
    assert (auction.type, auction.status) == (ItemType.AUCTION, ItemStatus.ACTIVE)
    assert auction.auction is not None
    assert (auction.auction.start_price, auction.auction.reserve_price) == (100, 400)


def test_an_edit_changes_only_the_terms_it_names() -> None:
    item = create(ItemType.AUCTION, TERMS)
    item.edit("owner", NOW, auction_terms=AuctionTerms(start_price=150))
    assert item.auction is not None
    assert (item.auction.start_price, item.auction.current_price) == (150, 150)
    assert (item.auction.currency, item.auction.ends_at, item.auction.reserve_price) == (
        "EUR",
        ENDS,
        400,
    )


def test_a_free_item_takes_no_terms_in_an_edit() -> None:
    # A conflict with the stored item (409), not a malformed request: schemathesis found
    # a schema-valid edit refused as a 400.
    item = create(ItemType.FREE, None)
    with pytest.raises(NotAnAuction) as caught:
        item.edit("owner", NOW, auction_terms=AuctionTerms(start_price=150))
    assert caught.value.code == "not_an_auction"
    assert item.version == 1


def test_an_edit_checks_the_owner_before_the_version() -> None:
    item = create(ItemType.FREE, None)
    with pytest.raises(Forbidden):
        item.edit("stranger", NOW, title="Mine now", expected_version=7)
    with pytest.raises(VersionConflict):
        item.edit("owner", NOW, title="Stale", expected_version=7)
    item.edit("owner", NOW, title="Fresh", expected_version=1)
    assert (item.title, item.version) == ("Fresh", 2)


def test_a_withdrawn_item_is_visible_to_its_owner_only() -> None:
    item = create(ItemType.FREE, None)
    assert item.visible_to("stranger")
    item.withdraw("owner", NOW)
    assert item.visible_to("owner")
    assert not item.visible_to("stranger")
