"""Usage profiles: how many users, and what one of them does in a month.

The defaults are the plan's MVP: 100 monthly active users sending about 100,000 API
requests a month (about 1,000 each). Every figure can be replaced from a TOML or JSON
file (``ecobid cost --profile FILE``), keys as the field names below.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

from attrs import asdict, field, fields, frozen


def _non_negative(_instance: object, attribute: Any, value: float) -> None:
    if value < 0:
        raise ValueError(f"{attribute.name} must not be negative")


def _count(default: float) -> Any:
    return field(default=default, validator=_non_negative)


@frozen(kw_only=True)
class UsageProfile:
    mau: int = _count(100)
    new_user_share: float = _count(0.1)  # of active users, signing up this month
    # API actions per active user per month.
    searches: float = _count(330)
    item_views: float = _count(400)
    listings: float = _count(8)
    auction_share: float = _count(0.25)  # of listings
    item_edits: float = _count(2)
    withdrawals: float = _count(1)
    owner_listing_views: float = _count(30)
    reservations: float = _count(4)
    confirmations: float = _count(3)
    reservation_cancels: float = _count(1)
    bids: float = _count(15)
    bid_history_views: float = _count(20)
    profile_views: float = _count(40)
    profile_edits: float = _count(1)
    notification_reads: float = _count(100)
    notification_marks: float = _count(30)
    # The app renews its push token on start-up; alerts and preferences change rarely.
    device_registrations: float = _count(10)
    device_views: float = _count(1)
    device_removals: float = _count(0.2)
    alert_creations: float = _count(0.5)
    alert_views: float = _count(3)
    alert_edits: float = _count(0.5)
    alert_removals: float = _count(0.2)
    preference_views: float = _count(1)
    preference_edits: float = _count(0.2)
    push_device_share: float = _count(0.8)  # of notified users, with a phone registered
    recipients_per_listing: float = _count(20)  # users whose alerts a new item matches
    transaction_views: float = _count(5)
    ratings_given: float = _count(3)
    rating_views: float = _count(20)
    reservation_views: float = _count(10)  # each party's list of hand-overs
    photo_uploads: float = _count(12)
    # What the app downloads from S3 (presigned GETs), after its own cache.
    thumbnails_per_search: float = _count(5)
    photos_per_item_view: float = _count(1)
    # Sizes and rates that no test can measure here; each is a stated assumption.
    photo_original_mb: float = _count(2.5)
    photo_variants_mb: float = _count(0.3)
    thumbnail_kb: float = _count(25)
    response_kb: float = _count(3)
    cold_start_share: float = _count(0.3)  # of invocations, at MVP traffic most are cold
    peak_to_average: float = _count(10)  # for the provisioned-capacity comparison

    @classmethod
    def from_file(cls, path: Path) -> UsageProfile:
        text = path.read_text()
        data = json.loads(text) if path.suffix == ".json" else tomllib.loads(text)
        return cls.from_mapping(data)

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> UsageProfile:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown usage fields: {', '.join(unknown)}")
        return cls(**data)

    def with_mau(self, mau: int) -> UsageProfile:
        return UsageProfile(**{**asdict(self), "mau": mau})
