"""Devices and push preferences: PUT/GET/DELETE /users/{id}/devices, /preferences.

A device is registered with the push service when it is stored, its token kept current
on every PUT, and its endpoint deleted with it. A push token belongs to one device: the
same token arriving for another user or device leaves the old one (a phone changed
hands, or the app was reinstalled).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from ecobid_core.errors import ConcurrentUpdate, Forbidden, NotFound
from ecobid_core.model.devices import (
    Device,
    Platform,
    PushSettings,
    check_device_id,
    check_token,
    renewed,
)
from ecobid_core.services.notify_ports import NotifyPorts

T = TypeVar("T")
_ATTEMPTS = 10


def _own(user_id: str, caller_id: str) -> None:
    if user_id != caller_id:
        raise Forbidden("you can only manage your own devices and preferences")


def settings_of(user_id: str, ports: NotifyPorts) -> PushSettings:
    return ports.settings.get(user_id) or PushSettings(user_id=user_id)


def change_settings(
    user_id: str, ports: NotifyPorts, change: Callable[[PushSettings], T]
) -> tuple[PushSettings, T]:
    """Read, change and store a user's settings, again from a fresh read after a race."""
    for attempt in range(_ATTEMPTS):
        stored = ports.settings.get(user_id)
        read_version = None if stored is None else stored.version
        settings = stored or PushSettings(user_id=user_id)
        result = change(settings)
        try:
            ports.settings.save(settings, read_version)
        except ConcurrentUpdate:
            if attempt == _ATTEMPTS - 1:
                raise
            continue
        return settings, result
    raise AssertionError("unreachable")  # pragma: no cover


def put_device(
    user_id: str, caller_id: str, device_id: str, platform: str, token: str, ports: NotifyPorts
) -> Device:
    _own(user_id, caller_id)
    check_device_id(device_id)
    check_token(token)
    kind = Platform(platform)
    now = ports.clock.now()
    _leave_old_holder(token, user_id, device_id, ports)
    known = settings_of(user_id, ports).device(device_id)
    endpoint = ports.sender.register(
        kind, token, None if known is None else known.endpoint, f"{user_id}/{device_id}"
    )
    if known is None:
        device = Device(
            id=device_id,
            platform=kind,
            token=token,
            endpoint=endpoint,
            created_at=now,
            updated_at=now,
        )
    else:
        device = renewed(known, kind, token, endpoint, now)
    try:
        change_settings(user_id, ports, lambda s: s.put_device(device, now))
    except Exception:
        if endpoint is not None and (known is None or known.endpoint != endpoint):
            ports.sender.unregister(endpoint)  # no device holds it: don't leave it behind
        raise
    if known is not None and known.token != token:
        ports.settings.release_token(known.token, user_id, device_id)
    ports.settings.hold_token(token, user_id, device_id)
    return device


def _leave_old_holder(token: str, user_id: str, device_id: str, ports: NotifyPorts) -> None:
    holder = ports.settings.token_owner(token)
    if holder is None or holder == (user_id, device_id):
        return
    old_user, old_device = holder
    remove_device(old_user, old_device, ports)


def list_devices(user_id: str, caller_id: str, ports: NotifyPorts) -> list[Device]:
    _own(user_id, caller_id)
    return sorted(settings_of(user_id, ports).devices, key=lambda d: (d.created_at, d.id))


def delete_device(user_id: str, caller_id: str, device_id: str, ports: NotifyPorts) -> None:
    _own(user_id, caller_id)
    if remove_device(user_id, device_id, ports) is None:
        raise NotFound("no such device")


def remove_device(user_id: str, device_id: str, ports: NotifyPorts) -> Device | None:
    """Forget a device and its endpoint; None if it was not registered."""
    now = ports.clock.now()
    _settings, gone = change_settings(user_id, ports, lambda s: s.remove_device(device_id, now))
    if gone is not None:
        ports.settings.release_token(gone.token, user_id, device_id)
        if gone.endpoint is not None:
            ports.sender.unregister(gone.endpoint)
    return gone


def get_preferences(user_id: str, caller_id: str, ports: NotifyPorts) -> dict[str, bool]:
    _own(user_id, caller_id)
    return settings_of(user_id, ports).preferences()


def set_preferences(
    user_id: str, caller_id: str, choices: Mapping[str, bool], ports: NotifyPorts
) -> dict[str, bool]:
    _own(user_id, caller_id)
    now = ports.clock.now()
    settings, _ = change_settings(user_id, ports, lambda s: s.set_push(dict(choices), now))
    return settings.preferences()
