"""CPU time at a Lambda function's memory, and the memory a piece of work needs."""

from __future__ import annotations

import pytest

from benchmarks.cold_start import memory_rows
from ecobid_entrypoints.functions.catalog import by_name
from ecobid_entrypoints.functions.cpu_share import at_memory, memory_for


def test_cpu_time_scales_with_the_share_of_a_vcpu() -> None:
    assert at_memory(100, 1769) == pytest.approx(100)
    assert at_memory(100, 128) == pytest.approx(100 * 1769 / 128)
    # Above one vCPU, a single thread gets no faster.
    assert at_memory(100, 3538) == pytest.approx(100)


def test_the_memory_that_fits_a_budget_is_the_least_step_that_does() -> None:
    needed = memory_for(400, 5000)  # 400 ms of CPU in 5 s: 141.5 MB
    assert needed == 192
    assert at_memory(400, needed) <= 5000 < at_memory(400, needed - 64)
    assert memory_for(10, 5000) == 128
    with pytest.raises(ValueError, match="cannot fit"):
        memory_for(2000, 1000)  # two seconds of one thread never fit one


def test_the_bench_holds_each_cold_start_to_half_the_timeout_at_its_memory() -> None:
    get_items = by_name("GetItems")
    rows = memory_rows({"GetItem": 500.0}, {"GetItems": 900.0})
    cold, warm = rows
    assert cold["baseline"] == by_name("GetItem").timeout_s * 1000 / 2
    assert cold["figure"] == pytest.approx(500 * 1769 / by_name("GetItem").memory_mb)
    assert warm["baseline"] == 1000
    assert warm["figure"] == pytest.approx(900 * 1769 / get_items.memory_mb)
    assert warm["note"].startswith("fits" if warm["figure"] <= 1000 else "misses")
    too_slow = memory_rows({"GetItem": 5000.0}, {})[0]
    assert too_slow["note"].startswith("misses")
