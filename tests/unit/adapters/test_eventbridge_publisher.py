"""The EventBridge publisher's batching and retries, against a hand-written PutEvents."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError

from ecobid_adapters.aws.event_codec import event_from_detail
from ecobid_adapters.aws.eventbridge import EventBridgePublisher
from ecobid_adapters.aws.wire_event import WireEvent
from ecobid_core.errors import Unavailable
from ecobid_core.model.events import ImageProcessed


class FakeEvents:
    """Answers PutEvents from a script: per call, the positions of entries to refuse."""

    def __init__(self, refusals: list[set[int]] | None = None) -> None:
        self._refusals: Iterator[set[int]] = iter(refusals or [])
        self.calls: list[list[dict[str, Any]]] = []

    def put_events(self, Entries: list[dict[str, Any]]) -> dict[str, Any]:
        assert 1 <= len(Entries) <= 10, "PutEvents takes 1 to 10 entries"
        self.calls.append(Entries)
        refused = next(self._refusals, set())
        results = [
            {"ErrorCode": "ThrottlingException", "ErrorMessage": "Rate exceeded"}
            if position in refused
            else {"EventId": f"eb-{len(self.calls)}-{position}"}
            for position in range(len(Entries))
        ]
        return {"FailedEntryCount": len(refused), "Entries": results}


def processed(n: int) -> ImageProcessed:
    return ImageProcessed(
        event_id=f"ImageProcessed:img-{n}:1",
        occurred_at=datetime(2030, 1, 1, tzinfo=UTC),
        item_id="item",
        image_id=f"img-{n}",
        status="ready",
    )


def publisher(client: Any, sleeps: list[float], attempts: int = 5) -> EventBridgePublisher:
    return EventBridgePublisher(client, "bus", max_attempts=attempts, sleep=sleeps.append)


def test_entries_carry_bus_source_type_and_the_detail() -> None:
    client, sleeps = FakeEvents(), list[float]()
    publisher(client, sleeps).publish([processed(1)])
    (entry,) = client.calls[0]
    assert entry["EventBusName"] == "bus"
    assert entry["Source"] == "ecobid"
    assert entry["DetailType"] == "ImageProcessed"
    assert entry["Time"] == processed(1).occurred_at
    detail = json.loads(entry["Detail"])
    assert detail["eventId"] == "ImageProcessed:img-1:1"
    assert event_from_detail(entry["DetailType"], entry["Detail"]) == processed(1)


def test_events_are_sent_ten_at_a_time() -> None:
    client, sleeps = FakeEvents(), list[float]()
    publisher(client, sleeps).publish([processed(n) for n in range(25)])
    assert [len(call) for call in client.calls] == [10, 10, 5]
    assert sleeps == []


def test_only_refused_entries_are_sent_again_with_growing_pauses() -> None:
    client, sleeps = FakeEvents([{1, 3}, {0}, set()]), list[float]()
    publisher(client, sleeps).publish([processed(n) for n in range(4)])
    sent = [[json.loads(e["Detail"])["imageId"] for e in call] for call in client.calls]
    assert sent == [["img-0", "img-1", "img-2", "img-3"], ["img-1", "img-3"], ["img-1"]]
    assert sleeps == [0.1, 0.2]


def test_entries_still_refused_after_the_last_attempt_make_it_unavailable() -> None:
    client, sleeps = FakeEvents([{0}, {0}, {0}]), list[float]()
    with pytest.raises(Unavailable, match=r"1 events were not accepted.*ThrottlingException"):
        publisher(client, sleeps, attempts=3).publish([processed(1), processed(2)])
    assert len(client.calls) == 3
    assert sleeps == [0.1, 0.2]


class BrokenEvents:
    def __init__(self, error: Exception) -> None:
        self.error = error

    def put_events(self, Entries: list[dict[str, Any]]) -> dict[str, Any]:
        raise self.error


def client_error(code: str, status: int) -> ClientError:
    response: Any = {"Error": {"Code": code}, "ResponseMetadata": {"HTTPStatusCode": status}}
    return ClientError(response, "PutEvents")


@pytest.mark.parametrize(
    "error",
    [
        client_error("ThrottlingException", 400),
        client_error("InternalFailure", 500),
        EndpointConnectionError(endpoint_url="https://events.example"),
    ],
    ids=["throttled", "server-error", "no-connection"],
)
def test_a_bus_that_stays_down_is_unavailable(error: Exception) -> None:
    with pytest.raises(Unavailable):
        publisher(BrokenEvents(error), []).publish([processed(1)])


def test_a_request_the_bus_rejects_as_invalid_is_not_disguised() -> None:
    error = client_error("ValidationException", 400)
    with pytest.raises(ClientError):
        publisher(BrokenEvents(error), []).publish([processed(1)])


def test_a_forwarded_detail_goes_into_put_events_as_it_is() -> None:
    client, sleeps = FakeEvents(), list[float]()
    odd = '{ "title": "Lampe \\u00e9t\\u00e9 🪑", "z": 1.50, "eventId": "e" }'
    wire = WireEvent("e", "ItemWithdrawn", datetime(2030, 1, 1, tzinfo=UTC), odd)
    publisher(client, sleeps).forward([wire])
    (entry,) = client.calls[0]
    assert entry["Detail"].encode() == odd.encode()
    assert (entry["DetailType"], entry["Time"]) == ("ItemWithdrawn", wire.occurred_at)
