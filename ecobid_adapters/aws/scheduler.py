"""One-time EventBridge Scheduler schedules that invoke a job's Lambda function.

Each schedule is ``at(...)`` in UTC with the flexible window off, so it fires within the
minute of its time, and ``ActionAfterCompletion: DELETE``, so fired schedules do not pile
up against the account's quota. The target is the job's function, invoked with the
payload as its event through a role the scheduler assumes. A target that keeps failing
is retried for at most an hour (``RetryPolicy``) and then, with a dead-letter queue
configured, the event goes there instead of vanishing; the role that runs the schedule
sends it, so it needs ``sqs:SendMessage`` on the queue
(https://docs.aws.amazon.com/scheduler/latest/UserGuide/configuring-schedule-dlq.html).

``at`` takes whole seconds: a time is rounded up, never down, so the job cannot fire
before its record is due (and find nothing to do). A one-time schedule whose time has
passed may never fire, so a time in the past is moved to just ahead of now.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from ecobid_adapters.aws.failures import error_code, unavailable_when_transient

#: How far ahead of now a schedule whose time has passed is put.
CATCH_UP = timedelta(seconds=30)
#: Scheduler's retries of a failed invocation: the jobs are idempotent, and past an hour
#: the periodic sweeps have done the work anyway.
RETRY_POLICY = {"MaximumRetryAttempts": 8, "MaximumEventAgeInSeconds": 3600}


class EventBridgeScheduler:
    """``Scheduler`` on one schedule group; ``targets`` maps job names to function ARNs."""

    def __init__(
        self,
        client: Any,
        group: str | None,
        role_arn: str | None,
        targets: Mapping[str, str | None],
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        dead_letter_arn: str | None = None,
    ) -> None:
        if not group or not role_arn:
            # Settings are optional for functions that never schedule: fail loudly here.
            raise LookupError(
                "scheduling needs ECOBID_SCHEDULE_GROUP and ECOBID_SCHEDULER_ROLE_ARN"
            )
        self._scheduler = client
        self._group = group
        self._role_arn = role_arn
        self._targets = {name: arn for name, arn in targets.items() if arn}
        self._now = now
        self._dead_letter_arn = dead_letter_arn

    def schedule(self, name: str, at: datetime, target: str, payload: Mapping[str, str]) -> None:
        definition = self._definition(name, at, target, payload)
        with unavailable_when_transient("the scheduler"):
            # Create or update, whichever applies; a schedule may also fire and vanish
            # between the two, hence one more create.
            for write in (self._create, self._update, self._create):
                if write(definition):
                    return
        raise RuntimeError(f"schedule {name} kept changing while it was written")

    def cancel(self, name: str) -> None:
        with unavailable_when_transient("the scheduler"):
            try:
                self._scheduler.delete_schedule(Name=name, GroupName=self._group)
            except ClientError as error:
                if error_code(error) != "ResourceNotFoundException":
                    raise

    def _create(self, definition: dict[str, Any]) -> bool:
        try:
            self._scheduler.create_schedule(**definition)
        except ClientError as error:
            if error_code(error) == "ConflictException":
                return False
            raise
        return True

    def _update(self, definition: dict[str, Any]) -> bool:
        # UpdateSchedule replaces the whole definition: it gets every field create does.
        try:
            self._scheduler.update_schedule(**definition)
        except ClientError as error:
            if error_code(error) == "ResourceNotFoundException":
                return False
            raise
        return True

    def _definition(
        self, name: str, at: datetime, target: str, payload: Mapping[str, str]
    ) -> dict[str, Any]:
        arn = self._targets.get(target)
        if arn is None:
            raise LookupError(f"no function ARN is configured for {target!r}")
        invocation: dict[str, Any] = {
            "Arn": arn,
            "RoleArn": self._role_arn,
            "Input": json.dumps(dict(payload), separators=(",", ":")),
            "RetryPolicy": dict(RETRY_POLICY),
        }
        if self._dead_letter_arn:
            invocation["DeadLetterConfig"] = {"Arn": self._dead_letter_arn}
        return {
            "Name": name,
            "GroupName": self._group,
            "ScheduleExpression": at_expression(max(at, self._now() + CATCH_UP)),
            "ScheduleExpressionTimezone": "UTC",
            "FlexibleTimeWindow": {"Mode": "OFF"},
            "ActionAfterCompletion": "DELETE",
            "Target": invocation,
        }


def at_expression(at: datetime) -> str:
    """``at(yyyy-mm-ddThh:mm:ss)`` in UTC, rounded up to the next whole second."""
    if at.tzinfo is None:
        raise ValueError("a schedule's time must be timezone-aware")
    utc = at.astimezone(UTC)
    whole = utc.replace(microsecond=0) + timedelta(seconds=math.ceil(utc.microsecond / 1e6))
    return f"at({whole:%Y-%m-%dT%H:%M:%S})"
