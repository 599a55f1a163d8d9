"""``ecobid cost`` output: a table, Markdown or JSON, each line naming its price row."""

from __future__ import annotations

import json
from typing import Any

from attrs import asdict

from ecobid_entrypoints.cost.bill import Bill
from ecobid_entrypoints.cost.model import Line, total

CATEGORIES = ("billed", "12-month offer", "always free")
_HEAD = (
    "service",
    "usage",
    "free allowance used",
    "new account",
    "first year",
    "price row",
    "source",
)
Pair = tuple[Line, Line]  # the same price row without and with the 12-month free tier


def _cells(pair: Pair) -> tuple[str, ...]:
    new, first_year = pair
    return (
        f"{first_year.service}: {first_year.item}",
        f"{first_year.quantity:,.2f} {first_year.unit}",
        f"{first_year.covered:,.2f} ({first_year.free})",
        f"${new.cost_usd:,.2f}",
        f"${first_year.cost_usd:,.2f}",
        first_year.price_id,
        first_year.source,
    )


def _by_category(bill: Bill) -> list[tuple[str, list[Pair]]]:
    """Rows grouped by how the first-year bill treats them: billed even with the free
    tier, covered by the 12-month offer (billed on a new account), or always free."""
    pairs = list(zip(bill.new_account, bill.first_year, strict=True))
    groups = [(c, [p for p in pairs if p[1].category == c]) for c in CATEGORIES]
    return [(category, rows) for category, rows in groups if rows]


def summary(bill: Bill) -> list[str]:
    modes, profile = bill.dynamodb, bill.profile
    fits = "fits" if modes.provisioned_fits_free else "does not fit"
    return [
        "Monthly bill, account opened since 15 July 2025 (credits, no 12-month free tier): "
        f"${total(bill.new_account):,.2f}",
        "Monthly bill, first year of an account with the 12-month free tier: "
        f"${total(bill.first_year):,.2f}",
        f"DynamoDB on demand ${modes.on_demand_usd:,.2f}; provisioned free-tier profile "
        f"${modes.provisioned_usd:,.2f} (peak {modes.peak_read_units:,.3f} RCU/s and "
        f"{modes.peak_write_units:,.3f} WCU/s at {profile.peak_to_average:g}x the average: "
        f"{fits} 25/25)",
    ]


def as_json(bill: Bill) -> str:
    data: dict[str, Any] = {
        "profile": asdict(bill.profile),
        "lines": {
            "new_account": [{**asdict(x), "category": x.category} for x in bill.new_account],
            "first_year": [{**asdict(x), "category": x.category} for x in bill.first_year],
        },
        "totals": {
            "new_account_usd": round(total(bill.new_account), 2),
            "first_year_usd": round(total(bill.first_year), 2),
        },
        "dynamodb": {
            **asdict(bill.dynamodb),
            "provisioned_fits_free": bill.dynamodb.provisioned_fits_free,
        },
    }
    return json.dumps(data, indent=2)


def as_table(bill: Bill) -> str:
    out = [f"EcoBid monthly cost, {bill.profile.mau:,} monthly active users (us-east-1, USD)"]
    for category, pairs in _by_category(bill):
        rows = [_HEAD, *(_cells(pair) for pair in pairs)]
        widths = [max(len(row[i]) for row in rows) for i in range(len(_HEAD) - 1)]
        out += ["", f"{category}:"]
        for row in rows:
            padded = "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=False))
            out.append(f"  {padded}  {row[-1]}")
    return "\n".join([*out, "", *summary(bill)])


def as_markdown(bill: Bill) -> str:
    out = [
        f"Monthly cost, {bill.profile.mau:,} monthly active users (us-east-1, USD):",
        "",
        "| " + " | ".join(("category", *_HEAD)) + " |",
        "|" + "---|" * (len(_HEAD) + 1),
    ]
    for category, pairs in _by_category(bill):
        out += ["| " + " | ".join((category, *_cells(pair))) + " |" for pair in pairs]
    return "\n".join([*out, "", *(f"- {line}" for line in summary(bill))])


def scales_markdown(bills: list[Bill]) -> str:
    """One Markdown table: each service's monthly cost at each scale, new account."""
    head = ["service", *(f"{bill.profile.mau:,} MAU" for bill in bills)]
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for index, line in enumerate(bills[0].new_account):
        costs = [f"${bill.new_account[index].cost_usd:,.2f}" for bill in bills]
        out.append(
            f"| {line.service}: {line.item} (`{line.price_id}`) | " + " | ".join(costs) + " |"
        )
    totals = [f"**${total(bill.new_account):,.2f}**" for bill in bills]
    first = [f"${total(bill.first_year):,.2f}" for bill in bills]
    out.append("| **total, new account** | " + " | ".join(totals) + " |")
    out.append("| total, first year with the 12-month free tier | " + " | ".join(first) + " |")
    return "\n".join(out)


FORMATS = {"table": as_table, "markdown": as_markdown, "json": as_json}
