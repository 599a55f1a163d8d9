"""How long CPU work takes at a Lambda function's memory: the model the bench and the
cost tool share.

Lambda gives a function CPU in proportion to its memory, a full vCPU at 1,769 MB
(https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html). The model
assumes what a Python function is: single-threaded and CPU-bound between its calls
(waits on DynamoDB are not CPU and are not scaled), a share that is linear below
1,769 MB, and one core of the measuring machine worth one Lambda vCPU. It scales only
the CPU time measured here; it does not credit the extra CPU some reports see during
Lambda's init phase, so a cold start's figure is an upper bound.
"""

from __future__ import annotations

import math

#: Memory at which a function has one full vCPU.
FULL_CPU_MB = 1769
MIN_MB, MAX_MB = 128, 10240


def at_memory(cpu_ms: float, memory_mb: int) -> float:
    """Milliseconds that ``cpu_ms`` of one full core's work take at ``memory_mb``."""
    return cpu_ms * FULL_CPU_MB / min(memory_mb, FULL_CPU_MB)


def memory_for(cpu_ms: float, budget_ms: float, step_mb: int = 64) -> int:
    """The least memory, in ``step_mb`` steps from 128 MB, at which ``cpu_ms`` of work
    fits ``budget_ms``; above 1,769 MB more memory adds no speed to one thread."""
    if budget_ms <= 0:
        raise ValueError("the budget must be positive")
    needed = cpu_ms * FULL_CPU_MB / budget_ms
    if needed > FULL_CPU_MB:
        raise ValueError(f"{cpu_ms:.0f} ms of one thread's CPU cannot fit {budget_ms:.0f} ms")
    steps = max(0, math.ceil((needed - MIN_MB) / step_mb))
    return min(MIN_MB + steps * step_mb, MAX_MB)
