"""Volume tiers and free allowances of the price rows, worked by hand from the pricing pages."""

from __future__ import annotations

import json

import pytest

from ecobid_entrypoints.cost.bill import estimate
from ecobid_entrypoints.cost.prices import Price, Tier, load_prices
from ecobid_entrypoints.cost.usage import UsageProfile
from ecobid_entrypoints.local.cli import main


def test_api_gateway_charges_each_call_at_its_tier() -> None:
    rest = load_prices()["api-gateway-rest"]
    # 1.5 billion calls: 333 M at $3.50, 667 M at $2.80, 500 M at $2.38 per million.
    assert rest.charge(1_500_000_000) == pytest.approx(333 * 3.5 + 667 * 2.8 + 500 * 2.38)
    # Past 20 billion the rest are at $1.51 per million.
    expected = 333 * 3.5 + 667 * 2.8 + 19_000 * 2.38 + 1_000 * 1.51
    assert rest.charge(21_000_000_000) == pytest.approx(expected)
    # The free million is the month's first million, off the $3.50 tier.
    assert rest.charge(1_500_000_000, covered=1_000_000) == pytest.approx(
        rest.charge(1_500_000_000) - 3.5
    )


def test_lambda_compute_tiers_and_the_free_allowance() -> None:
    compute = load_prices()["lambda-compute-arm64"]
    quantity = 10_000_000_000  # GB-seconds
    expected = (7_500_000_000 - 400_000) * 0.0000133334 + 2_500_000_000 * 0.0000120001
    assert compute.charge(quantity, covered=400_000) == pytest.approx(expected)
    assert compute.charge(300_000, covered=300_000) == 0


def test_rekognition_free_tier_is_a_thousand_images_for_twelve_months() -> None:
    moderation = load_prices()["rekognition-moderation"]
    assert moderation.free_units == 1000 and moderation.free == "12-month"
    assert moderation.charge(6_000_000) == pytest.approx(1e6 * 0.001 + 4e6 * 0.0008 + 1e6 * 0.0006)


def test_cognito_bills_each_band_of_users_at_its_rate() -> None:
    cognito = load_prices()["cognito-lite-mau"]
    expected = 90_000 * 0.0055 + 900_000 * 0.0046 + 500_000 * 0.00325
    assert cognito.charge(1_500_000, covered=10_000) == pytest.approx(expected)


def test_every_tiered_row_starts_at_its_listed_price_and_rises_to_an_open_end() -> None:
    tiered = [price for price in load_prices().values() if price.tiers]
    assert {p.id for p in tiered} >= {"api-gateway-rest", "lambda-compute-arm64"}
    for price in tiered:
        assert price.tiers[0].usd_per_unit == price.usd_per_unit
        assert price.tiers[-1].up_to is None
        rates = [tier.usd_per_unit for tier in price.tiers]
        assert rates == sorted(rates, reverse=True), price.id  # volume never costs more


def test_a_malformed_tier_list_is_refused() -> None:
    row = dict(
        id="x", service="s", item="i", unit="u", usd_per_unit=1.0, free_units=0,
        free="none", checked="2026-12-06", source="https://example.com",
    )  # fmt: skip
    with pytest.raises(ValueError, match="open-ended"):
        Price(**row, tiers=(Tier(None, 1.0), Tier(10, 0.5)))
    with pytest.raises(ValueError, match="rise"):
        Price(**row, tiers=(Tier(10, 1.0), Tier(5, 0.5), Tier(None, 0.1)))
    with pytest.raises(ValueError, match="first tier"):
        Price(**row, tiers=(Tier(10, 2.0), Tier(None, 0.5)))


def test_a_row_without_tiers_is_one_price() -> None:
    writes = load_prices()["dynamodb-write-request"]
    assert not writes.tiers
    assert writes.charge(4_000_000) == pytest.approx(4_000_000 * 0.000000625)


def test_cost_with_one_mau_prints_that_bill(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cost", "--mau", "10000", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["profile"]["mau"] == 10_000
    expected = estimate(UsageProfile(mau=10_000))
    assert data["totals"]["new_account_usd"] == round(
        sum(line.cost_usd for line in expected.new_account), 2
    )
    assert data["totals"]["new_account_usd"] > round(
        sum(line.cost_usd for line in estimate(UsageProfile()).new_account), 2
    )
