"""Lambda functions that Terraform deployed to moto, run in this process.

moto keeps the functions Terraform creates but cannot run them (it would need Docker).
``DeployedFunctions`` runs each one's real handler the way Lambda would: with exactly the
environment Terraform gave that function (read back from moto), in a container of its
own. ``MotoDeliveries`` records what moto would have invoked the functions with (the
stream mapping's batches, the bucket's notifications, the bus rules' events), so that a
test can hand each to the function it was meant for.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import pytest

from ecobid_adapters.system import AdjustableClock
from ecobid_entrypoints.functions import runtime

Handler = Callable[..., Any]


class DeployedFunctions:
    """The deployed functions' handlers by manifest name, each run as its own Lambda."""

    def __init__(
        self,
        handlers: Mapping[str, Handler],
        environments: Mapping[str, Mapping[str, str]],
        monkeypatch: pytest.MonkeyPatch,
        region: str,
    ) -> None:
        self._handlers = handlers
        self._environments = environments
        self._monkeypatch = monkeypatch
        self._region = region
        self._running: str | None = None

    def handlers(self) -> dict[str, Handler]:
        return {name: self._invoker(name) for name in self._handlers}

    def _invoker(self, name: str) -> Handler:
        def invoke(event: Any, context: Any = None) -> Any:
            self._enter(name)
            return self._handlers[name](event, context)

        return invoke

    def _enter(self, name: str) -> None:
        """Another function's turn: a cold start with its environment and nothing else."""
        if self._running == name:
            return
        for key in [key for key in os.environ if key.startswith("ECOBID_")]:
            self._monkeypatch.delenv(key)
        # AWS_REGION is the Lambda runtime's own; the rest is what Terraform set.
        for key, value in {**self._environments[name], "AWS_REGION": self._region}.items():
            self._monkeypatch.setenv(key, value)
        runtime.container.cache_clear()
        container = runtime.container()
        # moto has no Rekognition DetectModerationLabels: the local moderator stands in,
        # as it does for `ecobid serve --backend moto` (moto_backend.moto_container).
        from ecobid_adapters.memory.moderation import LocalModerator

        container.replace("moderator", LocalModerator())
        self._running = name

    def close(self) -> None:
        runtime.container.cache_clear()


class Elapsed:
    """Time passing between invocations, as every function's clock sees it.

    Each function runs in a container of its own, as in Lambda, and they share only the
    system's time; an auction ends minutes after it starts, so a test moves that time on
    for all of them at once instead of waiting.
    """

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.offset = timedelta()
        system_time = AdjustableClock.now

        def now(clock: AdjustableClock) -> datetime:
            return system_time(clock) + self.offset

        monkeypatch.setattr(AdjustableClock, "now", now)

    def until(self, moment: datetime) -> None:
        self.offset = max(self.offset, moment - datetime.now(UTC))


@attrs.define
class MotoDeliveries:
    """What the in-process moto server would have invoked functions with, by their ARN."""

    invocations: list[tuple[str, dict[str, Any]]] = attrs.Factory(list)
    rule_events: list[tuple[str, dict[str, Any]]] = attrs.Factory(list)

    def take_stream_records(self) -> dict[str, list[dict[str, Any]]]:
        """The stream records delivered since the last call, by function ARN."""
        taken: dict[str, list[dict[str, Any]]] = {}
        for arn, event in self._take(lambda event: _source(event) == "aws:dynamodb"):
            taken.setdefault(arn, []).extend(event["Records"])
        return taken

    def take_s3_events(self) -> list[tuple[str, dict[str, Any]]]:
        """The bucket notifications sent since the last call: (function ARN, event)."""
        return self._take(lambda event: _source(event) == "aws:s3")

    def take_rule_events(self) -> list[tuple[str, dict[str, Any]]]:
        """The events bus rules matched since the last call: (target function ARN, event)."""
        taken, self.rule_events = self.rule_events, []
        return taken

    def _take(self, wanted: Callable[[dict[str, Any]], bool]) -> list[tuple[str, dict[str, Any]]]:
        taken = [entry for entry in self.invocations if wanted(entry[1])]
        self.invocations = [entry for entry in self.invocations if not wanted(entry[1])]
        return taken


def _source(event: dict[str, Any]) -> str | None:
    records = event.get("Records") or [{}]
    return records[0].get("eventSource")


def record_deliveries(monkeypatch: pytest.MonkeyPatch) -> MotoDeliveries:
    """Make the in-process moto server record its Lambda deliveries instead of failing."""
    from moto.awslambda.models import LambdaFunction
    from moto.events.models import Rule

    seen = MotoDeliveries()

    def invoke(self: Any, body: str, *args: Any, **kwargs: Any) -> str:
        seen.invocations.append((self.function_arn, json.loads(body)))
        # For a stream, moto drops the records a function answered for and re-sends the
        # rest with the next write: answering, each batch holds only the new records,
        # as a mapping that checkpoints delivers them. S3 ignores the answer.
        return json.dumps({"batchItemFailures": []})

    original_send = Rule.send_to_targets

    def send_to_targets(self: Any, event: dict[str, Any], transform_input: bool = True) -> None:
        # moto refuses Lambda targets outright: record them, let it serve the others.
        functions = [t for t in self.targets if ":lambda:" in t["Arn"]]
        if functions and self.event_pattern.matches_event(event):
            seen.rule_events += [(target["Arn"], event) for target in functions]
        everything, self.targets = self.targets, [t for t in self.targets if t not in functions]
        try:
            original_send(self, event, transform_input)
        finally:
            self.targets = everything

    monkeypatch.setattr(LambdaFunction, "invoke", invoke)
    monkeypatch.setattr(Rule, "send_to_targets", send_to_targets)
    return seen


def _denies_plain_http(statement: Mapping[str, Any]) -> bool:
    secure = statement.get("Condition", {}).get("Bool", {}).get("aws:SecureTransport")
    return statement.get("Effect") == "Deny" and secure in ("false", ["false"])


def requests_arrive_over_tls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Let moto judge object requests by the bucket policy as AWS judges HTTPS ones.

    moto evaluates no condition operator but StringEquals and treats any other condition
    as met, so the TLS-only statement (deny when ``aws:SecureTransport`` is false) would
    deny every object request. The functions and the app reach S3 over HTTPS, which that
    statement lets through: it is left out of moto's judgement, the rest of the bucket's
    policy still applies. Answers the ids of the statements left out (for the test to
    see that there was one).
    """
    from moto.iam.access_control import IAMPolicy, PermissionResult
    from moto.s3.models import FakeBucket

    left_out: list[str] = []

    def get_permission(self: Any, action: str, resource: str) -> Any:
        if self.policy is None:
            return PermissionResult.NEUTRAL
        policy = json.loads(self.policy)
        statements = policy["Statement"]
        statements = statements if isinstance(statements, list) else [statements]
        left_out.extend(s.get("Sid", "") for s in statements if _denies_plain_http(s))
        kept = [s for s in statements if not _denies_plain_http(s)]
        return IAMPolicy(json.dumps({**policy, "Statement": kept})).is_action_permitted(
            action, resource
        )

    monkeypatch.setattr(FakeBucket, "get_permission", get_permission)
    return left_out
