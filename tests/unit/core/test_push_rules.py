"""Devices and push settings, the push's words and the hourly cap."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ecobid_core.errors import ValidationFailed
from ecobid_core.model.devices import (
    MAX_DEVICES,
    Device,
    Platform,
    PushSettings,
    TooManyDevices,
    check_device_id,
    check_token,
)
from ecobid_core.model.push import (
    ITEM_NEARBY_PUSHES_PER_HOUR,
    expires_at,
    hour_of,
    push_data,
    within_rate,
)
from ecobid_core.model.records import Notification

NOW = datetime(2030, 1, 1, 12, 30, tzinfo=UTC)


def device(n: int, token: str | None = None) -> Device:
    return Device(
        id=f"d{n}",
        platform=Platform.IOS,
        token=token or f"token-{n:08d}",
        endpoint=f"e{n}",
        created_at=NOW,
        updated_at=NOW,
    )


def test_at_most_ten_devices_but_renewing_one_is_not_another():
    settings = PushSettings(user_id="u")
    for n in range(MAX_DEVICES):
        settings.put_device(device(n), NOW)
    settings.put_device(device(3, token="renewed-token"), NOW)
    assert settings.device("d3").token == "renewed-token"
    with pytest.raises(TooManyDevices):
        settings.put_device(device(MAX_DEVICES), NOW)


def test_every_change_advances_the_version():
    settings = PushSettings(user_id="u")
    settings.put_device(device(1), NOW)
    settings.set_push({"outbid": False}, NOW)
    settings.mark_home_alert_made(NOW)
    assert settings.version == 4
    assert settings.remove_device("d1", NOW) is not None
    assert settings.remove_device("d1", NOW) is None
    assert settings.version == 5


def test_push_preferences_switch_types_off_and_on():
    settings = PushSettings(user_id="u")
    settings.set_push({"outbid": False, "item_nearby": False}, NOW)
    settings.set_push({"item_nearby": True}, NOW)
    assert not settings.pushes("outbid") and settings.pushes("item_nearby")
    assert settings.preferences()["outbid"] is False
    with pytest.raises(ValidationFailed):
        settings.set_push({"spam": True}, NOW)


@pytest.mark.parametrize("bad", ["", "a b", "x" * 129, "é", ".", ".."])
def test_device_ids_are_url_safe_and_bounded(bad):
    with pytest.raises(ValidationFailed):
        check_device_id(bad)


@pytest.mark.parametrize("bad", ["short", "has space in it", "x" * 4097])
def test_tokens_are_printable_and_bounded(bad):
    with pytest.raises(ValidationFailed):
        check_token(bad)


def test_the_hourly_cap_applies_to_item_nearby_only():
    assert within_rate("item_nearby", ITEM_NEARBY_PUSHES_PER_HOUR - 1)
    assert not within_rate("item_nearby", ITEM_NEARBY_PUSHES_PER_HOUR)
    assert within_rate("outbid", 1000)
    assert hour_of(NOW) == "2030010112"


def test_push_data_and_expiry():
    note = Notification(
        id="n", user_id="u", type="outbid", item_id="i", message="You were outbid.", created_at=NOW
    )
    assert push_data(note) == {"type": "outbid", "itemId": "i", "notificationId": "n"}
    assert expires_at(NOW) - int(NOW.timestamp()) == 90 * 86400
