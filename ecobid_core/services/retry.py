"""Re-running a use case that lost a race.

Optimistic writes fail when another request changed the same record first. The use case
is then run again from fresh reads: the rules decide the outcome (a clean 409 for the
loser of a reservation race, acceptance for a bid that is still high enough). Backoff
with full jitter spreads the retries of many racers apart.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import TypeVar

from ecobid_core.errors import ConcurrentUpdate, Unavailable

T = TypeVar("T")


def with_retries(
    attempt: Callable[[], T],
    *,
    attempts: int = 25,
    pause: Callable[[float], None] = lambda _seconds: None,
    base_delay: float = 0.005,
    max_delay: float = 0.2,
    rng: random.Random | None = None,
) -> T:
    jitter = rng or random.Random()
    for number in range(attempts):
        try:
            return attempt()
        except ConcurrentUpdate:
            if number == attempts - 1:
                break
            pause(jitter.uniform(0, min(max_delay, base_delay * 2**number)))
    raise Unavailable("too much contention on this record; try again")
