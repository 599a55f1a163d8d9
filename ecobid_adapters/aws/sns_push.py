"""Mobile push through Amazon SNS: one platform endpoint per device.

Endpoints follow AWS's documented pattern ("Creating an Amazon SNS endpoint for mobile
push", Amazon SNS Developer Guide): create the endpoint for the token; keep it current
with ``SetEndpointAttributes`` when the token changes or SNS disabled it; if creating
says an endpoint for the token exists with other attributes, take that one's ARN from
the message and update it. A publish to an endpoint that SNS disabled (APNs or FCM
reported the token invalid) fails with ``EndpointDisabled``: the device is gone.

With no platform application configured, ``enabled`` is False and nothing is called.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from botocore.exceptions import ClientError

from ecobid_core.model.devices import Platform
from ecobid_core.model.push import Push
from ecobid_core.ports.notify import Outcome

log = logging.getLogger(__name__)

#: Publishes in flight at once; SNS mobile push takes thousands a second per account.
CONCURRENCY = 16
_GONE = {"EndpointDisabled", "NotFound", "NotFoundException"}
_EXISTING_ARN = re.compile(r"Endpoint (arn:[^ ]+) already exists")


def message_of(push: Push) -> str:
    """The ``MessageStructure=json`` body: one message per platform, and a default."""
    data = dict(push.data)
    apns = json.dumps({"aps": {"alert": {"title": push.title, "body": push.body}}, **data})
    gcm = json.dumps({"notification": {"title": push.title, "body": push.body}, "data": data})
    return json.dumps({"default": push.body, "APNS": apns, "APNS_SANDBOX": apns, "GCM": gcm})


class SnsPushSender:
    def __init__(self, client: Any, applications: Mapping[str, str | None]) -> None:
        self._client = client
        self._applications = {k: v for k, v in applications.items() if v}

    @property
    def enabled(self) -> bool:
        return bool(self._applications)

    def register(
        self, platform: Platform, token: str, endpoint: str | None, label: str = ""
    ) -> str | None:
        application = self._applications.get(platform.value)
        if application is None:
            return None
        if endpoint is not None and self._renew(endpoint, token):
            return endpoint
        try:
            created = self._client.create_platform_endpoint(
                PlatformApplicationArn=application, Token=token, CustomUserData=label
            )
            return str(created["EndpointArn"])
        except ClientError as error:
            found = _EXISTING_ARN.search(str(error.response.get("Error", {}).get("Message")))
            if found is None:
                raise
            existing = found.group(1)
            self._client.set_endpoint_attributes(
                EndpointArn=existing,
                Attributes={"Token": token, "Enabled": "true", "CustomUserData": label},
            )
            return existing

    def _renew(self, endpoint: str, token: str) -> bool:
        """Bring an endpoint up to date; False if it no longer exists."""
        try:
            attributes = self._client.get_endpoint_attributes(EndpointArn=endpoint)["Attributes"]
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in _GONE:
                return False
            raise
        changes = {}
        if attributes.get("Token") != token:
            changes["Token"] = token
        if str(attributes.get("Enabled", "true")).lower() != "true":
            changes["Enabled"] = "true"
        if changes:
            self._client.set_endpoint_attributes(EndpointArn=endpoint, Attributes=changes)
        return True

    def unregister(self, endpoint: str) -> None:
        try:
            self._client.delete_endpoint(EndpointArn=endpoint)
        except ClientError as error:  # already gone is what we wanted
            if error.response.get("Error", {}).get("Code") not in _GONE:
                raise

    def send_all(self, pushes: Sequence[Push]) -> list[Outcome]:
        if not pushes:
            return []
        with ThreadPoolExecutor(max_workers=min(CONCURRENCY, len(pushes))) as pool:
            return list(pool.map(self._send, pushes))

    def _send(self, push: Push) -> Outcome:
        if push.endpoint is None:
            return Outcome.FAILED
        try:
            self._client.publish(
                TargetArn=push.endpoint, MessageStructure="json", Message=message_of(push)
            )
            return Outcome.SENT
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code")
            if code in _GONE:
                return Outcome.GONE
            log.warning("a push failed: %s", code)  # never the token or the endpoint
            return Outcome.FAILED
        except Exception as error:
            log.warning("a push failed: %s", type(error).__name__)
            return Outcome.FAILED
