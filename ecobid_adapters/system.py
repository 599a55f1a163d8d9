"""Time and ids from the operating system, shared by every backend."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime, timedelta


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class AdjustableClock:
    """System time plus an offset that only grows: the local server's ``/_dev/clock``.

    Moving forward only keeps every ordering the system relies on (expiries, bid order).
    """

    def __init__(self) -> None:
        self._offset = timedelta()
        self._lock = threading.Lock()

    def now(self) -> datetime:
        return datetime.now(UTC) + self._offset

    def advance(self, seconds: float) -> datetime:
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        with self._lock:
            self._offset += timedelta(seconds=seconds)
        return self.now()


class UuidIds:
    def new_id(self) -> str:
        return uuid.uuid4().hex
