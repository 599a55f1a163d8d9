"""The product's flows through the real Lambda handlers, in-process (moto cannot invoke
Lambda), against exactly the resources Terraform created: names from ``terraform output``,
the environment each function is deployed with."""

from __future__ import annotations

import importlib
import json
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import pytest

from deploy.local import REGION
from ecobid_entrypoints.functions import runtime
from tests.support.builders import free_item
from tests.support.lambda_events import proxy_event

# The session's one apply and destroy run inside the first and last test here.
pytestmark = [pytest.mark.integration, pytest.mark.timeout(1200)]

BERLIN = {"lat": 52.52, "lon": 13.405}


def _cold_start() -> None:
    """A fresh process for the next invocation: the container is built again."""
    runtime.container.cache_clear()


Handler = Callable[[dict[str, Any], Any], Any]


@pytest.fixture
def handlers(deployed, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Handler]]:
    """Each deployed function's handler, found by the manifest's dotted path and
    configured the way Terraform configures the functions."""
    environment = {
        **deployed.outputs["function_environment"],
        "ECOBID_BACKEND": "aws",
        "ECOBID_AWS_ENDPOINT_URL": deployed.endpoint,
        "AWS_REGION": REGION,
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    manifest = json.loads((deployed.manifest_dir / "manifest.json").read_text())
    found = {}
    for name, spec in manifest["functions"].items():
        module, _, function = spec["handler"].rpartition(".")
        found[name] = getattr(importlib.import_module(module), function)
    _cold_start()
    yield found
    _cold_start()


def call(handler: Handler, method: str, resource: str, body=None, sub="", **params):
    path = resource.format(**params)
    reply = handler(proxy_event(method, resource, path, body, sub=sub, params=params or None), None)
    return reply["statusCode"], json.loads(reply["body"]) if reply["body"] else None


@attrs.define
class Deliveries:
    """What the in-process moto server hands to Lambda functions, by function ARN.

    moto cannot run a function (no Docker), so the Terraform-made event source mapping's
    batches and the bus rules' events are recorded here, and the test runs the real
    handler of the function Terraform pointed each at.
    """

    stream: dict[str, list[dict[str, Any]]] = attrs.Factory(dict)
    rules: list[tuple[str, dict[str, Any]]] = attrs.Factory(list)

    def for_function(self, arn: str) -> list[dict[str, Any]]:
        return [event for target, event in self.rules if target == arn]


@pytest.fixture
def deliveries(monkeypatch: pytest.MonkeyPatch) -> Deliveries:
    from moto.awslambda.models import LambdaFunction
    from moto.events.models import Rule

    seen = Deliveries()

    def invoke(self: Any, body: str, *args: Any, **kwargs: Any) -> str:
        # moto re-sends a shard's every record so far while the call answers falsy: the
        # last batch is the whole stream, as a mapping reading from the start sees it.
        seen.stream[self.function_arn] = json.loads(body)["Records"]
        return ""

    original_send = Rule.send_to_targets

    def send_to_targets(self: Any, event: dict[str, Any], transform_input: bool = True) -> None:
        # moto refuses Lambda targets outright: record them, let it serve the others.
        functions = [t for t in self.targets if ":lambda:" in t["Arn"]]
        if functions and self.event_pattern.matches_event(event):
            seen.rules += [(target["Arn"], event) for target in functions]
        everything, self.targets = self.targets, [t for t in self.targets if t not in functions]
        try:
            original_send(self, event, transform_input)
        finally:
            self.targets = everything

    monkeypatch.setattr(LambdaFunction, "invoke", invoke)
    monkeypatch.setattr(Rule, "send_to_targets", send_to_targets)
    return seen


def wiring(deployed) -> dict[str, dict[str, str]]:
    return json.loads((deployed.manifest_dir / "manifest.json").read_text())["wiring"]


def test_a_signed_up_user_gets_a_profile_from_the_pool_trigger(deployed, handlers) -> None:
    sub = f"new-{uuid.uuid4().hex[:8]}"
    event = {
        "triggerSource": "PostConfirmation_ConfirmSignUp",
        "userPoolId": deployed.outputs["user_pool_id"],
        "userName": sub,
        "request": {"userAttributes": {"sub": sub, "email": f"{sub}@example.com"}},
        "response": {},
    }
    trigger = wiring(deployed)["post_confirmation"]["profile"]
    assert handlers[trigger](event, None) is event
    status, profile = call(handlers["GetUserProfile"], "GET", "/users/{id}", sub=sub, id=sub)
    assert (status, profile["id"]) == (200, sub)


def test_free_item_offered_reserved_and_handed_over(deployed, handlers, deliveries) -> None:
    giver, taker = f"giver-{uuid.uuid4().hex[:6]}", f"taker-{uuid.uuid4().hex[:6]}"
    status, item = call(handlers["CreateItem"], "POST", "/items", free_item(BERLIN), sub=giver)
    assert status == 201
    status, hold = call(
        handlers["ReserveItem"], "POST", "/items/{id}/reserve", sub=taker, id=item["id"]
    )
    assert (status, hold["status"]) == (201, "pending")
    status, done = call(
        handlers["ConfirmReservation"],
        "POST",
        "/reservations/{id}/confirm",
        sub=giver,
        id=hold["id"],
    )
    assert (status, done["transaction"]["kind"]) == (200, "gift")
    status, given = call(handlers["GetItem"], "GET", "/items/{id}", sub=taker, id=item["id"])
    assert (status, given["status"]) == (200, "given")

    # The table's stream -> the mapped publisher -> the bus -> the plan's rules -> the
    # functions they target: each hop as Terraform wired it, each function's real handler.
    consumers = wiring(deployed)
    arns = deployed.function_arns()
    publisher = consumers["stream"]["outbox"]
    batch = deliveries.stream[arns[publisher]]
    assert {record["eventName"] for record in batch} >= {"INSERT"}
    assert handlers[publisher]({"Records": batch}, None) == {"batchItemFailures": []}
    for detail_type in ("ItemCreated", "ReservationCreated"):
        function = consumers["rules"][detail_type]
        events = [
            event
            for event in deliveries.for_function(arns[function])
            if event["detail-type"] == detail_type
        ]
        assert [event["detail"]["itemId"] for event in events] == [item["id"]]
        handlers[function](events[0], None)
    status, notes = call(
        handlers["GetNotifications"], "GET", "/users/{id}/notifications", sub=giver, id=giver
    )
    assert status == 200
    assert item["id"] in {note.get("itemId") for note in notes["notifications"]}
