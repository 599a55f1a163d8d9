"""A user's phones and what may be pushed to them.

``PushSettings`` is one small record per user: the registered devices (each a platform
endpoint of the push service) and the notification types switched off. Fan-out reads it
once for each recipient, in batches, so everything a push needs is one key away.
"""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum

from attrs import define, evolve, frozen

from ecobid_core.errors import Conflict, ValidationFailed
from ecobid_core.model.aggregate import FIRST_VERSION

MAX_DEVICES = 10
#: The notification types a user can switch off; every one is still listed in-app.
NOTIFICATION_TYPES: tuple[str, ...] = (
    "item_nearby",
    "reservation_created",
    "reservation_confirmed",
    "reservation_cancelled",
    "reservation_expired",
    "outbid",
    "auction_won",
    "auction_sold",
    "auction_ended",
    "auction_lost",
    "image_rejected",
    "rating_received",
)
# A device id is the app's own name for an installation: unreserved URL characters only
# (nothing a client would percent-encode), bounded, and not "."
# or "..", which a URL path would resolve away.
DEVICE_ID_PATTERN = r"^(?!\.{1,2}$)[A-Za-z0-9_.-]{1,128}$"
_DEVICE_ID = re.compile(DEVICE_ID_PATTERN)
# APNs tokens are 64 hex characters, FCM registration tokens about 150-250 printable ones.
_TOKEN = re.compile(r"^[\x21-\x7e]{8,4096}$")


class TooManyDevices(Conflict):
    code = "too_many_devices"


class Platform(StrEnum):
    IOS = "ios"
    ANDROID = "android"


@frozen(kw_only=True)
class Device:
    id: str
    platform: Platform
    token: str
    #: The push service's endpoint for this token; None where no service is configured.
    endpoint: str | None
    created_at: datetime
    updated_at: datetime


def check_device_id(device_id: str) -> str:
    if not _DEVICE_ID.fullmatch(device_id):
        raise ValidationFailed.on("deviceId", "must be 1-128 letters, digits or _ . -")
    return device_id


def check_token(token: str) -> str:
    if not _TOKEN.fullmatch(token):
        raise ValidationFailed.on("token", "must be the platform's push token")
    return token


@define(kw_only=True)
class PushSettings:
    user_id: str
    devices: tuple[Device, ...] = ()
    push_off: frozenset[str] = frozenset()
    #: The first home location made the default alert; a later one makes none.
    home_alert_made: bool = False
    version: int = FIRST_VERSION
    updated_at: datetime | None = None

    @property
    def id(self) -> str:
        return self.user_id

    def device(self, device_id: str) -> Device | None:
        return next((d for d in self.devices if d.id == device_id), None)

    def put_device(self, device: Device, now: datetime) -> None:
        others = tuple(d for d in self.devices if d.id != device.id)
        if len(others) >= MAX_DEVICES:
            raise TooManyDevices(f"at most {MAX_DEVICES} devices a user")
        self.devices = (*others, device)
        self._changed(now)

    def remove_device(self, device_id: str, now: datetime) -> Device | None:
        gone = self.device(device_id)
        if gone is not None:
            self.devices = tuple(d for d in self.devices if d.id != device_id)
            self._changed(now)
        return gone

    def remove_token(self, token: str, now: datetime) -> list[Device]:
        gone = [d for d in self.devices if d.token == token]
        if gone:
            self.devices = tuple(d for d in self.devices if d.token != token)
            self._changed(now)
        return gone

    def set_push(self, choices: dict[str, bool], now: datetime) -> None:
        unknown = sorted(set(choices) - set(NOTIFICATION_TYPES))
        if unknown:
            raise ValidationFailed.on(f"push.{unknown[0]}", "is not a notification type")
        off = set(self.push_off)
        for kind, wanted in choices.items():
            (off.discard if wanted else off.add)(kind)
        self.push_off = frozenset(off)
        self._changed(now)

    def mark_home_alert_made(self, now: datetime) -> None:
        self.home_alert_made = True
        self._changed(now)

    def pushes(self, kind: str) -> bool:
        return kind not in self.push_off

    def preferences(self) -> dict[str, bool]:
        return {kind: kind not in self.push_off for kind in NOTIFICATION_TYPES}

    def _changed(self, now: datetime) -> None:
        self.version += 1
        self.updated_at = now


def renewed(
    device: Device, platform: Platform, token: str, endpoint: str | None, now: datetime
) -> Device:
    """The same installation with a new token or platform; its creation time kept."""
    return evolve(device, platform=platform, token=token, endpoint=endpoint, updated_at=now)
