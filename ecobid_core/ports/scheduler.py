"""The scheduler port: run a job for one record at a given time, once.

Auctions end and holds lapse at a known moment; a periodic sweep would only notice up to
a period later. A one-time schedule per record acts at the moment itself, and the sweep
stays as the safety net for a schedule that was never made or got lost.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Protocol


class Scheduler(Protocol):
    """One-time schedules, named by the record they act on.

    Both calls are idempotent by name, because the events that drive them arrive at least
    once and possibly out of order: ``schedule`` creates the schedule or moves an existing
    one of that name to ``at``; ``cancel`` of a missing schedule does nothing. A schedule
    fires once, at or after ``at``, calling ``target`` (a job's name, such as
    ``EndAuction``) with ``payload``, and is then gone. The target must therefore be
    idempotent and decide by the record's state, never by the firing alone.
    """

    def schedule(
        self, name: str, at: datetime, target: str, payload: Mapping[str, str]
    ) -> None: ...

    def cancel(self, name: str) -> None: ...
