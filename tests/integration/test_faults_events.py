"""PutEvents partially failing, on moto: refused entries retried, none lost, none doubled.

The relay and the real ``EventBridgePublisher`` publish onto a moto bus whose rule
copies every event to an SQS queue, so what the bus accepted can be counted. The client
in between refuses chosen entries the way a throttled bus does (``FailedEntryCount`` and
an ``ErrorCode`` per entry; the call itself succeeds). The memory backend has no bus
call that can partly fail (commits reach the consumers in-process), so this fault is
the AWS side's only.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from typing import Any

import boto3
import pytest

from ecobid_adapters.aws.eventbridge import EventBridgePublisher
from ecobid_adapters.aws.stream_forwarder import forward_stream_batch
from tests.support.faults import PartialPutEvents
from tests.support.moto import REGION
from tests.unit.adapters.test_stream_forwarder import outbox_insert, withdrawn


class Bus:
    def __init__(self, endpoint: str) -> None:
        self.name = f"faults-{uuid.uuid4().hex[:8]}"
        self.events = boto3.client("events", endpoint_url=endpoint, region_name=REGION)
        self.sqs = boto3.client("sqs", endpoint_url=endpoint, region_name=REGION)
        self.events.create_event_bus(Name=self.name)
        self.queue = self.sqs.create_queue(QueueName=self.name)["QueueUrl"]
        arn = self.sqs.get_queue_attributes(QueueUrl=self.queue, AttributeNames=["QueueArn"])
        self.events.put_rule(
            Name="all", EventBusName=self.name, EventPattern=json.dumps({"source": ["ecobid"]})
        )
        self.events.put_targets(
            Rule="all",
            EventBusName=self.name,
            Targets=[{"Id": "queue", "Arn": arn["Attributes"]["QueueArn"]}],
        )

    def delivered(self) -> Counter[str]:
        """How many times each event id reached the bus's rule."""
        seen: Counter[str] = Counter()
        while True:
            got = self.sqs.receive_message(QueueUrl=self.queue, MaxNumberOfMessages=10)
            messages = got.get("Messages", [])
            if not messages:
                return seen
            for message in messages:
                seen[json.loads(message["Body"])["detail"]["eventId"]] += 1
                self.sqs.delete_message(QueueUrl=self.queue, ReceiptHandle=message["ReceiptHandle"])

    def publisher(self, client: Any) -> EventBridgePublisher:
        return EventBridgePublisher(client, self.name, sleep=lambda _seconds: None)


@pytest.fixture
def bus(moto_endpoint: str) -> Bus:
    return Bus(moto_endpoint)


def batch(count: int) -> list[dict[str, Any]]:
    return [outbox_insert(n, withdrawn(n)) for n in range(1, count + 1)]


def event_id(n: int) -> str:
    return withdrawn(n).event_id


def test_refused_entries_are_sent_again_until_taken_and_each_arrives_once(bus: Bus) -> None:
    # Every third event is refused twice before the bus takes it.
    partial = PartialPutEvents(
        bus.events,
        refuse=lambda entry, seen: json.loads(entry["Detail"])["itemId"][-1] in "369" and seen < 2,
    )
    response = forward_stream_batch(batch(23), bus.publisher(partial))
    assert response == {"batchItemFailures": []}
    assert bus.delivered() == Counter({event_id(n): 1 for n in range(1, 24)})
    # Only the refused entries were sent again: accepted ones never twice.
    assert sorted(partial.attempts.values()) == sorted(
        3 if str(n)[-1] in "369" else 1 for n in range(1, 24)
    )


def test_entries_refused_to_the_end_are_reported_and_come_again_with_lambda(bus: Bus) -> None:
    refused = {3, 7}
    partial = PartialPutEvents(
        bus.events,
        refuse=lambda entry, _seen: (
            int(json.loads(entry["Detail"])["itemId"].split("-")[1]) in refused
        ),
    )
    records = batch(15)
    response = forward_stream_batch(records, bus.publisher(partial))
    # Exactly the refused records; the second group waits (Lambda resumes from record 3).
    assert response == {"batchItemFailures": [{"itemIdentifier": "3"}, {"itemIdentifier": "7"}]}
    first_pass = bus.delivered()
    assert first_pass == Counter({event_id(n): 1 for n in range(1, 11) if n not in refused})

    # Lambda redelivers from the lowest reported record; the bus has recovered.
    redelivered = [r for r in records if int(r["dynamodb"]["SequenceNumber"]) >= 3]
    assert forward_stream_batch(redelivered, bus.publisher(bus.events)) == {"batchItemFailures": []}
    total = first_pass + bus.delivered()
    assert set(total) == {event_id(n) for n in range(1, 16)}, "none lost"
    # Repeats are only of records Lambda itself sent again (after the checkpoint, taken
    # the first time); consumers drop them by eventId. Nothing before it came twice.
    assert {e for e, times in total.items() if times > 1} == {
        event_id(n) for n in (4, 5, 6, 8, 9, 10)
    }
