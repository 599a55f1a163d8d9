"""An event in its wire form: what the outbox stores and EventBridge carries.

The relay between them moves this form as it is, never decoding or re-encoding the
detail: what a consumer reads is byte for byte what the change's transaction stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from attrs import frozen


@frozen
class WireEvent:
    event_id: str
    name: str  # EventBridge's detail-type
    occurred_at: datetime
    detail: str  # JSON text of an object


class WireEventSink(Protocol):
    """Where the relay sends events it has not decoded (the EventBridge publisher)."""

    def forward(self, events: Sequence[WireEvent]) -> None: ...
