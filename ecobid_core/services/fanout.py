"""Fan-out: one domain event to its recipients' inboxes and phones, in batches.

Who hears of an event: for a new item, the owners of the alerts it matches (looked up
by the item's own point in the alert index, checked exactly, once per user, never the
owner); for everything else, the rules of ``notifications.messages_for``.

Idempotent under at-least-once delivery: a notification's id is derived from the event
and its recipient, the ids of a batch are read before it is written and only the absent
ones are written, and only those are pushed. So a second delivery of an event finds
everything written and pushes nothing. (Two deliveries running at the same moment could
both find an id absent; EventBridge redelivers after a failure, not alongside.)

A slice serves at most ``recipients_per_slice`` recipients, in user-id order; the
``Delivery`` says where the next slice starts, and the caller hands that on (in AWS the
function invokes itself asynchronously with the cursor), so an event with ten thousand
recipients never has to fit in one invocation.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from itertools import islice

from attrs import frozen

from ecobid_core.model import alerts as alert_rules
from ecobid_core.model.devices import PushSettings
from ecobid_core.model.events import DomainEvent, ItemCreated
from ecobid_core.model.push import (
    RATE_LIMITED_TYPES,
    Push,
    hour_of,
    push_data,
    title_for,
    within_rate,
)
from ecobid_core.model.records import Notification
from ecobid_core.ports.notify import Outcome
from ecobid_core.services.devices import remove_device
from ecobid_core.services.notifications import Message, messages_for
from ecobid_core.services.notify_ports import NotifyPorts

log = logging.getLogger(__name__)

#: Notifications checked and written together: one batch read (BatchGetItem takes 100
#: keys) and four batch writes (BatchWriteItem takes 25) each.
CHUNK = 100


@frozen
class Recipient:
    message: Message
    push: bool  # for item_nearby: a matching alert wants pushes


@frozen
class Delivery:
    written: int
    pushed: int
    #: The user id to continue after, when recipients remain for another slice.
    next_after: str | None


def notifies(event_type: type[DomainEvent]) -> bool:
    """Whether events of this type can have recipients (the bus routes only those here)."""
    if issubclass(event_type, ItemCreated):
        return True
    return messages_for.dispatch(event_type) is not messages_for.dispatch(DomainEvent)


def audience(event: DomainEvent, ports: NotifyPorts) -> list[Recipient]:
    """Everyone who hears of the event, once each, in user-id order."""
    if isinstance(event, ItemCreated):
        candidates = ports.alerts.filed_under(alert_rules.lookup_cells(event.lat, event.lon))
        wanted = alert_rules.recipients(
            candidates, event.lat, event.lon, event.category, event.item_type, event.owner_id
        )
        text = f"New nearby: {event.title}"
        found = [
            Recipient(Message(user, "item_nearby", text), push) for user, push in wanted.items()
        ]
    else:
        with ports.uow_factory() as uow:
            messages = messages_for(event, uow)
        found = [Recipient(message, True) for message in messages]
    return sorted(found, key=lambda r: (r.message.user_id, r.message.type))


def deliver(event: DomainEvent, ports: NotifyPorts, after: str | None = None) -> Delivery:
    """Deliver one slice: the recipients after ``after`` (a user id), at most a slice's."""
    everyone = audience(event, ports)
    rest = [r for r in everyone if after is None or r.message.user_id > after]
    limit = ports.recipients_per_slice
    # Never split one user's notifications across slices: the cursor is a user id.
    if len(rest) > limit:
        cut = rest[limit - 1].message.user_id
        this = [r for r in rest if r.message.user_id <= cut]
        next_after: str | None = cut if len(this) < len(rest) else None
    else:
        this, next_after = rest, None
    written = pushed = 0
    iterator = iter(this)
    while chunk := list(islice(iterator, CHUNK)):
        new = _write_new(event, chunk, ports)
        written += len(new)
        pushed += _push(new, ports)
    return Delivery(written, pushed, next_after)


def _notification(event: DomainEvent, message: Message) -> Notification:
    return Notification(
        id=Notification.id_for(event.event_id, message.user_id),
        user_id=message.user_id,
        type=message.type,
        item_id=getattr(event, "item_id", None),
        message=message.message,
        created_at=event.occurred_at,
        reservation_id=getattr(event, "reservation_id", None),
    )


def _write_new(
    event: DomainEvent, chunk: Sequence[Recipient], ports: NotifyPorts
) -> list[tuple[Notification, bool]]:
    built = [(_notification(event, r.message), r.push) for r in chunk]
    stored = ports.inbox.existing([n.id for n, _ in built])
    new = [(n, push) for n, push in built if n.id not in stored]
    ports.inbox.add_all([n for n, _ in new])
    return new


def _push(new: Sequence[tuple[Notification, bool]], ports: NotifyPorts) -> int:
    """Push what was just written; a failure here never undoes the notifications."""
    if not new or not ports.sender.enabled:
        return 0
    try:
        return _push_or_raise(new, ports)
    except Exception as error:  # the inbox has them; the phones miss one buzz at worst
        log.warning("pushes of a batch failed: %s", type(error).__name__)
        return 0


def _push_or_raise(new: Sequence[tuple[Notification, bool]], ports: NotifyPorts) -> int:
    wanted = [n for n, push in new if push]
    settings = ports.settings.many(sorted({n.user_id for n in wanted}))
    now = ports.clock.now()
    hour = hour_of(now)
    limited = sorted({n.user_id for n in wanted if n.type in RATE_LIMITED_TYPES})
    counts = ports.rates.counts(limited, hour) if limited else {}
    used: dict[str, int] = {}
    pushes: list[Push] = []
    for notification in wanted:
        mine: PushSettings | None = settings.get(notification.user_id)
        if mine is None or not mine.devices or not mine.pushes(notification.type):
            continue
        if notification.type in RATE_LIMITED_TYPES:
            so_far = counts.get(notification.user_id, 0) + used.get(notification.user_id, 0)
            if not within_rate(notification.type, so_far):
                continue
            used[notification.user_id] = used.get(notification.user_id, 0) + 1
        pushes.extend(
            Push(
                user_id=notification.user_id,
                device_id=device.id,
                platform=device.platform.value,
                endpoint=device.endpoint,
                title=title_for(notification.type),
                body=notification.message,
                data=push_data(notification),
            )
            for device in mine.devices
            if device.endpoint is not None
        )
    if used:
        ports.rates.record({u: counts.get(u, 0) + n for u, n in used.items()}, hour)
    outcomes = ports.sender.send_all(pushes)
    for push, outcome in zip(pushes, outcomes, strict=True):
        if outcome is Outcome.GONE:
            # The platform dropped the token: the device goes, so nothing is sent to it.
            remove_device(push.user_id, push.device_id, ports)
    return sum(outcome is Outcome.SENT for outcome in outcomes)
