"""Keys of the notification records in the single table, in ``keys``' style.

* ``USER#<id>`` / ``PUSH``: a user's push settings (devices, types switched off);
* ``USER#<id>`` / ``ALERT#<alert>``: an alert, so a user's alerts are one Query;
* ``ALERTCELL#<cell>`` / ``<user>#<alert>``: the alert filed under one cell of its
  disc, with what a match needs, so an item's lookup is one Query per filing length
  and reads no alert record;
* ``PUSHTOKEN#<sha256>`` / ``TOKEN``: which device holds a push token (hashed: a token
  is a credential of sorts and a key is shown in every console);
* ``USER#<id>`` / ``PUSHRATE#<hour>``: rate-limited pushes in an hour window;
* a notification's record gains ``UNREAD#<user>`` on GSI3 while unread (sparse: the
  unread count reads only unread notifications) and ``expiresAt`` for TTL.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from ecobid_adapters.aws.dynamodb import schema
from ecobid_adapters.aws.dynamodb.keys import Key, time_id, user

ALERT_PREFIX = "ALERT#"


def _key(pk: str, sk: str) -> Key:
    return {schema.PK: pk, schema.SK: sk}


def push_settings(user_id: str) -> Key:
    return _key(user(user_id)[schema.PK], "PUSH")


def alert(user_id: str, alert_id: str) -> Key:
    return _key(user(user_id)[schema.PK], f"{ALERT_PREFIX}{alert_id}")


def alert_cell(cell: str) -> str:
    return f"ALERTCELL#{cell}"


def filed_alert(cell: str, user_id: str, alert_id: str) -> Key:
    return _key(alert_cell(cell), f"{user_id}#{alert_id}")


def push_token(token: str) -> Key:
    digest = hashlib.sha256(token.encode()).hexdigest()
    return _key(f"PUSHTOKEN#{digest}", "TOKEN")


def push_rate(user_id: str, hour: str) -> Key:
    return _key(user(user_id)[schema.PK], f"PUSHRATE#{hour}")


def unread(user_id: str) -> str:
    return f"UNREAD#{user_id}"


def unread_indexes(user_id: str, created_at: datetime, notification_id: str) -> Key:
    return {schema.GSI3PK: unread(user_id), schema.GSI3SK: time_id(created_at, notification_id)}
