"""The product's flows through the real Lambda handlers, in-process (moto cannot invoke
Lambda), against exactly the resources Terraform created: names from ``terraform output``,
the environment each function is deployed with."""

from __future__ import annotations

import importlib
import json
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from botocore.client import BaseClient

from deploy.local import REGION
from tests.support.builders import free_item
from tests.support.lambda_events import proxy_event

# The session's one apply and destroy run inside the first and last test here.
pytestmark = [pytest.mark.integration, pytest.mark.timeout(1200)]

BERLIN = {"lat": 52.52, "lon": 13.405}


#: Modules whose per-process container a fresh "cold start" must forget.
_CONTAINER_MODULES = (
    "ecobid_entrypoints.aws_lambda",
    "ecobid_entrypoints.functions.runtime",
    "ecobid_entrypoints.cognito_triggers",
)


def _cold_start() -> None:
    for module_name in _CONTAINER_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        module.container.cache_clear()


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


def stream_records(deployed) -> list[dict[str, Any]]:
    """The table's stream, as the Terraform-created event source mapping would read it."""
    streams = deployed.client("dynamodbstreams")
    table = deployed.client("dynamodb").describe_table(TableName=deployed.outputs["table_name"])
    arn = table["Table"]["LatestStreamArn"]
    records: list[dict[str, Any]] = []
    for shard in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
        iterator = streams.get_shard_iterator(
            StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        records += streams.get_records(ShardIterator=iterator)["Records"]
    return records


@pytest.fixture
def bus_puts(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Every entry put on an EventBridge bus from this process.

    moto hands a rule's events to its Lambda targets (and fails: no Docker) rather than
    to the functions in this process, so the test takes what the publisher put and
    delivers it as EventBridge would, once the Terraform rule is shown to match it.
    """
    entries: list[dict[str, Any]] = []
    original = BaseClient._make_api_call

    def recording(self: BaseClient, operation: str, params: dict[str, Any]) -> Any:
        if operation == "PutEvents":
            entries.extend(params["Entries"])
        return original(self, operation, params)

    monkeypatch.setattr(BaseClient, "_make_api_call", recording)
    return entries


def delivered(entry: dict[str, Any]) -> dict[str, Any]:
    """A PutEvents entry as EventBridge hands it to a rule's target."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": entry["DetailType"],
        "source": entry["Source"],
        "account": "123456789012",
        "time": "2026-01-01T00:00:00Z",
        "region": REGION,
        "resources": [],
        "detail": json.loads(entry["Detail"]),
    }


def wiring(deployed) -> dict[str, dict[str, str]]:
    return json.loads((deployed.manifest_dir / "manifest.json").read_text())["wiring"]


def rule_for(deployed, detail_type: str) -> dict[str, Any]:
    """The Terraform rule on the bus matching ``detail_type``, and its function's name."""
    events = deployed.client("events")
    bus = deployed.outputs["bus_name"]
    for rule in events.list_rules(EventBusName=bus)["Rules"]:
        pattern = json.loads(rule.get("EventPattern") or "{}")
        if pattern.get("detail-type") == [detail_type]:
            (target,) = events.list_targets_by_rule(Rule=rule["Name"], EventBusName=bus)["Targets"]
            return {"pattern": pattern, "target": target["Arn"]}
    raise AssertionError(f"no rule for {detail_type}")


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


def test_free_item_offered_reserved_and_handed_over(deployed, handlers, bus_puts) -> None:
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

    # The stream -> the outbox publisher -> bus -> the plan's rules -> their consumers.
    consumers = wiring(deployed)
    publish = handlers[consumers["stream"]["outbox"]]
    assert publish({"Records": stream_records(deployed)}, None) == {"batchItemFailures": []}
    bus = deployed.outputs["bus_name"]
    assert {entry["EventBusName"] for entry in bus_puts} == {bus}
    envelopes = {e["DetailType"]: delivered(e) for e in bus_puts}
    events = deployed.client("events")
    for detail_type in ("ItemCreated", "ReservationCreated"):
        function = consumers["rules"][detail_type]
        envelope = envelopes[detail_type]
        rule = rule_for(deployed, detail_type)
        assert rule["target"].endswith(deployed.outputs["function_names"][function])
        matched = events.test_event_pattern(
            EventPattern=json.dumps(rule["pattern"]), Event=json.dumps(envelope)
        )
        assert matched["Result"] is True
        handlers[function](envelope, None)
    status, notes = call(
        handlers["GetNotifications"], "GET", "/users/{id}/notifications", sub=giver, id=giver
    )
    assert status == 200
    assert item["id"] in {note.get("itemId") for note in notes["notifications"]}
