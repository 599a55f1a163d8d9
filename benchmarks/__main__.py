"""``./dev bench``: every benchmark section, one table, written to BENCHMARKS.md too.

Each section module has ``measure() -> list[row]``; a section that fails is reported in
the table as a failure and makes the run exit non-zero, so a broken benchmark shows.
"""

from __future__ import annotations

import importlib
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.report import machine, markdown, print_rows

#: Run in this order; each is a module of this package with a ``measure()``.
SECTIONS = (
    "cold_start",
    "first_body",
    "packages",
    "search",
    "photos",
    "warm_path",
    "load",
    "fanout",
)
OUTPUT = Path(__file__).resolve().parent.parent / "BENCHMARKS.md"

_PREAMBLE = """# Benchmarks

Made by `./dev bench` (nox session `bench`), which prints this table and rewrites this file.
Every figure stands beside a baseline measured in the same run on the same machine, so
read the ratios, not the absolute numbers: these machines are shared and noisy.
"""


def run(names: tuple[str, ...]) -> tuple[list[dict[str, Any]], list[str]]:
    rows: list[dict[str, Any]] = []
    failed: list[str] = []
    for name in names:
        started = time.monotonic()
        try:
            section = importlib.import_module(f"benchmarks.{name}").measure()
        except Exception:
            traceback.print_exc()
            failed.append(name)
            continue
        rows += section
        print(f"[{name}: {len(section)} rows in {time.monotonic() - started:.0f} s]", flush=True)
    return rows, failed


def main(argv: list[str]) -> int:
    names = tuple(argv) or SECTIONS
    rows, failed = run(names)
    print_rows(rows)
    when = datetime.now(UTC).strftime("%Y-%m-%d")
    text = (
        f"{_PREAMBLE}\nMeasured {when} on: {machine()}.\n\n"
        f"Command: `./dev bench` (sections: {', '.join(names)}).\n\n{markdown(rows)}\n"
    )
    if failed:
        print(f"failed sections: {', '.join(failed)}", file=sys.stderr)
        return 1
    if names == SECTIONS:
        OUTPUT.write_text(text + _notes())
    elif OUTPUT.exists():
        # A partial run replaces its own sections' rows and leaves the others' standing.
        OUTPUT.write_text(_merge(OUTPUT.read_text(), rows, when))
    return 0


def _merge(document: str, rows: list[dict[str, Any]], when: str) -> str:
    sections = {str(row["section"]) for row in rows}
    lines = document.split("\n")
    table = [i for i, line in enumerate(lines) if line.startswith("| ")]
    if not table:
        return document
    end = table[-1] + 1
    new = [
        line
        for line in markdown(
            [{**row, "note": f"{row.get('note', '')} (run alone on {when})".strip()}
             for row in rows]
        ).split("\n")[2:]
    ]  # fmt: skip
    kept = [
        line
        for i, line in enumerate(lines[:end])
        if not (i in table and line.split(" | ", 1)[0][2:] in sections)
    ]
    # What follows the table is the notes, which may have changed with the section.
    return "\n".join([*kept, *new]) + "\n" + _notes()


def _notes() -> str:
    notes = Path(__file__).resolve().parent / "NOTES.md"
    return "\n" + notes.read_text() if notes.exists() else ""


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
