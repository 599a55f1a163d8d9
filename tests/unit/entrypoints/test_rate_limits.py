"""The per-caller token bucket behind the 429 ``rate_limited`` answer."""

from __future__ import annotations

import pytest

from ecobid_entrypoints.api.errors import ApiError
from ecobid_entrypoints.api.limits import DEFAULT_RATE, RateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_caller_gets_the_burst_then_waits_for_the_refill() -> None:
    clock = Clock()
    limiter = RateLimiter(rate=2, burst=3, clock=clock)
    assert [limiter.wait_for("ann") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.wait_for("ann") == pytest.approx(0.5)
    clock.now += 0.5
    assert limiter.wait_for("ann") == 0.0
    assert limiter.wait_for("ann") > 0


def test_callers_have_their_own_buckets() -> None:
    limiter = RateLimiter(rate=1, clock=Clock())
    assert limiter.wait_for("ann") == 0.0
    assert limiter.wait_for("ann") > 0
    assert limiter.wait_for("bob") == 0.0


def test_a_refused_request_spends_nothing() -> None:
    clock = Clock()
    limiter = RateLimiter(rate=1, clock=clock)
    limiter.wait_for("ann")
    for _ in range(5):
        assert limiter.wait_for("ann") == pytest.approx(1.0)
    clock.now += 1.0
    assert limiter.wait_for("ann") == 0.0


def test_memory_is_bounded_by_dropping_the_least_recently_seen() -> None:
    clock = Clock()
    limiter = RateLimiter(rate=1, max_callers=3, clock=clock)
    for caller in ["a", "b", "c", "a", "d"]:
        limiter.wait_for(caller)
    assert len(limiter) == 3
    assert limiter.wait_for("a") > 0  # kept: seen recently, its bucket is still spent
    assert limiter.wait_for("b") == 0.0  # dropped, so it starts full


def test_check_raises_429_with_whole_seconds_in_retry_after() -> None:
    limiter = RateLimiter(rate=0.4, clock=Clock())
    limiter.check("ann")
    with pytest.raises(ApiError) as refused:
        limiter.check("ann")
    error = refused.value
    assert (error.status, error.code, error.headers) == (429, "rate_limited", {"Retry-After": "3"})


def test_the_default_is_the_plans_figure() -> None:
    assert DEFAULT_RATE == 1000
    assert RateLimiter().burst == 1000


@pytest.mark.parametrize(("rate", "burst"), [(0, None), (-1, None), (1, 0.5)])
def test_a_limit_that_allows_nothing_is_refused(rate, burst) -> None:
    with pytest.raises(ValueError, match="must"):
        RateLimiter(rate=rate, burst=burst)
