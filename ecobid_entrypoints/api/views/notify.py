"""Devices, alerts, push preferences and the notification list with its read state."""

from __future__ import annotations

from typing import Any

from ecobid_core.model.alerts import AlertTerms
from ecobid_core.model.values import Location
from ecobid_core.services import alerts as alert_use
from ecobid_core.services import devices as device_use
from ecobid_core.services import inbox
from ecobid_core.services.notify_ports import NotifyPorts
from ecobid_entrypoints.api import present
from ecobid_entrypoints.api.deps import AppDeps
from ecobid_entrypoints.api.errors import ApiError
from ecobid_entrypoints.api.http import ApiRequest, ApiResponse, ok
from ecobid_entrypoints.api.route_params import ALERT_PARAMS, DEVICE_PARAMS, INBOX_PARAMS


def _ports(deps: AppDeps) -> NotifyPorts:
    ports = deps.notify
    if ports is None:  # a container without notification stores: a bug of the wiring
        raise ApiError(500, "internal_error", "something went wrong on our side")
    return ports


def put_device(req: ApiRequest, deps: AppDeps) -> ApiResponse:
    params = DEVICE_PARAMS.parse(req)
    data = req.json("PutDeviceRequest")
    device = device_use.put_device(
        params["id"],
        req.user_id,
        params["deviceId"],
        data["platform"],
        data["token"],
        _ports(deps),
    )
    return ok(present.device(device))


def list_devices(req: ApiRequest, deps: AppDeps) -> ApiResponse:
    found = device_use.list_devices(req.param("id"), req.user_id, _ports(deps))
    return ok({"devices": [present.device(d) for d in found]})


def delete_device(req: ApiRequest, deps: AppDeps) -> ApiResponse:
    params = DEVICE_PARAMS.parse(req)
    device_use.delete_device(params["id"], req.user_id, params["deviceId"], _ports(deps))
    return ApiResponse(204)


def _alert_terms(data: dict[str, Any]) -> AlertTerms:
    place = data["location"]
    return AlertTerms(
        location=Location.of(place["lat"], place["lon"]),
        radius_km=float(data["radiusKm"]),
        categories=data.get("categories", []),
        item_type=data.get("type"),
        push=data.get("push", True),
    )


def create_alert(req: ApiRequest, deps: AppDeps) -> ApiResponse:
    terms = _alert_terms(req.json("AlertRequest"))
    alert = alert_use.create_alert(req.param("id"), req.user_id, terms, _ports(deps))
    return ok(present.alert(alert), 201)


def list_alerts(req: ApiRequest, deps: AppDeps) -> ApiResponse:
    found = alert_use.list_alerts(req.param("id"), req.user_id, _ports(deps))
    return ok({"alerts": [present.alert(a) for a in found]})


def replace_alert(req: ApiRequest, deps: AppDeps) -> ApiResponse:
    params = ALERT_PARAMS.parse(req)
    terms = _alert_terms(req.json("AlertRequest"))
    alert = alert_use.replace_alert(
        params["id"], req.user_id, params["alertId"], terms, _ports(deps)
    )
    return ok(present.alert(alert))


def delete_alert(req: ApiRequest, deps: AppDeps) -> ApiResponse:
    params = ALERT_PARAMS.parse(req)
    alert_use.delete_alert(params["id"], req.user_id, params["alertId"], _ports(deps))
    return ApiResponse(204)


def get_preferences(req: ApiRequest, deps: AppDeps) -> ApiResponse:
    choices = device_use.get_preferences(req.param("id"), req.user_id, _ports(deps))
    return ok({"push": choices})


def put_preferences(req: ApiRequest, deps: AppDeps) -> ApiResponse:
    data = req.json("PreferencesRequest")
    choices = device_use.set_preferences(req.param("id"), req.user_id, data["push"], _ports(deps))
    return ok({"push": choices})


def list_notifications(req: ApiRequest, deps: AppDeps) -> ApiResponse:
    params = INBOX_PARAMS.parse(req)
    page = inbox.list_page(
        params["id"], req.user_id, params["limit"], params["cursor"], _ports(deps)
    )
    return ok(
        {
            "notifications": [present.notification(n) for n in page.notifications],
            "unreadCount": page.unread,
            "nextCursor": page.cursor,
        }
    )


def mark_read(req: ApiRequest, deps: AppDeps) -> ApiResponse:
    data = req.json("MarkReadRequest")
    ids = data.get("ids")
    unread = inbox.mark_read(req.param("id"), req.user_id, ids, _ports(deps))
    return ok({"unreadCount": unread})
