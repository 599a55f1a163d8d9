"""The deployed shape on moto: API handlers, the stream relay, the bus's consumer, the jobs.

The handlers are configured the way Terraform configures them (environment variables,
``ECOBID_BACKEND=aws``). A change made through an API handler lands in DynamoDB with its
outbox record; the table's stream carries that record to ``forward_outbox``, which puts it
on the bus; a rule hands it on (here to an SQS queue, to read it back) in the envelope
``on_domain_event`` receives, and the consumer writes the notification.
"""

from __future__ import annotations

import importlib
import json
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import boto3
import pytest

from ecobid_adapters.aws.provision import ResourceNames, provision, settings_for
from ecobid_adapters.aws.settings import AwsSettings
from ecobid_entrypoints.api.routes import ROUTES
from ecobid_entrypoints.functions import deadlines, events, items, jobs, outbox, runtime, users
from ecobid_entrypoints.functions.catalog import FUNCTIONS, by_name
from tests.support.lambda_events import proxy_event
from tests.support.moto import REGION

pytestmark = pytest.mark.integration

BERLIN = {"lat": 52.52, "lon": 13.405}


@pytest.fixture
def deployed(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[AwsSettings]:
    names = ResourceNames.for_env(f"lambda{uuid.uuid4().hex[:8]}")
    settings = settings_for(provision(moto_endpoint, REGION, names))
    for name, value in {**settings.to_env(), "ECOBID_BACKEND": "aws"}.items():
        monkeypatch.setenv(name, value)
    runtime.container.cache_clear()
    yield settings
    runtime.container.cache_clear()


def call(handler: Any, method: str, resource: str, path: str, body=None, sub="", params=None):
    reply = handler(proxy_event(method, resource, path, body, sub=sub, params=params), None)
    return reply["statusCode"], json.loads(reply["body"]) if reply["body"] else None


def stream_records(settings: AwsSettings) -> list[dict[str, Any]]:
    """Every record on the table's stream so far, as the event source mapping reads them."""
    client = boto3.client("dynamodbstreams", endpoint_url=settings.endpoint_url, region_name=REGION)
    dynamodb = runtime.container().aws_clients().dynamodb
    arn = dynamodb.describe_table(TableName=settings.table)["Table"]["LatestStreamArn"]
    records: list[dict[str, Any]] = []
    for shard in client.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
        iterator = client.get_shard_iterator(
            StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        records += client.get_records(ShardIterator=iterator)["Records"]
    return records


def bus_to_queue(settings: AwsSettings) -> Any:
    """A rule sending every EcoBid event on the bus to a fresh queue; returns a reader."""
    sqs = boto3.client("sqs", endpoint_url=settings.endpoint_url, region_name=REGION)
    events = runtime.container().aws_clients().events
    queue_url = sqs.create_queue(QueueName=f"bus-{uuid.uuid4().hex[:8]}")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])
    events.put_rule(
        Name="all", EventBusName=settings.bus, EventPattern=json.dumps({"source": ["ecobid"]})
    )
    events.put_targets(
        Rule="all",
        EventBusName=settings.bus,
        Targets=[{"Id": "queue", "Arn": arn["Attributes"]["QueueArn"]}],
    )

    def envelopes() -> list[dict[str, Any]]:
        found = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10)
        return [json.loads(message["Body"]) for message in found.get("Messages", [])]

    return envelopes


def test_a_new_item_reaches_its_neighbour_through_stream_bus_and_consumer(
    deployed: AwsSettings,
) -> None:
    envelopes = bus_to_queue(deployed)
    status, _ = call(
        users.update_user_profile,
        "PUT",
        "/users/{id}",
        "/users/neighbour",
        {"location": BERLIN},
        sub="neighbour",
        params={"id": "neighbour"},
    )
    assert status == 200
    item = {"title": "Kettle", "category": "kitchen", "type": "free", "location": BERLIN}
    status, created = call(items.create_item, "POST", "/items", "/items", item, sub="giver")
    assert status == 201

    relayed = outbox.forward_outbox({"Records": stream_records(deployed)})
    assert relayed == {"batchItemFailures": []}
    (envelope,) = [e for e in envelopes() if e["detail-type"] == "ItemCreated"]
    assert envelope["source"] == "ecobid"
    assert envelope["detail"]["itemId"] == created["id"]

    first = events.on_domain_event(envelope)
    again = events.on_domain_event(envelope)  # EventBridge delivers at least once
    assert (first["delivered"], again["delivered"]) == (1, 0)
    status, listed = call(
        users.get_notifications,
        "GET",
        "/users/{id}/notifications",
        "/users/neighbour/notifications",
        sub="neighbour",
        params={"id": "neighbour"},
    )
    assert status == 200
    assert [n["itemId"] for n in listed["notifications"]] == [created["id"]]


def test_the_scheduled_jobs_run_as_handlers(deployed: AwsSettings) -> None:
    for name, handler in {
        "end-auctions": jobs.end_auctions,
        "cancel-expired-reservations": jobs.cancel_expired_reservations,
    }.items():
        assert handler({"source": "aws.scheduler"}, None) == {"job": name, "processed": 0}


def test_an_auction_is_scheduled_by_the_bus_consumer_and_ended_by_its_target(
    deployed: AwsSettings,
) -> None:
    envelopes = bus_to_queue(deployed)
    c = runtime.container()
    ends = (c.clock().now() + timedelta(hours=1)).isoformat()
    item = {
        "title": "Radio",
        "category": "electronics",
        "type": "auction",
        "location": BERLIN,
        "auction": {"startPrice": 100, "currency": "EUR", "endsAt": ends},
    }
    status, created = call(items.create_item, "POST", "/items", "/items", item, sub="seller")
    assert status == 201
    outbox.forward_outbox({"Records": stream_records(deployed)})
    (envelope,) = [e for e in envelopes() if e["detail-type"] == "ItemCreated"]
    events.on_domain_event(envelope)

    scheduler = c.aws_clients().scheduler
    schedule = scheduler.get_schedule(
        Name=f"auction-end-{created['id']}", GroupName=deployed.schedule_group
    )
    assert schedule["Target"]["Arn"] == deployed.end_auction_arn
    payload = json.loads(schedule["Target"]["Input"])
    assert payload == {"itemId": created["id"]}

    early = deadlines.end_auction(payload)
    assert early == {"itemId": created["id"], "ended": False}
    c.clock().advance(3601)
    assert deadlines.end_auction(payload) == {"itemId": created["id"], "ended": True}
    assert deadlines.end_auction(payload)["ended"] is False
    assert deadlines.expire_reservation({"nothing": 1}) == {"dropped": True}


#: What the catalog's ``table_read`` grants (terraform/modules/lambda/policies.tf).
READ_OPERATIONS = {"GetItem", "BatchGetItem", "Query"}


def test_the_read_only_routes_only_read_the_table(deployed: AwsSettings) -> None:
    """A GET route's role may only read (its catalog access has no ``table_write``): on
    AWS any other call would be AccessDenied, on moto it would pass unseen."""
    item = {"title": "Lamp", "category": "kitchen", "type": "free", "location": BERLIN}
    status, created = call(items.create_item, "POST", "/items", "/items", item, sub="giver")
    assert status == 201
    operations: list[str] = []
    dynamodb = runtime.container().aws_clients().dynamodb
    dynamodb.meta.events.register(
        "before-call.dynamodb", lambda model, **_: operations.append(model.name)
    )
    read_only = {
        f.name for f in FUNCTIONS if set(f.access) & {"table_read", "table_write"} == {"table_read"}
    }
    routes = [route for route in ROUTES if route.name in read_only]
    assert {route.name for route in routes} == read_only
    ids = {"/items/{id}": created["id"], "/users/{id}": "giver"}
    for route in routes:
        module, _, function = by_name(route.name).handler.rpartition(".")
        handler = getattr(importlib.import_module(module), function)
        prefix = next((p for p in ids if route.resource.startswith(p)), None)
        path = route.resource if prefix is None else route.resource.replace("{id}", ids[prefix])
        event = proxy_event(
            route.method,
            route.resource,
            path,
            sub="giver",
            params=None if prefix is None else {"id": ids[prefix]},
        )
        if route.resource == "/items":
            event["queryStringParameters"] = {"ownerId": "giver"}
        reply = handler(event, None)
        assert reply["statusCode"] == 200, (route.name, reply["body"])
    assert operations
    assert set(operations) <= READ_OPERATIONS
