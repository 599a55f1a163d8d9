"""Count what a request costs in DynamoDB calls, items read and items written.

On-demand capacity bills every request, so the access-pattern figures are a budget; a
meter on the client (botocore's event hooks, no wrapper around the adapter) lets tests
hold the code to that budget, and ``forbid_scans`` makes any Scan fail loudly.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_READ_PARAMS = "provide-client-params.dynamodb"
_AFTER_CALL = "after-call.dynamodb"
_BEFORE_SCAN = "before-call.dynamodb.Scan"


class ScanForbidden(AssertionError):
    """A Scan reads the whole table: never acceptable on a request path."""


class RequestMeter:
    """Calls, items returned and items written, per operation name."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.items_read: Counter[str] = Counter()
        self.items_written: Counter[str] = Counter()

    def reset(self) -> None:
        self.calls.clear()
        self.items_read.clear()
        self.items_written.clear()

    @property
    def reads(self) -> int:
        return sum(self.items_read.values())

    @property
    def writes(self) -> int:
        return sum(self.items_written.values())

    def _count_request(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        name = model.name
        if name == "TransactWriteItems":
            self.items_written[name] += len(params.get("TransactItems", []))
        elif name == "BatchWriteItem":
            requests = params.get("RequestItems", {}).values()
            self.items_written[name] += sum(len(r) for r in requests)
        elif name in ("PutItem", "UpdateItem", "DeleteItem"):
            self.items_written[name] += 1

    def _count_response(self, parsed: dict[str, Any], model: Any, **_: Any) -> None:
        name = model.name
        self.calls[name] += 1
        if "Count" in parsed:  # Query, Scan
            self.items_read[name] += int(parsed["Count"])
        elif "Item" in parsed:  # GetItem
            self.items_read[name] += 1
        elif isinstance(parsed.get("Responses"), dict):  # BatchGetItem
            self.items_read[name] += sum(len(found) for found in parsed["Responses"].values())

    @contextmanager
    def attached(self, client: Any) -> Iterator[RequestMeter]:
        events = client.meta.events
        events.register(_READ_PARAMS, self._count_request, unique_id=f"meter-req-{id(self)}")
        events.register(_AFTER_CALL, self._count_response, unique_id=f"meter-resp-{id(self)}")
        try:
            yield self
        finally:
            events.unregister(_READ_PARAMS, unique_id=f"meter-req-{id(self)}")
            events.unregister(_AFTER_CALL, unique_id=f"meter-resp-{id(self)}")


def _refuse_scan(**_: Any) -> None:
    raise ScanForbidden("a Scan was called on a request path")


@contextmanager
def forbid_scans(client: Any) -> Iterator[None]:
    """Make every Scan on ``client`` raise ``ScanForbidden`` while the block runs."""
    client.meta.events.register(_BEFORE_SCAN, _refuse_scan, unique_id="forbid-scans")
    try:
        yield
    finally:
        client.meta.events.unregister(_BEFORE_SCAN, unique_id="forbid-scans")
