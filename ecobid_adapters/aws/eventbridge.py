"""Domain events onto the EventBridge bus, where rules route them to the processors.

PutEvents can succeed as a call and still refuse some entries (``FailedEntryCount``, an
``ErrorCode`` per entry), typically under throttling. Only those entries are sent again,
so consumers see as few duplicates as possible; what still fails after the last attempt
raises ``EventsRefused`` (an ``Unavailable``) naming the events still refused, and the
caller (the stream forwarder) has those redelivered. Consumers are idempotent on
``eventId``, so a redelivery is harmless.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from ecobid_adapters.aws.failures import unavailable_when_transient
from ecobid_adapters.aws.wire_event import WireEvent
from ecobid_core.errors import Unavailable
from ecobid_core.model.events import DomainEvent

MAX_ENTRIES_PER_CALL = 10  # PutEvents' own limit


class EventsRefused(Unavailable):
    """The bus still refused some entries after the last attempt; the others went out."""

    def __init__(self, message: str, event_ids: Sequence[str]) -> None:
        super().__init__(message)
        self.event_ids = list(event_ids)


class EventBridgePublisher:
    """``EventPublisher`` onto one custom bus, and the outbox relay's ``WireEventSink``."""

    def __init__(
        self,
        client: Any,
        bus_name: str,
        source: str = "ecobid",
        max_attempts: int = 5,
        sleep: Callable[[float], None] = time.sleep,
        first_delay: float = 0.1,
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self._events = client
        self._bus = bus_name
        self._source = source
        self._max_attempts = max_attempts
        self._sleep = sleep
        self._first_delay = first_delay

    def publish(self, events: Sequence[DomainEvent]) -> None:
        # Imported here: the relay, which only forwards, never loads the event codec.
        from ecobid_adapters.aws.event_codec import to_wire

        self.forward([to_wire(event) for event in events])

    def forward(self, events: Sequence[WireEvent]) -> None:
        """Put events already in their wire form; each detail goes out as it is."""
        for start in range(0, len(events), MAX_ENTRIES_PER_CALL):
            group = events[start : start + MAX_ENTRIES_PER_CALL]
            refused, codes = self._put([self._entry(event) for event in group])
            if refused:
                raise EventsRefused(
                    f"{len(refused)} events were not accepted by the bus ({', '.join(codes)})",
                    [group[index].event_id for index in refused],
                )

    def _entry(self, event: WireEvent) -> dict[str, Any]:
        return {
            "EventBusName": self._bus,
            "Source": self._source,
            "DetailType": event.name,
            "Detail": event.detail,
            "Time": event.occurred_at,
        }

    def _put(self, entries: list[dict[str, Any]]) -> tuple[list[int], list[str]]:
        """Put ``entries``, sending again only the refused ones; returns the positions of
        those still refused after the last attempt, and their error codes."""
        pending, codes = list(range(len(entries))), set()
        for attempt in range(self._max_attempts):
            if attempt:
                # Exponential backoff: a throttled bus needs the pressure to drop.
                self._sleep(self._first_delay * 2 ** (attempt - 1))
            with unavailable_when_transient("the event bus"):
                response = self._events.put_events(Entries=[entries[i] for i in pending])
            if not response.get("FailedEntryCount"):
                return [], []
            # Results are positional: the n-th result belongs to the n-th entry sent.
            failed = [
                (index, result["ErrorCode"])
                for index, result in zip(pending, response["Entries"], strict=True)
                if result.get("ErrorCode")
            ]
            pending, codes = [index for index, _ in failed], {code for _, code in failed}
            if not pending:
                return [], []
        return pending, sorted(codes)
