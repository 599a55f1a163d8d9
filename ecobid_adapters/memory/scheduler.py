"""The scheduler of one process: due times kept in memory, fired when the clock moves.

Stands in for EventBridge Scheduler on the embedded backend, so auctions end and holds
lapse at their time there too, by the same targets. Nothing fires by itself: whoever
moves the clock (the local server's ``/_dev/clock``) calls ``fire_due`` afterwards, so a
test or a developer sees the effects as soon as the move returns; ``ecobid serve`` also
calls it every second, for the time that passes by itself.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from datetime import datetime

from attrs import frozen

from ecobid_core.ports import Clock

log = logging.getLogger(__name__)

Target = Callable[[Mapping[str, str]], object]


@frozen
class Entry:
    at: datetime
    target: str
    payload: Mapping[str, str]


class LocalScheduler:
    """``Scheduler`` for the memory backend; targets are registered by name."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._entries: dict[str, Entry] = {}
        self._targets: dict[str, Target] = {}
        self._lock = threading.Lock()
        # One firing at a time: whoever asks returns only once what was due has run.
        self._firing = threading.Lock()

    def register(self, target: str, run: Target) -> None:
        self._targets[target] = run

    def schedule(self, name: str, at: datetime, target: str, payload: Mapping[str, str]) -> None:
        if target not in self._targets:
            raise LookupError(f"no target {target!r} is registered")
        with self._lock:
            self._entries[name] = Entry(at, target, dict(payload))

    def cancel(self, name: str) -> None:
        with self._lock:
            self._entries.pop(name, None)

    def pending(self, name: str) -> Entry | None:
        """The schedule ``name`` as it waits to fire; None if there is none."""
        with self._lock:
            return self._entries.get(name)

    def fire_due(self) -> int:
        """Run every schedule due by the clock, oldest first; returns how many ran.

        Each is taken out before it runs, as ``ActionAfterCompletion: DELETE`` does, so a
        concurrent call never runs it twice and a target may schedule again. A failing
        target is logged and dropped, like a schedule out of retries: the sweeps remain.
        """
        with self._firing:
            now = self._clock.now()
            with self._lock:
                due = sorted(
                    (entry.at, name) for name, entry in self._entries.items() if entry.at <= now
                )
                entries = [(name, self._entries.pop(name)) for _, name in due]
            for name, entry in entries:
                try:
                    self._targets[entry.target](entry.payload)
                except Exception as error:
                    log.error("schedule %s failed: %s", name, type(error).__name__)
            return len(entries)
