"""The EventBridge Scheduler adapter's requests, against a hand-written client.

moto checks the stored result (tests/contract/test_deadlines.py); this holds the
adapter to the details moto does not judge: whole seconds rounded up, a past time moved
ahead, a schedule that fires and vanishes between create and update.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from botocore.exceptions import ClientError

from ecobid_adapters.aws.scheduler import CATCH_UP, EventBridgeScheduler, at_expression
from ecobid_core.errors import Unavailable

NOW = datetime(2030, 5, 1, 12, 0, 0, tzinfo=UTC)
TARGETS = {"EndAuction": "arn:aws:lambda:eu-central-1:1:function:end"}


def _error(code: str, status: int = 400) -> ClientError:
    response: Any = {"Error": {"Code": code}, "ResponseMetadata": {"HTTPStatusCode": status}}
    return ClientError(response, "op")


class Client:
    """Answers each call with the next scripted outcome: None (ok) or an error."""

    def __init__(self, *outcomes: ClientError | None) -> None:
        self.outcomes = list(outcomes)
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def _call(self, name: str, request: dict[str, Any]) -> dict[str, Any]:
        self.calls.append((name, request))
        outcome = self.outcomes.pop(0) if self.outcomes else None
        if outcome is not None:
            raise outcome
        return {}

    def create_schedule(self, **request: Any) -> dict[str, Any]:
        return self._call("create", request)

    def update_schedule(self, **request: Any) -> dict[str, Any]:
        return self._call("update", request)

    def delete_schedule(self, **request: Any) -> dict[str, Any]:
        return self._call("delete", request)


def adapter(client: Client) -> EventBridgeScheduler:
    return EventBridgeScheduler(client, "deadlines", "arn:role", TARGETS, now=lambda: NOW)


def test_at_takes_whole_seconds_rounded_up_in_utc() -> None:
    assert at_expression(NOW) == "at(2030-05-01T12:00:00)"
    assert at_expression(NOW + timedelta(microseconds=1)) == "at(2030-05-01T12:00:01)"
    cest = NOW.astimezone(timezone(timedelta(hours=2)))
    assert at_expression(cest) == "at(2030-05-01T12:00:00)"
    with pytest.raises(ValueError, match="timezone-aware"):
        at_expression(NOW.replace(tzinfo=None))


def test_a_new_schedule_is_one_create_with_the_whole_definition() -> None:
    client = Client()
    adapter(client).schedule(
        "auction-end-i1", NOW + timedelta(hours=1), "EndAuction", {"itemId": "i1"}
    )
    ((name, request),) = client.calls
    assert name == "create"
    assert request == {
        "Name": "auction-end-i1",
        "GroupName": "deadlines",
        "ScheduleExpression": "at(2030-05-01T13:00:00)",
        "ScheduleExpressionTimezone": "UTC",
        "FlexibleTimeWindow": {"Mode": "OFF"},
        "ActionAfterCompletion": "DELETE",
        "Target": {
            "Arn": TARGETS["EndAuction"],
            "RoleArn": "arn:role",
            "Input": '{"itemId":"i1"}',
            "RetryPolicy": {"MaximumRetryAttempts": 8, "MaximumEventAgeInSeconds": 3600},
        },
    }


def test_a_schedule_gives_up_to_the_dead_letter_queue_it_is_told() -> None:
    client = Client()
    EventBridgeScheduler(
        client, "deadlines", "arn:role", TARGETS, now=lambda: NOW, dead_letter_arn="arn:dlq"
    ).schedule("n", NOW + timedelta(hours=1), "EndAuction", {"itemId": "i"})
    target = client.calls[0][1]["Target"]
    assert target["DeadLetterConfig"] == {"Arn": "arn:dlq"}
    assert 0 < target["RetryPolicy"]["MaximumEventAgeInSeconds"] <= 86400


def test_an_existing_schedule_is_updated_and_one_that_vanished_is_created_again() -> None:
    client = Client(_error("ConflictException"), _error("ResourceNotFoundException"), None)
    adapter(client).schedule("n", NOW + timedelta(hours=1), "EndAuction", {"itemId": "i"})
    assert [name for name, _ in client.calls] == ["create", "update", "create"]
    assert client.calls[1][1] == client.calls[0][1]  # update repeats every field


def test_a_time_already_past_is_moved_just_ahead_of_now() -> None:
    client = Client()
    adapter(client).schedule("n", NOW - timedelta(days=1), "EndAuction", {"itemId": "i"})
    assert client.calls[0][1]["ScheduleExpression"] == at_expression(NOW + CATCH_UP)
    assert json.loads(client.calls[0][1]["Target"]["Input"]) == {"itemId": "i"}


def test_cancel_is_idempotent_and_an_unknown_target_is_refused() -> None:
    client = Client(_error("ResourceNotFoundException"))
    adapter(client).cancel("gone")
    assert client.calls == [("delete", {"Name": "gone", "GroupName": "deadlines"})]
    with pytest.raises(LookupError):
        adapter(Client()).schedule("n", NOW, "ExpireReservation", {})


def test_throttling_is_unavailable_and_a_bad_request_is_itself() -> None:
    with pytest.raises(Unavailable):
        adapter(Client(_error("ThrottlingException"))).schedule("n", NOW, "EndAuction", {})
    with pytest.raises(ClientError):
        adapter(Client(_error("ValidationException"))).schedule("n", NOW, "EndAuction", {})


def test_scheduling_without_its_settings_fails_loudly() -> None:
    with pytest.raises(LookupError, match="ECOBID_SCHEDULE_GROUP"):
        EventBridgeScheduler(Client(), None, None, {"EndAuction": None})
