"""Ports of notifications that reach people: alerts, devices, the inbox, the push service.

These stores are written outside the units of work: each write stands alone (a device, an
alert, a batch of notifications) and carries its own condition where a race matters.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Protocol

from ecobid_core.model.alerts import Alert
from ecobid_core.model.devices import Platform, PushSettings
from ecobid_core.model.push import Push
from ecobid_core.model.records import Notification
from ecobid_core.ports.repositories import Page


class PushSettingsStore(Protocol):
    def get(self, user_id: str) -> PushSettings | None: ...

    def many(self, user_ids: Sequence[str]) -> dict[str, PushSettings]:
        """The settings of many users at once (batched reads); users without none."""
        ...

    def save(self, settings: PushSettings, read_version: int | None) -> None:
        """Store ``settings`` if the stored version is still ``read_version`` (None: if
        there is none yet); else ``ConcurrentUpdate``."""
        ...

    def token_owner(self, token: str) -> tuple[str, str] | None:
        """(user id, device id) holding this push token, if any."""
        ...

    def hold_token(self, token: str, user_id: str, device_id: str) -> None: ...
    def release_token(self, token: str, user_id: str, device_id: str) -> None:
        """Forget the token's holder if it is still this device."""
        ...


class AlertStore(Protocol):
    def for_user(self, user_id: str) -> list[Alert]:
        """The user's alerts, oldest first."""
        ...

    def put(self, alert: Alert, previous: Alert | None) -> None:
        """Store the alert and file it under its cells (dropping ``previous``'s filing)."""
        ...

    def delete(self, alert: Alert) -> None: ...

    def filed_under(self, cells: Sequence[str]) -> list[Alert]:
        """Every alert filed under one of ``cells``: the candidates, to check exactly."""
        ...


class Inbox(Protocol):
    def existing(self, notification_ids: Sequence[str]) -> set[str]:
        """Which of these notifications are stored already (batched reads)."""
        ...

    def add_all(self, notifications: Sequence[Notification]) -> None:
        """Store new notifications in batches; each id is idempotent."""
        ...

    def page(self, user_id: str, limit: int, cursor: str | None) -> Page[Notification]:
        """The user's notifications, newest first; ``cursor`` from the previous page."""
        ...

    def unread_count(self, user_id: str) -> int: ...

    def mark_read(self, user_id: str, notification_ids: Sequence[str] | None) -> None:
        """Mark these (all when None) of the user's notifications read; others' ids and
        unknown ids are ignored."""
        ...


class PushRates(Protocol):
    """How many rate-limited pushes each user got in one hour window."""

    def counts(self, user_ids: Sequence[str], hour: str) -> dict[str, int]: ...
    def record(self, counts: Mapping[str, int], hour: str) -> None: ...


class Outcome(StrEnum):
    SENT = "sent"
    #: The platform says the token is no longer valid: the device must go.
    GONE = "gone"
    FAILED = "failed"


class PushSender(Protocol):
    """The push service (SNS mobile push, or a local stand-in)."""

    @property
    def enabled(self) -> bool:
        """False where no platform application is configured: nothing is pushed."""
        ...

    def register(
        self, platform: Platform, token: str, endpoint: str | None, label: str = ""
    ) -> str | None:
        """The endpoint for this token: ``endpoint`` kept current, or a new one.

        ``label`` ("<user id>/<device id>") is kept with the endpoint, to tell whose it is.
        """
        ...

    def unregister(self, endpoint: str) -> None: ...

    def send_all(self, pushes: Sequence[Push]) -> list[Outcome]:
        """Send concurrently; one outcome per push, in order; never raises for one push."""
        ...
