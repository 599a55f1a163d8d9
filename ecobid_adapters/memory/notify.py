"""In-memory notification stores and the local push sender, with the DynamoDB ones' rules.

The inbox keeps its records in the memory store's ``notifications`` table; the rest keep
their own maps under one lock. The local sender records what it would push
(``GET /_dev/pushes``) and, as a platform would, reports a token that begins with
``invalid`` as no longer valid.
"""

from __future__ import annotations

import copy
import itertools
import threading
from collections.abc import Mapping, Sequence

from attrs import evolve

from ecobid_adapters.memory.repositories import newest_first
from ecobid_adapters.memory.store import UNCONDITIONAL, MemoryStore, StagedWrite
from ecobid_core.errors import ConcurrentUpdate
from ecobid_core.model.alerts import Alert
from ecobid_core.model.devices import Platform, PushSettings
from ecobid_core.model.push import Push
from ecobid_core.model.records import Notification
from ecobid_core.ports import Page
from ecobid_core.ports.notify import Outcome

#: The listing kind of notification cursors (see ``ecobid_adapters.cursors``).
USER_NOTIFICATIONS = "user-notifications"
_TABLE = "notifications"


class MemoryPushSettings:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._settings: dict[str, PushSettings] = {}
        self._tokens: dict[str, tuple[str, str]] = {}

    def get(self, user_id: str) -> PushSettings | None:
        with self._lock:
            return copy.deepcopy(self._settings.get(user_id))

    def many(self, user_ids: Sequence[str]) -> dict[str, PushSettings]:
        with self._lock:
            return {u: copy.deepcopy(s) for u in user_ids if (s := self._settings.get(u))}

    def save(self, settings: PushSettings, read_version: int | None) -> None:
        with self._lock:
            stored = self._settings.get(settings.user_id)
            if (None if stored is None else stored.version) != read_version:
                raise ConcurrentUpdate(f"push settings of {settings.user_id} changed meanwhile")
            self._settings[settings.user_id] = copy.deepcopy(settings)

    def token_owner(self, token: str) -> tuple[str, str] | None:
        with self._lock:
            return self._tokens.get(token)

    def hold_token(self, token: str, user_id: str, device_id: str) -> None:
        with self._lock:
            self._tokens[token] = (user_id, device_id)

    def release_token(self, token: str, user_id: str, device_id: str) -> None:
        with self._lock:
            if self._tokens.get(token) == (user_id, device_id):
                del self._tokens[token]


class MemoryAlerts:
    """Alerts by user, and the filing index: cell -> alerts filed under it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._alerts: dict[tuple[str, str], Alert] = {}
        self._filed: dict[str, dict[tuple[str, str], Alert]] = {}
        #: Index entries read by ``filed_under`` since the start (the bench's meter).
        self.entries_read = 0

    def for_user(self, user_id: str) -> list[Alert]:
        with self._lock:
            mine = [a for (user, _), a in self._alerts.items() if user == user_id]
        return sorted(mine, key=lambda a: (a.created_at, a.id))

    def put(self, alert: Alert, previous: Alert | None) -> None:
        key = (alert.user_id, alert.id)
        with self._lock:
            if previous is not None:
                self._unfile(previous)
            self._alerts[key] = alert
            for cell in alert.filing_cells():
                self._filed.setdefault(cell, {})[key] = alert

    def delete(self, alert: Alert) -> None:
        with self._lock:
            self._alerts.pop((alert.user_id, alert.id), None)
            self._unfile(alert)

    def _unfile(self, alert: Alert) -> None:
        for cell in alert.filing_cells():
            self._filed.get(cell, {}).pop((alert.user_id, alert.id), None)

    def filed_under(self, cells: Sequence[str]) -> list[Alert]:
        with self._lock:
            found = [a for cell in cells for a in self._filed.get(cell, {}).values()]
            self.entries_read += len(found)
            return found


class MemoryInbox:
    def __init__(self, store: MemoryStore) -> None:
        self._store = store
        #: Batch write calls made, as BatchWriteItem would need them (25 a call).
        self.write_calls = 0

    def existing(self, notification_ids: Sequence[str]) -> set[str]:
        return {i for i in notification_ids if self._store.read(_TABLE, i) is not None}

    def add_all(self, notifications: Sequence[Notification]) -> None:
        for start in range(0, len(notifications), 25):
            batch = notifications[start : start + 25]
            self.write_calls += 1
            self._store.commit([StagedWrite(_TABLE, n.id, n, UNCONDITIONAL) for n in batch], [])

    def _mine(self, user_id: str) -> list[Notification]:
        return self._store.select(_TABLE, lambda n: n.user_id == user_id)

    def page(self, user_id: str, limit: int, cursor: str | None) -> Page[Notification]:
        return newest_first(USER_NOTIFICATIONS, self._mine(user_id), limit, cursor)

    def unread_count(self, user_id: str) -> int:
        return sum(not n.read for n in self._mine(user_id))

    def mark_read(self, user_id: str, notification_ids: Sequence[str] | None) -> None:
        wanted = None if notification_ids is None else set(notification_ids)
        changed = [
            evolve(n, read=True)
            for n in self._mine(user_id)
            if not n.read and (wanted is None or n.id in wanted)
        ]
        if changed:
            self._store.commit([StagedWrite(_TABLE, n.id, n, UNCONDITIONAL) for n in changed], [])


class MemoryPushRates:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[tuple[str, str], int] = {}

    def counts(self, user_ids: Sequence[str], hour: str) -> dict[str, int]:
        with self._lock:
            return {u: c for u in user_ids if (c := self._counts.get((u, hour), 0))}

    def record(self, counts: Mapping[str, int], hour: str) -> None:
        with self._lock:
            for user, count in counts.items():
                self._counts[(user, hour)] = count


class LocalPushSender:
    """Records pushes instead of sending them; endpoints are local names for tokens."""

    enabled = True

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._endpoints: dict[str, str] = {}
        self._numbers = itertools.count(1)
        self.sent: list[Push] = []

    def register(
        self, platform: Platform, token: str, endpoint: str | None, label: str = ""
    ) -> str | None:
        with self._lock:
            if endpoint is None or endpoint not in self._endpoints:
                endpoint = f"local-endpoint-{next(self._numbers)}"
            self._endpoints[endpoint] = token
            return endpoint

    def unregister(self, endpoint: str) -> None:
        with self._lock:
            self._endpoints.pop(endpoint, None)

    def send_all(self, pushes: Sequence[Push]) -> list[Outcome]:
        outcomes = []
        with self._lock:
            for push in pushes:
                token = self._endpoints.get(push.endpoint or "")
                if token is None or token.startswith("invalid"):
                    outcomes.append(Outcome.GONE)
                    continue
                self.sent.append(push)
                outcomes.append(Outcome.SENT)
        return outcomes

    def recorded(self) -> list[dict[str, object]]:
        with self._lock:
            return [
                {
                    "userId": p.user_id,
                    "deviceId": p.device_id,
                    "platform": p.platform,
                    "title": p.title,
                    "body": p.body,
                    "data": dict(p.data),
                }
                for p in self.sent
            ]
