"""The in-app list of notifications: pages, unread count, mark read."""

from __future__ import annotations

from collections.abc import Sequence

from attrs import frozen

from ecobid_core.errors import Forbidden, ValidationFailed
from ecobid_core.model.push import MAX_MARK_READ
from ecobid_core.model.records import Notification
from ecobid_core.services.notify_ports import NotifyPorts


@frozen
class InboxPage:
    notifications: Sequence[Notification]
    unread: int
    cursor: str | None


def _own(user_id: str, caller_id: str) -> None:
    if user_id != caller_id:
        raise Forbidden("you can only read your own notifications")


def list_page(
    user_id: str, caller_id: str, limit: int, cursor: str | None, ports: NotifyPorts
) -> InboxPage:
    _own(user_id, caller_id)
    page = ports.inbox.page(user_id, limit, cursor)
    return InboxPage(page.entries, ports.inbox.unread_count(user_id), page.cursor)


def mark_read(user_id: str, caller_id: str, ids: Sequence[str] | None, ports: NotifyPorts) -> int:
    """Mark some (or, with None, all) read; returns the unread count after."""
    _own(user_id, caller_id)
    if ids is not None and len(ids) > MAX_MARK_READ:
        raise ValidationFailed.on("ids", f"must hold at most {MAX_MARK_READ} ids")
    ports.inbox.mark_read(user_id, None if ids is None else list(dict.fromkeys(ids)))
    return ports.inbox.unread_count(user_id)
