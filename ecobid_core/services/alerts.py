"""Alerts a user sets: POST/GET/PUT/DELETE /users/{id}/alerts, and the home alert."""

from __future__ import annotations

from ecobid_core.errors import Forbidden, NotFound
from ecobid_core.model.alerts import (
    MAX_ALERTS,
    Alert,
    AlertTerms,
    TooManyAlerts,
    home_alert,
    home_alert_id,
)
from ecobid_core.model.values import Location
from ecobid_core.services.devices import change_settings, settings_of
from ecobid_core.services.notify_ports import NotifyPorts


def _own(user_id: str, caller_id: str) -> None:
    if user_id != caller_id:
        raise Forbidden("you can only manage your own alerts")


def create_alert(user_id: str, caller_id: str, terms: AlertTerms, ports: NotifyPorts) -> Alert:
    _own(user_id, caller_id)
    alert = terms.alert(alert_id=ports.ids.new_id(), user_id=user_id, now=ports.clock.now())
    # Counted before the write: two racing creations may both pass at 9, which leaves
    # 11 at worst; the limit bounds filing and matching work, not a business fact.
    if len(ports.alerts.for_user(user_id)) >= MAX_ALERTS:
        raise TooManyAlerts(f"at most {MAX_ALERTS} alerts a user")
    ports.alerts.put(alert, None)
    return alert


def list_alerts(user_id: str, caller_id: str, ports: NotifyPorts) -> list[Alert]:
    _own(user_id, caller_id)
    return ports.alerts.for_user(user_id)


def _find(user_id: str, alert_id: str, ports: NotifyPorts) -> Alert:
    found = next((a for a in ports.alerts.for_user(user_id) if a.id == alert_id), None)
    if found is None:
        raise NotFound("no such alert")
    return found


def replace_alert(
    user_id: str, caller_id: str, alert_id: str, terms: AlertTerms, ports: NotifyPorts
) -> Alert:
    _own(user_id, caller_id)
    previous = _find(user_id, alert_id, ports)
    alert = terms.alert(alert_id=alert_id, user_id=user_id, now=previous.created_at)
    ports.alerts.put(alert, previous)
    return alert


def delete_alert(user_id: str, caller_id: str, alert_id: str, ports: NotifyPorts) -> None:
    _own(user_id, caller_id)
    ports.alerts.delete(_find(user_id, alert_id, ports))


def first_home(user_id: str, home: Location | None, ports: NotifyPorts) -> Alert | None:
    """The default alert, made once: the first time the user has a home location.

    The alert is written before the flag, under an id derived from the user, so a retry
    after a failure in between writes the same alert again rather than a second one.
    """
    if home is None or settings_of(user_id, ports).home_alert_made:
        return None
    alert = home_alert(
        alert_id=home_alert_id(user_id), user_id=user_id, home=home, now=ports.clock.now()
    )
    mine = ports.alerts.for_user(user_id)
    if not any(a.id == alert.id for a in mine) and len(mine) < MAX_ALERTS:
        ports.alerts.put(alert, None)
    now = ports.clock.now()
    change_settings(user_id, ports, lambda settings: settings.mark_home_alert_made(now))
    return alert
