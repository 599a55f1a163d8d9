"""ForwardOutbox: the DynamoDB stream's target, outbox records on to EventBridge."""

from __future__ import annotations

from typing import Any

from ecobid_adapters.aws.stream_forwarder import forward_stream_batch
from ecobid_entrypoints.functions.runtime import container, invocation


def forward_outbox(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """ForwardOutbox: a stream batch on to EventBridge; answers with partial batch failures."""
    with invocation(context):
        return forward_stream_batch(event.get("Records", []), container().event_publisher())
