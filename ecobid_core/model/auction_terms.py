"""A seller's terms for an auction, as asked for: all of them to open one, some to change one.

One value for both, so a use case and a view never carry terms as a loose dict. A field
left ``None`` is not asked for: opening needs the start price, the currency and the end
(no reserve price means no reserve); changing keeps every term not asked for.
"""

from __future__ import annotations

from datetime import datetime

from attrs import frozen

from ecobid_core.errors import ValidationFailed
from ecobid_core.model.auction import UNCHANGED, Auction


@frozen(kw_only=True)
class AuctionTerms:
    start_price: int | None = None
    currency: str | None = None
    ends_at: datetime | None = None
    reserve_price: int | None = None

    def open(self, now: datetime) -> Auction:
        """A new auction on these terms; each missing required term is named."""
        if self.start_price is None:
            raise ValidationFailed.on("auction.startPrice", "is required to open an auction")
        if self.currency is None:
            raise ValidationFailed.on("auction.currency", "is required to open an auction")
        if self.ends_at is None:
            raise ValidationFailed.on("auction.endsAt", "is required to open an auction")
        return Auction.open(
            start_price=self.start_price,
            currency=self.currency,
            ends_at=self.ends_at,
            reserve_price=self.reserve_price,
            now=now,
        )

    def apply_to(self, auction: Auction, now: datetime) -> Auction:
        """``auction`` with the terms asked for changed (the auction's rules decide if it may)."""
        return auction.with_terms(
            start_price=UNCHANGED if self.start_price is None else self.start_price,
            currency=UNCHANGED if self.currency is None else self.currency,
            ends_at=UNCHANGED if self.ends_at is None else self.ends_at,
            reserve_price=UNCHANGED if self.reserve_price is None else self.reserve_price,
            now=now,
        )
