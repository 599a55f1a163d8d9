"""`./dev bench -- SECTION` replaces that section's rows in BENCHMARKS.md, nothing else."""

from __future__ import annotations

from benchmarks.__main__ import _merge, _notes

DOCUMENT = """# Benchmarks

| section | case | figure | baseline | ratio | note |
|---|---|---|---|---|---|
| search | dense | 1 | - | - | kept |
| load | old run | 5 req/s | - | - | replaced |

## Goals
- old notes
"""


def test_a_partial_run_replaces_its_rows_keeps_the_others_and_renews_the_notes() -> None:
    rows = [{"section": "load", "case": "new run", "figure": 7, "unit": "req/s"}]
    merged = _merge(DOCUMENT, rows, "2026-12-03")
    assert "| search | dense | 1 | - | - | kept |" in merged
    assert "old run" not in merged
    assert "| load | new run | 7 req/s | - | - | (run alone on 2026-12-03) |" in merged
    assert merged.index("search | dense") < merged.index("load | new run")
    assert merged.endswith(_notes())
    assert "old notes" not in merged
