"""Lambda entry points: one handler per API function of the plan, plus the processors.

The container is built once per cold start, from environment variables; each invocation
gets fresh units of work from it. ``ECOBID_BACKEND`` picks the adapters (``aws`` in a
deployed stage).

Processors: ``forward_outbox`` is the DynamoDB stream's target (outbox records on to
EventBridge), ``on_domain_event`` the target of the bus's rules (the notifying
consumers), ``process_image_upload`` the target of the image bucket's ``ObjectCreated``
notifications, and one handler per scheduled job (``end_auctions``,
``cancel_expired_reservations``), each run by an EventBridge schedule.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from ecobid_adapters.aws.event_codec import event_from_detail
from ecobid_adapters.aws.stream_forwarder import forward_stream_batch
from ecobid_entrypoints.api.routes import ROUTES, Route
from ecobid_entrypoints.container import Container, build_container
from ecobid_entrypoints.processors.consumers import notify
from ecobid_entrypoints.processors.jobs import JOBS

Handler = Callable[[Mapping[str, Any], Any], dict[str, Any]]
log = logging.getLogger("ecobid.lambda")


@cache
def container() -> Container:
    return build_container(os.environ.get("ECOBID_BACKEND", "aws"))


def _api_handler(route: Route) -> Handler:
    def handle(event: Mapping[str, Any], context: Any = None) -> dict[str, Any]:
        return container().api().handle(event, route)

    handle.__name__ = route.handler
    handle.__doc__ = f"{route.name}: {route.method} {route.resource}"
    return handle


def forward_outbox(event: Mapping[str, Any], context: Any = None) -> dict[str, Any]:
    """DynamoDB stream batch -> EventBridge; answers with Lambda's partial batch failures."""
    return forward_stream_batch(event.get("Records", []), container().event_publisher())


class DeliveryFailed(Exception):
    """Raised so that EventBridge retries the event; names the cause's type only."""


def on_domain_event(event: Mapping[str, Any], context: Any = None) -> dict[str, Any]:
    """One EventBridge event -> the consumers.

    An event that cannot be decoded is logged and dropped: retrying cannot mend it. Any
    other failure raises, so EventBridge retries, which is safe: the consumers are
    idempotent on the event id.
    """
    try:
        domain_event = event_from_detail(str(event.get("detail-type")), event.get("detail", {}))
    except ValueError as error:
        log.error("dropped an undecodable event %s: %s", event.get("id"), error)
        return {"eventId": None, "delivered": 0}
    try:
        delivered = notify(domain_event, container().unit_of_work)
    except Exception as error:
        log.error("delivering %s failed: %s", domain_event.event_id, type(error).__name__)
        raise DeliveryFailed(type(error).__name__) from None
    return {"eventId": domain_event.event_id, "delivered": delivered}


def process_image_upload(event: Mapping[str, Any], context: Any = None) -> dict[str, Any]:
    """ProcessImageUpload: S3 ObjectCreated records -> variants, moderation, the outcome.

    Imports the photo pipeline (Pillow) on its first call, in this function only.
    """
    from ecobid_entrypoints.processors import image_upload

    return dict(image_upload.process_image_upload(event, container().image_ports()))


def _job_handler(name: str) -> Handler:
    job = JOBS[name]

    def run(event: Mapping[str, Any], context: Any = None) -> dict[str, Any]:
        return {"job": name, "processed": job(container().deps())}

    run.__name__ = name.replace("-", "_")
    run.__doc__ = f"the scheduled job {name!r}"
    return run


HANDLERS: dict[str, Handler] = {route.handler: _api_handler(route) for route in ROUTES}
JOB_HANDLERS: dict[str, Handler] = {name.replace("-", "_"): _job_handler(name) for name in JOBS}
globals().update(HANDLERS)
globals().update(JOB_HANDLERS)

__all__ = [
    "HANDLERS",
    "JOB_HANDLERS",
    "container",
    "forward_outbox",
    "on_domain_event",
    "process_image_upload",
    *HANDLERS,
    *JOB_HANDLERS,
]
