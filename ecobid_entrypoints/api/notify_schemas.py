"""JSON Schemas of the notification bodies: devices, alerts, preferences, read state."""

from __future__ import annotations

from typing import Any

from ecobid_core.model.alerts import MAX_RADIUS_KM, MIN_RADIUS_KM
from ecobid_core.model.devices import NOTIFICATION_TYPES
from ecobid_core.model.push import MAX_MARK_READ
from ecobid_core.model.values import CATEGORIES

Schema = dict[str, Any]

_ID: Schema = {"type": "string", "minLength": 1}
_TIME: Schema = {"type": "string", "format": "date-time", "examples": ["2026-05-01T12:00:00Z"]}

NOTIFY_REQUESTS: dict[str, Schema] = {
    "PutDeviceRequest": {
        "type": "object",
        "required": ["platform", "token"],
        "additionalProperties": False,
        "properties": {
            "platform": {"type": "string", "enum": ["ios", "android"]},
            "token": {
                "type": "string",
                "description": "The APNs device token or FCM registration token; never echoed.",
                "pattern": "^[\\x21-\\x7e]{8,4096}$",
            },
        },
    },
    "AlertRequest": {
        "type": "object",
        "required": ["location", "radiusKm"],
        "additionalProperties": False,
        "properties": {
            "location": {"$ref": "#/components/schemas/Location"},
            "radiusKm": {"type": "number", "minimum": MIN_RADIUS_KM, "maximum": MAX_RADIUS_KM},
            "categories": {
                "type": "array",
                "description": "Empty or absent: every category.",
                "maxItems": len(CATEGORIES),
                "uniqueItems": True,
                "items": {"type": "string", "enum": list(CATEGORIES)},
            },
            "type": {"type": ["string", "null"], "enum": ["free", "auction", None]},
            "push": {"type": "boolean", "default": True},
        },
    },
    "PreferencesRequest": {
        "type": "object",
        "required": ["push"],
        "additionalProperties": False,
        "properties": {
            "push": {
                "type": "object",
                "description": "Notification types to push (true) or list in-app only"
                " (false); types not named keep their setting.",
                # Named properties rather than propertyNames, which JSON Schema draft 4
                # (API Gateway's models) does not have.
                "properties": {kind: {"type": "boolean"} for kind in NOTIFICATION_TYPES},
                "additionalProperties": False,
            }
        },
    },
    "MarkReadRequest": {
        "type": "object",
        "description": "`ids` marks those read (others' and unknown ids are ignored);"
        " `{}` marks every notification read.",
        "additionalProperties": False,
        "properties": {
            "ids": {"type": "array", "maxItems": MAX_MARK_READ, "items": _ID},
        },
    },
}

NOTIFY_RESOURCES: dict[str, Schema] = {
    "Device": {
        "type": "object",
        "required": ["id", "platform", "createdAt", "updatedAt"],
        "properties": {
            "id": _ID,
            "platform": {"type": "string", "enum": ["ios", "android"]},
            "createdAt": _TIME,
            "updatedAt": _TIME,
        },
    },
    "DeviceList": {
        "type": "object",
        "required": ["devices"],
        "properties": {
            "devices": {"type": "array", "items": {"$ref": "#/components/schemas/Device"}}
        },
    },
    "Alert": {
        "type": "object",
        "required": ["id", "location", "radiusKm", "categories", "type", "push", "createdAt"],
        "properties": {
            "id": _ID,
            "location": {"$ref": "#/components/schemas/Location"},
            "radiusKm": {"type": "number"},
            "categories": {"type": "array", "items": {"type": "string"}},
            "type": {"type": ["string", "null"]},
            "push": {"type": "boolean"},
            "createdAt": _TIME,
        },
    },
    "AlertList": {
        "type": "object",
        "required": ["alerts"],
        "properties": {
            "alerts": {"type": "array", "items": {"$ref": "#/components/schemas/Alert"}}
        },
    },
    "Preferences": {
        "type": "object",
        "required": ["push"],
        "properties": {
            "push": {"type": "object", "additionalProperties": {"type": "boolean"}},
        },
    },
    "UnreadCount": {
        "type": "object",
        "required": ["unreadCount"],
        "properties": {"unreadCount": {"type": "integer", "minimum": 0}},
    },
}
