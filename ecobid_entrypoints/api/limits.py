"""A per-caller request limit: one token bucket per caller id, in this process's memory.

The plan asks for 1000 requests a second per user. The local server enforces it with
this limiter, keyed by the token's ``sub``; in AWS the stage's throttling bounds the whole
API at the same rate (README, "Rate limits", says what that does and does not cover).

A bucket holds ``burst`` tokens and refills at ``rate`` a second; each request takes one.
Memory is bounded: at most ``max_callers`` buckets are kept, the least recently used
dropped first. A dropped bucket has usually been idle long enough to be full again, so
dropping it forgives nothing; only a caller idle behind ``max_callers`` busier ones, who
had spent their burst, gets it back early.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from ecobid_entrypoints.api.errors import ApiError

#: The plan's figure: requests a second per user.
DEFAULT_RATE = 1000.0
DEFAULT_MAX_CALLERS = 10_000


class RateLimiter:
    def __init__(
        self,
        rate: float = DEFAULT_RATE,
        burst: float | None = None,
        max_callers: int = DEFAULT_MAX_CALLERS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = float(rate)
        # One second's worth by default: the plan's "per second" read literally.
        self.burst = float(burst) if burst is not None else max(self.rate, 1.0)
        if self.burst < 1:
            raise ValueError("burst must allow at least one request")
        self._max_callers = max_callers
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # tokens, at
        self._lock = threading.Lock()

    def wait_for(self, caller: str) -> float:
        """Take a token for ``caller``: 0.0 if there was one, else seconds until there is."""
        with self._lock:
            now = self._clock()
            tokens, at = self._buckets.pop(caller, (self.burst, now))
            tokens = min(self.burst, tokens + (now - at) * self.rate)
            wait = 0.0
            if tokens >= 1:
                tokens -= 1
            else:
                wait = (1 - tokens) / self.rate
            self._buckets[caller] = (tokens, now)
            while len(self._buckets) > self._max_callers:
                self._buckets.popitem(last=False)
            return wait

    def check(self, caller: str) -> None:
        """Raise the contract's 429 when ``caller`` is over the limit."""
        wait = self.wait_for(caller)
        if wait > 0:
            raise rate_limited(wait)

    def __len__(self) -> int:
        return len(self._buckets)


def rate_limited(wait_seconds: float) -> ApiError:
    # Retry-After takes whole seconds; rounding up never invites an early retry.
    retry_after = max(1, math.ceil(wait_seconds))
    return ApiError(
        429,
        "rate_limited",
        "too many requests from this user; try again after the Retry-After seconds",
        headers={"Retry-After": str(retry_after)},
    )
