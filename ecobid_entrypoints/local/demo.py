"""Demo data for the local server: a few neighbours and their things around Berlin."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from ecobid_core.model.auction_terms import AuctionTerms
from ecobid_core.model.values import ItemType, Location
from ecobid_core.services import items, users
from ecobid_entrypoints.container import Container

CENTRE = Location(52.5200, 13.4050)

DEMO_USERS = {
    "alice@example.com": ("Alice", Location(52.5208, 13.4094)),
    "bob@example.com": ("Bob", Location(52.5163, 13.3777)),
    "carol@example.com": ("Carol", Location(52.5304, 13.4120)),
}

# (owner, title, category, lat, lon, auction start price in cents or None)
DEMO_ITEMS = [
    ("alice@example.com", "Oak chair", "furniture", 52.5215, 13.4110, None),
    ("alice@example.com", "Box of children's books", "books", 52.5219, 13.4087, None),
    ("bob@example.com", "Working toaster", "kitchen", 52.5170, 13.3800, None),
    ("bob@example.com", "Road bike, 56 cm", "sports", 52.5158, 13.3790, 5_000),
    ("carol@example.com", "Tomato seedlings", "garden", 52.5298, 13.4135, None),
    ("carol@example.com", "Winter coat, size M", "clothing", 52.5310, 13.4101, None),
    ("carol@example.com", "Record player", "electronics", 52.5301, 13.4142, 2_500),
]


def seed(container: Container) -> int:
    """Create the demo users and items; returns how many items were made."""
    deps = container.deps()
    sign_in = container.dev_sign_in()
    ids_by_email = {}
    for email, (name, home) in DEMO_USERS.items():
        _token, user_id = sign_in.issue(email)
        ids_by_email[email] = user_id
        deps.run(partial(users.ensure_profile, user_id, email, clock=deps.clock))
        edit = users.EditProfile(
            user_id=user_id,
            caller_id=user_id,
            display_name=name,
            location=home,
            bio="Demo neighbour",
        )
        deps.copy_profile(deps.run(partial(users.edit_profile, edit, clock=deps.clock)))
    ends_at = deps.clock.now() + timedelta(days=3)
    for owner, title, category, lat, lon, start in DEMO_ITEMS:
        item_type, terms = ItemType.FREE, None
        if start is not None:
            item_type = ItemType.AUCTION
            terms = AuctionTerms(start_price=start, currency="EUR", ends_at=ends_at)
        cmd = items.CreateItem(
            owner_id=ids_by_email[owner],
            title=title,
            description=f"{title}, picked up near the centre.",
            category=category,
            location=Location(lat, lon),
            item_type=item_type,
            auction=terms,
        )
        deps.run(partial(items.create_item, cmd, clock=deps.clock, ids=deps.ids))
    return len(DEMO_ITEMS)
