"""One table for every benchmark section: each figure beside its same-run baseline."""

from __future__ import annotations

import os
import platform
from collections.abc import Iterable, Mapping
from typing import Any

Row = Mapping[str, Any]
_COLUMNS = ("section", "case", "figure", "baseline", "ratio", "note")


def _number(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.1f}"
    return f"{value:,.0f}" if isinstance(value, float) else f"{value:,}"


def cells(row: Row) -> list[str]:
    unit = row.get("unit", "")
    baseline = row.get("baseline")
    ratio = f"{row['figure'] / baseline:.2f}x" if baseline else "-"
    return [
        str(row["section"]),
        str(row["case"]),
        f"{_number(row['figure'])} {unit}".strip(),
        f"{_number(baseline)} {unit}".strip() if baseline is not None else "-",
        ratio,
        str(row.get("note", "")),
    ]


def markdown(rows: Iterable[Row]) -> str:
    lines = ["| " + " | ".join(_COLUMNS) + " |", "|" + "---|" * len(_COLUMNS)]
    lines += ["| " + " | ".join(cells(row)) + " |" for row in rows]
    return "\n".join(lines)


def print_rows(rows: Iterable[Row]) -> None:
    table = [list(_COLUMNS), *(cells(row) for row in rows)]
    widths = [max(len(line[i]) for line in table) for i in range(len(_COLUMNS) - 1)]
    for line in table:
        print("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=False)), line[-1])


def machine() -> str:
    """What the figures were measured on: they are only comparable within one run."""
    memory = ""
    if hasattr(os, "sysconf") and "SC_PHYS_PAGES" in os.sysconf_names:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
        memory = f", {total / 2**30:.0f} GiB"
    cpu = platform.processor() or platform.machine()
    return (
        f"{platform.system()} {platform.machine()} ({cpu}), {os.cpu_count()} cores{memory}, "
        f"Python {platform.python_version()}"
    )
