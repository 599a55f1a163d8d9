"""The price rows of ``prices.toml``: one price, its volume tiers and one free allowance each.

A row with ``tiers`` charges each unit of the month at the price of the tier it falls in,
counting from the month's first unit: ``up_to`` is the cumulative monthly quantity where a
tier ends, and the last tier has none. The free allowance is the month's first units, so it
comes off the bottom tier (API Gateway's free million calls are the first million of the
333 million at $3.50; Cognito's 10,000 free users are below the 10,001-100,000 tier).
"""

from __future__ import annotations

import tomllib
from importlib import resources
from typing import Any, Literal

from attrs import frozen

FreeKind = Literal["always", "12-month", "none"]


@frozen
class Tier:
    up_to: float | None  # cumulative units in the month where this tier ends; None: no end
    usd_per_unit: float


@frozen(kw_only=True)
class Price:
    id: str
    service: str
    item: str
    unit: str
    usd_per_unit: float  # the first tier's price
    free_units: float
    free: FreeKind
    checked: str
    source: str
    tiers: tuple[Tier, ...] = ()

    def __attrs_post_init__(self) -> None:
        if not self.tiers:
            return
        ends = [tier.up_to for tier in self.tiers]
        if ends[-1] is not None or None in ends[:-1]:
            raise ValueError(f"{self.id}: only the last tier is open-ended")
        bounded = [end for end in ends[:-1] if end is not None]
        if bounded != sorted(set(bounded)) or (bounded and bounded[0] <= 0):
            raise ValueError(f"{self.id}: tier ends must rise")
        if self.tiers[0].usd_per_unit != self.usd_per_unit:
            raise ValueError(f"{self.id}: usd_per_unit must be the first tier's price")

    def charge(self, quantity: float, covered: float = 0.0) -> float:
        """USD for a month of ``quantity`` units whose first ``covered`` are free."""
        return self._cumulative(quantity) - self._cumulative(min(covered, quantity))

    def _cumulative(self, quantity: float) -> float:
        """USD for the month's first ``quantity`` units, tier by tier."""
        if not self.tiers:
            return max(quantity, 0.0) * self.usd_per_unit
        cost, start = 0.0, 0.0
        for tier in self.tiers:
            end = quantity if tier.up_to is None else min(quantity, tier.up_to)
            if end > start:
                cost += (end - start) * tier.usd_per_unit
            if tier.up_to is None or quantity <= tier.up_to:
                break
            start = tier.up_to
        return cost


def _price(row: dict[str, Any]) -> Price:
    tiers = tuple(Tier(t.get("up_to"), t["usd_per_unit"]) for t in row.pop("tiers", ()))
    return Price(**row, tiers=tiers)


def load_prices(text: str | None = None) -> dict[str, Price]:
    """The rows by id; ``text`` replaces the packaged file (tests, other regions)."""
    if text is None:
        text = resources.files(__package__).joinpath("prices.toml").read_text()
    rows = tomllib.loads(text)["price"]
    prices = {row["id"]: _price(dict(row)) for row in rows}
    if len(prices) != len(rows):
        raise ValueError("two price rows share an id")
    return prices
