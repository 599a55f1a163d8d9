"""Faults injected into real boto3 clients, at the HTTP layer.

moto never throttles and never fails on its own, so tests make the failures: a
``before-send`` handler on the client answers chosen calls with the very HTTP response a
failing service sends (status, headers, error body), and every other call goes on to
moto. Everything above the socket runs as in service: botocore parses the error and its
retry mode decides whether to retry, how long to wait and when to give up; then our
adapters see what is left. Every attempt (failed or not) is counted and timed, so a test
can see how many retries there were and how far apart.
"""

from __future__ import annotations

import json
import threading
import time
import types
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import botocore.endpoint
from botocore.awsrequest import AWSResponse

#: How each protocol names an error in its body.
_JSON_TYPE_PREFIX = {
    "DynamoDB": "com.amazonaws.dynamodb.v20120810#",
    "EventBridge": "",
}


class _Raw:
    """The bit of urllib3's response that botocore reads a body through."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._body


def error_response(
    client: Any, code: str, status: int, message: str = "injected", **fields: Any
) -> AWSResponse:
    """The HTTP response a failing AWS service sends, in the client's protocol."""
    model = client.meta.service_model
    headers = {"x-amzn-RequestId": "injected-fault"}
    if model.protocol == "json":
        prefix = _JSON_TYPE_PREFIX.get(model.service_id, "")
        body = json.dumps({"__type": prefix + code, "message": message, **fields}).encode()
        headers["Content-Type"] = "application/x-amz-json-1.0"
    elif model.protocol == "rest-xml":
        body = (
            f"<?xml version='1.0' encoding='UTF-8'?><Error><Code>{code}</Code>"
            f"<Message>{message}</Message></Error>"
        ).encode()
        headers["Content-Type"] = "application/xml"
    else:  # an empty body: what a load balancer's bare 5xx looks like
        body = b""
    return AWSResponse("https://injected.invalid/", status, headers, _Raw(body))


class _Fault:
    def __init__(
        self,
        respond: Callable[[Any], AWSResponse],
        times: int | None,
        when: Callable[[Any], bool],
    ) -> None:
        self.respond = respond
        self.remaining = times
        self.when = when


class FaultInjector:
    """Fails chosen operations of one boto3 client; the rest reach its endpoint.

    ``fail`` queues a fault for an operation: every matching call while ``times`` lasts
    (``None``: until the block ends). ``sent`` counts attempts per operation and
    ``sent_at`` keeps their monotonic times, injected or not.
    """

    def __init__(self, client: Any) -> None:
        self.client = client
        self._service = client.meta.service_model.service_id.hyphenize()
        self._faults: dict[str, list[_Fault]] = defaultdict(list)
        self._lock = threading.Lock()
        self.sent: Counter[str] = Counter()
        self.sent_at: dict[str, list[float]] = defaultdict(list)
        self.injected: Counter[str] = Counter()

    def fail(
        self,
        operation: str,
        code: str,
        status: int = 400,
        *,
        times: int | None = None,
        when: Callable[[Any], bool] = lambda _request: True,
        **fields: Any,
    ) -> FaultInjector:
        def respond(_request: Any) -> AWSResponse:
            return error_response(self.client, code, status, **fields)

        with self._lock:
            self._faults[operation].append(_Fault(respond, times, when))
        return self

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def _before_send(self, request: Any, event_name: str, **_: Any) -> AWSResponse | None:
        operation = event_name.rsplit(".", 1)[-1]
        with self._lock:
            self.sent[operation] += 1
            self.sent_at[operation].append(time.monotonic())
            for fault in self._faults.get(operation, []):
                if fault.remaining == 0 or not fault.when(request):
                    continue
                if fault.remaining is not None:
                    fault.remaining -= 1
                self.injected[operation] += 1
                return fault.respond(request)
        return None

    @contextmanager
    def attached(self) -> Iterator[FaultInjector]:
        unique = f"fault-injector-{id(self)}"
        events = self.client.meta.events
        events.register_first(f"before-send.{self._service}", self._before_send, unique)
        try:
            yield self
        finally:
            events.unregister(f"before-send.{self._service}", unique_id=unique)


@contextmanager
def faults(client: Any) -> Iterator[FaultInjector]:
    """A ``FaultInjector`` on ``client`` for the duration of the block."""
    with FaultInjector(client).attached() as injector:
        yield injector


class PartialPutEvents:
    """An EventBridge client that refuses chosen entries of ``PutEvents``, as a throttled
    bus does: the call succeeds, ``FailedEntryCount`` counts the refused entries and each
    carries an ``ErrorCode``; the accepted ones go on to the real client (moto), in order.

    ``refuse(entry, attempt)`` decides per entry, given how many times that entry (by
    its detail) has been sent before.
    """

    def __init__(
        self,
        client: Any,
        refuse: Callable[[dict[str, Any], int], bool],
        code: str = "ThrottlingException",
    ) -> None:
        self._client = client
        self._refuse = refuse
        self._code = code
        self.meta = client.meta
        self.attempts: Counter[str] = Counter()
        self.calls: list[Sequence[dict[str, Any]]] = []

    def put_events(self, Entries: Sequence[dict[str, Any]]) -> dict[str, Any]:
        self.calls.append(list(Entries))
        results: list[dict[str, Any] | None] = []
        passed: list[dict[str, Any]] = []
        for entry in Entries:
            seen = self.attempts[entry["Detail"]]
            self.attempts[entry["Detail"]] += 1
            if self._refuse(entry, seen):
                results.append({"ErrorCode": self._code, "ErrorMessage": "Rate exceeded"})
            else:
                results.append(None)
                passed.append(entry)
        accepted = iter(self._client.put_events(Entries=passed)["Entries"] if passed else [])
        entries = [result if result is not None else next(accepted) for result in results]
        failed = sum(1 for result in entries if "ErrorCode" in result)
        return {"FailedEntryCount": failed, "Entries": entries}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)


@contextmanager
def recorded_backoff() -> Iterator[list[float]]:
    """The pauses botocore's retry mode chose between attempts, recorded, not slept.

    botocore's endpoint sleeps for the delay its retry handler returned; only that
    module's view of ``time`` is replaced, so nothing else in the process stops sleeping.
    """
    pauses: list[float] = []
    fake = types.SimpleNamespace(**{name: getattr(time, name) for name in dir(time)})
    fake.sleep = pauses.append
    real = botocore.endpoint.time  # type: ignore[attr-defined]
    botocore.endpoint.time = fake  # type: ignore[attr-defined]
    try:
        yield pauses
    finally:
        botocore.endpoint.time = real  # type: ignore[attr-defined]


@contextmanager
def refused_commits(store: Any) -> Iterator[list[int]]:
    """The memory backend's double of a throttled table: ``store`` refuses every commit
    with ``Unavailable`` before applying any of it (counted in the list yielded)."""
    from ecobid_adapters.memory.store import MemoryStore
    from ecobid_core.errors import Unavailable

    refused: list[int] = []
    real = MemoryStore.commit

    def commit(self: Any, writes: Any, events: Any) -> None:
        if self is not store:
            return real(self, writes, events)
        refused.append(len(writes))
        raise Unavailable("the store is throttled")

    MemoryStore.commit = commit  # type: ignore[method-assign]
    try:
        yield refused
    finally:
        MemoryStore.commit = real  # type: ignore[method-assign]
