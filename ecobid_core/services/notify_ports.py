"""The ports the notification services share, assembled once by the container."""

from __future__ import annotations

from attrs import frozen

from ecobid_core.ports import Clock, IdGenerator, UnitOfWorkFactory
from ecobid_core.ports.notify import AlertStore, Inbox, PushRates, PushSender, PushSettingsStore


@frozen(kw_only=True)
class NotifyPorts:
    uow_factory: UnitOfWorkFactory
    alerts: AlertStore
    settings: PushSettingsStore
    inbox: Inbox
    rates: PushRates
    sender: PushSender
    clock: Clock
    ids: IdGenerator
    #: Recipients one invocation serves; past it the rest is handed on (``fanout``).
    #: BENCHMARKS.md: 1,000 take under 9 s at 128 MB, inside half the 30 s timeout.
    recipients_per_slice: int = 1000
