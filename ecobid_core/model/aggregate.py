"""What every aggregate shares: a version it advances itself, and the events it records.

``version`` counts an aggregate's states: a new one is at ``FIRST_VERSION`` and each
change makes the next, inside the change itself. So the version a change produced is
known before anything is stored, and ``name:id:version`` names the event of that change
uniquely and stably: consumers rely on it to stay idempotent under at-least-once
delivery. Storage keeps the version the aggregate carries and refuses the write when the
stored one is no longer the one it read (optimistic concurrency).
"""

from __future__ import annotations

from datetime import datetime

from ecobid_core.model.events import DomainEvent

FIRST_VERSION = 1


class Versioned:
    """Mixin for aggregates: every change method calls ``_changed`` exactly once."""

    version: int
    updated_at: datetime

    def _changed(self, now: datetime) -> None:
        self.version += 1
        self.updated_at = now


class RecordsEvents(Versioned):
    """Mixin for aggregates whose changes are facts others react to.

    Events wait in ``pending_events`` until the unit of work takes them into the outbox.
    Take an event's id after ``_changed``, so that it names the version the change made.
    """

    id: str
    pending_events: list[DomainEvent]

    def pull_events(self) -> list[DomainEvent]:
        events, self.pending_events[:] = list(self.pending_events), []
        return events

    def _event_id(self, kind: type[DomainEvent]) -> str:
        return f"{kind.name}:{self.id}:{self.version}"

    def _record(self, *events: DomainEvent) -> None:
        self.pending_events.extend(events)
