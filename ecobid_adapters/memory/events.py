"""In-process delivery of domain events for the embedded backend.

The memory store hands each committed batch to ``InProcessEventBus.publish``; the bus
calls every subscribed consumer, as EventBridge rules would, and keeps going when one
fails: a consumer's bug must not undo a change that is already committed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from ecobid_core.model.events import DomainEvent

log = logging.getLogger(__name__)

Consumer = Callable[[DomainEvent], object]


class InProcessEventBus:
    def __init__(self) -> None:
        self._consumers: list[Consumer] = []
        self.published: list[DomainEvent] = []

    def subscribe(self, consumer: Consumer) -> None:
        self._consumers.append(consumer)

    def publish(self, events: Sequence[DomainEvent]) -> None:
        for event in events:
            self.published.append(event)
            for consumer in self._consumers:
                try:
                    consumer(event)
                except Exception as error:
                    # Name the failure, not its traceback: logs must not carry stack traces.
                    log.error(
                        "consumer %s failed on %s: %s",
                        getattr(consumer, "__name__", consumer),
                        event.event_id,
                        type(error).__name__,
                    )
