"""The cost model, checked by hand on a small profile, and against the code it counts."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from ecobid_core.model.events import EVENT_TYPES
from ecobid_core.services.fanout import notifies
from ecobid_entrypoints.api.routes import ROUTES
from ecobid_entrypoints.cost import model
from ecobid_entrypoints.cost.bill import estimate
from ecobid_entrypoints.cost.model import load_measured, total
from ecobid_entrypoints.cost.prices import load_prices
from ecobid_entrypoints.cost.usage import UsageProfile
from ecobid_entrypoints.functions.catalog import FUNCTIONS, MEMORY_MB, by_name
from ecobid_entrypoints.local.cli import main


def _only(**active: float) -> UsageProfile:
    counts = {f.name: 0.0 for f in UsageProfile.__attrs_attrs__ if f.name != "mau"}
    return UsageProfile.from_mapping({**counts, "peak_to_average": 10.0, **active})


def test_a_small_profile_recomputed_by_hand_matches_to_the_cent() -> None:
    measured, prices = load_measured(), load_prices()
    profile = _only(mau=2000, searches=300, listings=10, response_kb=3, cold_start_share=0.5)
    bill = estimate(profile)

    search, listing = measured["GetItems:nearby"], measured["CreateItem:free"]
    relay, consumer = measured["ForwardOutbox"], measured["consume:ItemCreated"]
    sweeps = [measured["sweep:EndAuctions"], measured["sweep:CancelExpiredReservations"]]
    searches, listings = 300 * 2000, 10 * 2000  # per month
    reads = (
        searches * search["readUnits"]
        + listings * (listing["readUnits"] + consumer["readUnits"])
        + 730 * sum(s["readUnits"] for s in sweeps)
    )
    writes = listings * (listing["writeUnits"] + consumer["writeUnits"])
    invocations = searches + listings * 3 + 730 * 2  # API, relay, consumer; two sweeps

    def gb_s(figures: dict, function: str) -> float:
        # CPU (the code's, and 1.5 ms per DynamoDB call) at the function's share of a
        # vCPU, 6 ms of wait per call, half a cold start; times its memory in GB.
        memory = by_name(function).memory_mb
        cpu = figures["cpuMs"] + figures["dynamodbCalls"] * 1.5
        ms = cpu * 1769 / memory + figures["dynamodbCalls"] * 6
        return (math.ceil(ms) + 0.5 * 400) / 1000 * memory / 1024

    gb_seconds = (
        searches * gb_s(search, "GetItems")
        + listings
        * (
            gb_s(listing, "CreateItem")
            + gb_s(relay, "ForwardOutbox")
            + gb_s(consumer, "OnDomainEvent")
        )
        + 730 * (gb_s(sweeps[0], "EndAuctions") + gb_s(sweeps[1], "CancelExpiredReservations"))
    )
    logs_gb = (invocations * 600 + (searches + listings) * 300) / 1024**3
    api_cost = (searches + listings) * prices["api-gateway-rest"].usd_per_unit
    expected_new_account = (
        reads * 0.125e-6
        + writes * 0.625e-6
        + max(0, invocations - 1_000_000) * 0.2e-6
        + max(0, gb_seconds - 400_000) * 0.0000133334
        + api_cost  # no 12-month free tier on a new account
        + listings * 0.000001  # one EventBridge event per ItemCreated
        + max(0, logs_gb - 5) * 0.5
        + max(0, (searches + listings) * 3 / 1024**2 - 100) * 0.09
    )
    assert round(total(bill.new_account), 2) == round(expected_new_account, 2)
    lines = {line.price_id: line for line in bill.new_account}
    assert lines["dynamodb-read-request"].quantity == pytest.approx(reads)
    assert lines["dynamodb-write-request"].quantity == pytest.approx(writes)
    assert lines["lambda-requests"].quantity == pytest.approx(invocations)
    assert lines["lambda-compute-arm64"].quantity == pytest.approx(gb_seconds)
    assert lines["api-gateway-rest"].cost_usd == pytest.approx(api_cost)
    first_year = {line.price_id: line for line in bill.first_year}
    assert first_year["api-gateway-rest"].cost_usd == 0  # 620,000 calls < the 1M offer
    assert first_year["api-gateway-rest"].category == "12-month offer"


def test_every_api_operation_and_processor_is_counted() -> None:
    measured = load_measured()
    assert model.counted_functions() == {function.name for function in FUNCTIONS}
    assert {route.name for route in ROUTES} <= {f for _, f, _ in model.RUNS}
    assert {operation for operation, _, _ in (*model.RUNS, *model.SWEEPS)} <= set(measured)
    consumed = {name for name, cls in EVENT_TYPES.items() if notifies(cls)}
    assert "ItemCreated" in consumed
    assert {f"consume:{name}" for name in consumed} <= set(measured)
    assert model.RELAY in measured


def test_every_line_names_a_price_row_with_a_source() -> None:
    prices = load_prices()
    for line in estimate(UsageProfile()).new_account:
        row = prices[line.price_id]
        assert line.source == row.source.strip() and row.source.startswith("https://")
        assert row.free in ("always", "12-month", "none") and row.checked


def test_free_allowances_apply_by_kind() -> None:
    bill = estimate(UsageProfile(mau=100))
    new = {line.price_id: line for line in bill.new_account}
    first = {line.price_id: line for line in bill.first_year}
    assert new["lambda-requests"].covered == first["lambda-requests"].covered > 0
    assert new["api-gateway-rest"].covered == 0 < first["api-gateway-rest"].covered
    assert new["eventbridge-custom-events"].cost_usd > 0  # no free tier at all


def test_more_users_never_cost_less() -> None:
    bills = [total(estimate(UsageProfile(mau=mau)).new_account) for mau in (100, 10_000, 100_000)]
    assert bills == sorted(bills) and bills[0] < bills[-1]


def test_cognito_is_free_to_ten_thousand_users() -> None:
    def cognito(mau: int) -> float:
        lines = estimate(UsageProfile(mau=mau)).new_account
        return next(line.cost_usd for line in lines if line.price_id == "cognito-lite-mau")

    assert cognito(10_000) == 0
    assert cognito(10_100) == pytest.approx(100 * 0.0055)


def test_a_profile_file_and_the_formats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    profile = tmp_path / "profile.toml"
    profile.write_text("mau = 250\nsearches = 10\n")
    assert main(["cost", "--profile", str(profile), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["profile"]["mau"] == 250 and data["profile"]["searches"] == 10
    assert main(["cost", "--mau", "10", "--format", "markdown"]) == 0
    assert "| billed |" in capsys.readouterr().out
    assert main(["cost"]) == 0
    assert "dynamodb-read-request" in capsys.readouterr().out


def test_a_bad_profile_is_refused_clearly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = tmp_path / "profile.json"
    profile.write_text('{"mau": 10, "serches": 3}')
    assert main(["cost", "--profile", str(profile)]) == 2
    assert "serches" in capsys.readouterr().err
    profile.write_text('{"mau": -1}')
    assert main(["cost", "--profile", str(profile)]) == 2


def test_the_measured_figures_have_the_fields_the_model_reads() -> None:
    for name, figures in load_measured().items():
        assert {"readUnits", "writeUnits", "dynamodbCalls", "events", "cpuMs"} <= set(figures), name
    assert by_name("ForwardOutbox").memory_mb == 128  # not in MEMORY_MB
    assert all(by_name(name).memory_mb == mb for name, mb in MEMORY_MB.items())
