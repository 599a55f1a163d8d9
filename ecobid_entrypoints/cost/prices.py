"""The price rows of ``prices.toml``: one price and one free allowance each."""

from __future__ import annotations

import tomllib
from importlib import resources
from typing import Literal

from attrs import frozen

FreeKind = Literal["always", "12-month", "none"]


@frozen(kw_only=True)
class Price:
    id: str
    service: str
    item: str
    unit: str
    usd_per_unit: float
    free_units: float
    free: FreeKind
    checked: str
    source: str


def load_prices(text: str | None = None) -> dict[str, Price]:
    """The rows by id; ``text`` replaces the packaged file (tests, other regions)."""
    if text is None:
        text = resources.files(__package__).joinpath("prices.toml").read_text()
    rows = tomllib.loads(text)["price"]
    prices = {row["id"]: Price(**row) for row in rows}
    if len(prices) != len(rows):
        raise ValueError("two price rows share an id")
    return prices
