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


def bus_envelopes(deployed) -> Any:
    """What reaches the Terraform-created bus, read through an extra rule to a queue."""
    sqs, events = deployed.client("sqs"), deployed.client("events")
    queue_url = sqs.create_queue(QueueName=f"flows-{uuid.uuid4().hex[:8]}")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])
    bus = deployed.outputs["bus_name"]
    events.put_rule(Name="flows-capture", EventBusName=bus, EventPattern='{"source": ["ecobid"]}')
    events.put_targets(
        Rule="flows-capture",
        EventBusName=bus,
        Targets=[{"Id": "queue", "Arn": queue_arn["Attributes"]["QueueArn"]}],
    )

    def read() -> list[dict[str, Any]]:
        found = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10)
        return [json.loads(message["Body"]) for message in found.get("Messages", [])]

    def remove() -> None:
        events.remove_targets(Rule="flows-capture", EventBusName=bus, Ids=["queue"])
        events.delete_rule(Name="flows-capture", EventBusName=bus)
        sqs.delete_queue(QueueUrl=queue_url)

    return read, remove


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


def test_free_item_offered_reserved_and_handed_over(deployed, handlers) -> None:
    giver, taker = f"giver-{uuid.uuid4().hex[:6]}", f"taker-{uuid.uuid4().hex[:6]}"
    read_bus, remove_capture = bus_envelopes(deployed)
    try:
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
        envelopes = {e["detail-type"]: e for e in read_bus()}
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
    finally:
        remove_capture()
