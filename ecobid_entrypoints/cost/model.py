"""The monthly bill: usage per service from the profile and the measured operations,
then one priced line per price row, its free allowance applied.

Everything the code does per operation comes from ``measured.json``; what only a
deployment could tell (how long a DynamoDB call takes, log line sizes, how often a
function starts cold) is a named constant or a profile field, stated in the README.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Callable, Mapping
from importlib import resources
from typing import Any

from attrs import frozen

from ecobid_entrypoints.api.routes import ROUTES
from ecobid_entrypoints.cost.prices import Price
from ecobid_entrypoints.cost.usage import UsageProfile
from ecobid_entrypoints.functions.catalog import by_name
from ecobid_entrypoints.functions.cpu_share import at_memory

Measured = Mapping[str, Mapping[str, Any]]

#: What each function is invoked for, per active user per month: the measured figures
#: of ``operation`` (``measured.json``) run by ``function`` (the catalog's name) that
#: many times. Events the runs write are followed below (relay, consumers).
Run = tuple[str, str, Callable[[UsageProfile], float]]
#: Devices, alerts, preferences and read state: each operation is its own function.
NOTIFY_RUNS: tuple[Run, ...] = (
    ("PutDevice", "PutDevice", lambda p: p.device_registrations),
    ("GetDevices", "GetDevices", lambda p: p.device_views),
    ("DeleteDevice", "DeleteDevice", lambda p: p.device_removals),
    ("CreateAlert", "CreateAlert", lambda p: p.alert_creations),
    ("GetAlerts", "GetAlerts", lambda p: p.alert_views),
    ("UpdateAlert", "UpdateAlert", lambda p: p.alert_edits),
    ("DeleteAlert", "DeleteAlert", lambda p: p.alert_removals),
    ("GetPreferences", "GetPreferences", lambda p: p.preference_views),
    ("UpdatePreferences", "UpdatePreferences", lambda p: p.preference_edits),
    ("MarkNotificationsRead", "MarkNotificationsRead", lambda p: p.notification_marks),
)
RUNS: tuple[Run, ...] = (
    ("CreateItem:free", "CreateItem", lambda p: p.listings * (1 - p.auction_share)),
    ("CreateItem:auction", "CreateItem", lambda p: p.listings * p.auction_share),
    ("GetItem", "GetItem", lambda p: p.item_views),
    ("GetItems:nearby", "GetItems", lambda p: p.searches),
    ("GetItems:owner", "GetItems", lambda p: p.owner_listing_views),
    ("UpdateItem", "UpdateItem", lambda p: p.item_edits),
    ("DeleteItem", "DeleteItem", lambda p: p.withdrawals),
    ("ReserveItem", "ReserveItem", lambda p: p.reservations),
    ("ConfirmReservation", "ConfirmReservation", lambda p: p.confirmations),
    ("CancelReservation", "CancelReservation", lambda p: p.reservation_cancels),
    # The giver opens each hold they are told of; both parties list their hand-overs.
    ("GetReservation", "GetReservation", lambda p: p.reservations),
    ("GetUserReservations", "GetUserReservations", lambda p: p.reservation_views),
    ("CreateBid", "CreateBid", lambda p: p.bids),
    ("GetBids", "GetBids", lambda p: p.bid_history_views),
    ("GetUserProfile", "GetUserProfile", lambda p: p.profile_views),
    ("UpdateUserProfile", "UpdateUserProfile", lambda p: p.profile_edits),
    ("GetNotifications", "GetNotifications", lambda p: p.notification_reads),
    *NOTIFY_RUNS,
    ("CreateImageUpload", "CreateImageUpload", lambda p: p.photo_uploads),
    ("GetUserTransactions", "GetUserTransactions", lambda p: p.transaction_views),
    # Each side of a hand-over may rate the other once.
    ("CreateRating", "CreateRating", lambda p: p.ratings_given),
    ("GetUserRatings", "GetUserRatings", lambda p: p.rating_views),
    ("ProcessImageUpload", "ProcessImageUpload", lambda p: p.photo_uploads),
    ("CreateUserProfile", "CreateUserProfile", lambda p: p.new_user_share),
    # The one-time schedules: each auction ends once; a hold nobody settled lapses.
    ("EndAuction", "EndAuction", lambda p: p.listings * p.auction_share),
    (
        "ExpireReservation",
        "ExpireReservation",
        lambda p: max(0.0, p.reservations - p.confirmations - p.reservation_cancels),
    ),
)

#: The scheduled sweeps run hourly (730 hours a month) whatever the users do; each is
#: measured when nothing is due: what nearly every run finds once schedules end things
#: on time.
SWEEPS: tuple[tuple[str, str, float], ...] = (
    ("sweep:EndAuctions", "EndAuctions", 730),
    ("sweep:CancelExpiredReservations", "CancelExpiredReservations", 730),
)

#: Functions every domain event passes through: the stream relay, then the bus consumer
#: for the event types that have one.
RELAY, CONSUMER = "ForwardOutbox", "OnDomainEvent"

#: One DynamoDB round trip inside a region, as a wall-clock wait billed to the function.
DYNAMODB_CALL_MS = 6.0
#: The client's own CPU for one DynamoDB call (build, sign, send, parse) at a full core:
#: 1.3-1.6 ms measured here against a local moto server. ``cpuMs`` in measured.json is
#: the code's CPU on the memory backend, which makes no calls, so this comes on top.
DYNAMODB_CALL_CPU_MS = 1.5
#: Init billed per cold start (billed for managed runtimes since August 2025).
COLD_START_MS = 400.0
#: Lambda's START/END/REPORT lines plus the function's one structured request line.
LOG_BYTES_PER_INVOCATION = 600
#: API Gateway's access log line per call.
ACCESS_LOG_BYTES = 300
#: Months an uploaded photo stays (the bucket's 90-day lifecycle).
PHOTO_MONTHS = 3
#: Bytes kept in DynamoDB per listing: item, bids, notifications, outbox (TTL-ed).
TABLE_BYTES_PER_LISTING = 6000
GB = 1024**3
API_FUNCTIONS = frozenset(route.name for route in ROUTES)


def load_measured(text: str | None = None) -> Measured:
    if text is None:
        text = resources.files(__package__).joinpath("measured.json").read_text()
    operations: Measured = json.loads(text)["operations"]
    return operations


@frozen(kw_only=True)
class Line:
    service: str
    item: str
    quantity: float
    unit: str
    price_id: str
    free: str
    covered: float  # by the free allowance
    cost_usd: float
    source: str

    @property
    def category(self) -> str:
        if self.cost_usd > 0:
            return "billed"
        return "12-month offer" if self.free == "12-month" and self.covered else "always free"


@frozen(kw_only=True)
class Usage:
    """Monthly quantities per price row id."""

    quantities: Mapping[str, float]


def counted_functions() -> set[str]:
    """Every Lambda function the model counts invocations of."""
    return {f for _, f, _ in RUNS} | {f for _, f, _ in SWEEPS} | {RELAY, CONSUMER}


def monthly_runs(profile: UsageProfile) -> dict[str, float]:
    """Invocations per measured operation in a month."""
    runs: dict[str, float] = {}
    for operation, _function, per_user in RUNS:
        runs[operation] = runs.get(operation, 0.0) + per_user(profile) * profile.mau
    return runs


def monthly_usage(profile: UsageProfile, measured: Measured) -> Usage:
    runs = monthly_runs(profile)
    events: Counter[str] = Counter()
    invocations, gb_seconds = 0.0, 0.0
    read_units = write_units = pushes = 0.0

    def run(figures: Mapping[str, Any], times: float, function: str) -> None:
        nonlocal invocations, gb_seconds, read_units, write_units, pushes
        memory_mb = by_name(function).memory_mb
        invocations += times
        pushes += times * figures.get("pushes", 0)
        gb_seconds += times * billed_seconds(figures, profile, memory_mb) * memory_mb / 1024
        read_units += times * figures["readUnits"]
        write_units += times * figures["writeUnits"]
        for event, per_call in figures["events"].items():
            events[event] += per_call * times

    for operation, function, per_user in RUNS:
        run(measured[operation], per_user(profile) * profile.mau, function)
    for operation, function, times in SWEEPS:
        run(measured[operation], times, function)
    for event, times in list(events.items()):
        run(measured[RELAY], times, RELAY)  # the stream record on to EventBridge
        consumer = measured.get(f"consume:{event}")
        if consumer is not None:
            run(consumer, times, CONSUMER)
    # The scripted session's new item reaches one neighbour; a listing reaches
    # ``recipients_per_listing``, each pushed once. (Its reads and writes grow by a batch
    # call per 100 and 25 recipients: BENCHMARKS.md, section fanout.)
    item_pushes = measured.get("consume:ItemCreated", {}).get("pushes", 0)
    extra = max(0.0, profile.recipients_per_listing - 1)
    pushes += events.get("ItemCreated", 0) * item_pushes * extra

    api_calls = sum(runs[operation] for operation, function, _ in RUNS if function in API_FUNCTIONS)
    photos = profile.photo_uploads * profile.mau
    s3_gets = (
        photos
        + profile.searches * profile.thumbnails_per_search * profile.mau
        + profile.item_views * profile.photos_per_item_view * profile.mau
    )
    downloads_kb = api_calls * profile.response_kb + s3_gets * profile.thumbnail_kb
    listings = profile.listings * profile.mau
    return Usage(
        quantities={
            "dynamodb-read-request": read_units,
            "dynamodb-write-request": write_units,
            "dynamodb-storage": listings * 12 * TABLE_BYTES_PER_LISTING / GB,
            "lambda-requests": invocations,
            "lambda-compute-arm64": gb_seconds,
            "api-gateway-rest": api_calls,
            "eventbridge-custom-events": sum(events.values()),
            "scheduler-invocations": runs["EndAuction"] + runs["ExpireReservation"],
            "s3-storage": photos
            * PHOTO_MONTHS
            * (profile.photo_original_mb + profile.photo_variants_mb)
            / 1024,
            "s3-put": photos * 3,  # the upload and two variants
            "s3-get": s3_gets,
            "rekognition-moderation": photos,
            "cognito-lite-mau": float(profile.mau),
            "cloudwatch-logs-ingestion": (
                invocations * LOG_BYTES_PER_INVOCATION + api_calls * ACCESS_LOG_BYTES
            )
            / GB,
            "data-transfer-out": downloads_kb * 1024 / GB,
            # Per push measured, times the share of users with a phone registered.
            "sns-mobile-push": pushes * profile.push_device_share,
            "sns-publish-request": pushes * profile.push_device_share,
        }
    )


def billed_seconds(figures: Mapping[str, Any], profile: UsageProfile, memory_mb: int) -> float:
    """Billed duration of one invocation: its CPU at its memory's share of a vCPU
    (``cpu_share``), its waits, cold starts."""
    calls = int(figures["dynamodbCalls"])
    cpu_ms = float(figures.get("cpuMs", 0.0)) + calls * DYNAMODB_CALL_CPU_MS
    wall_ms = at_memory(cpu_ms, memory_mb) + calls * DYNAMODB_CALL_MS
    return (math.ceil(wall_ms) + profile.cold_start_share * COLD_START_MS) / 1000


def price_lines(usage: Usage, prices: Mapping[str, Price], *, twelve_month: bool) -> list[Line]:
    """One line per price row; ``twelve_month`` says whether that free tier applies."""
    lines = []
    for price_id, quantity in usage.quantities.items():
        price = prices[price_id]
        applies = price.free == "always" or (price.free == "12-month" and twelve_month)
        covered = min(quantity, price.free_units) if applies else 0.0
        cost = price.charge(quantity, covered)
        lines.append(
            Line(
                service=price.service,
                item=price.item,
                quantity=quantity,
                unit=price.unit,
                price_id=price.id,
                free=price.free,
                covered=covered,
                cost_usd=cost,
                source=price.source,
            )
        )
    return lines


def total(lines: list[Line]) -> float:
    return sum(line.cost_usd for line in lines)
