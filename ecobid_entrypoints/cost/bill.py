"""One estimate: the profile, its priced lines with and without the 12-month free tier,
and the DynamoDB capacity-mode comparison."""

from __future__ import annotations

from collections.abc import Mapping

from attrs import frozen

from ecobid_entrypoints.cost.capacity_modes import ModeComparison, compare
from ecobid_entrypoints.cost.model import Line, Measured, load_measured, monthly_usage, price_lines
from ecobid_entrypoints.cost.prices import Price, load_prices
from ecobid_entrypoints.cost.usage import UsageProfile


@frozen(kw_only=True)
class Bill:
    profile: UsageProfile
    new_account: list[Line]  # accounts opened since 15 July 2025: no 12-month free tier
    first_year: list[Line]  # older accounts in their first 12 months
    dynamodb: ModeComparison


def estimate(
    profile: UsageProfile,
    prices: Mapping[str, Price] | None = None,
    measured: Measured | None = None,
) -> Bill:
    prices = load_prices() if prices is None else prices
    usage = monthly_usage(profile, load_measured() if measured is None else measured)
    return Bill(
        profile=profile,
        new_account=price_lines(usage, prices, twelve_month=False),
        first_year=price_lines(usage, prices, twelve_month=True),
        dynamodb=compare(usage, prices, profile.peak_to_average),
    )
