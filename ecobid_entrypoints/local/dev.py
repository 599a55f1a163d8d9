"""The local server's ``/_dev`` namespace: tokens, a movable clock, jobs on demand.

Moving the clock on the memory backend also fires the one-time schedules it made due.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ecobid_core.timefmt import utc_iso
from ecobid_entrypoints.api.errors import ApiError, invalid
from ecobid_entrypoints.api.http import ApiResponse, error_response
from ecobid_entrypoints.container import Container
from ecobid_entrypoints.processors.jobs import JOBS

# The shape of an address, no more: Cognito (or the mail that never comes) judges the rest.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class DevEndpoints:
    def __init__(self, container: Container) -> None:
        self.container = container

    def handle(self, method: str, path: str, body: str | None) -> dict[str, Any]:
        try:
            if path == "/_dev/pushes":
                return self._pushes(method).to_proxy()
            if method != "POST":
                raise ApiError(
                    405,
                    "method_not_allowed",
                    "the /_dev endpoints take POST",
                    headers={"Allow": "POST"},
                )
            data = _object(body)
            if path == "/_dev/token":
                return self._token(data).to_proxy()
            if path == "/_dev/clock":
                return self._clock(data).to_proxy()
            if path.startswith("/_dev/jobs/"):
                return self._job(path.removeprefix("/_dev/jobs/")).to_proxy()
            raise ApiError(404, "not_found", "no such dev endpoint")
        except ApiError as error:
            return error_response(error)

    def _pushes(self, method: str) -> ApiResponse:
        if method != "GET":
            raise ApiError(
                405, "method_not_allowed", "/_dev/pushes takes GET", headers={"Allow": "GET"}
            )
        reader = self.container.dev_pushes()
        return ApiResponse(200, {"pushes": [] if reader is None else reader.recorded()})

    def _token(self, data: dict[str, Any]) -> ApiResponse:
        email = data.get("email")
        if not isinstance(email, str) or len(email) > 254 or not _EMAIL.fullmatch(email):
            raise invalid("email", "must be an email address")
        sign_in = self.container.dev_sign_in()
        if sign_in is None:
            raise ApiError(404, "not_found", "this backend signs users in through Cognito only")
        try:
            token, user_id = sign_in.issue(email)
        except ValueError:
            raise invalid("email", "must be an email address the user pool accepts") from None
        return ApiResponse(200, {"idToken": token, "userId": user_id})

    def _clock(self, data: dict[str, Any]) -> ApiResponse:
        seconds = data.get("advanceSeconds")
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
            raise invalid("advanceSeconds", "must be a number of seconds, 0 or more")
        if seconds > 10 * 365 * 86400:
            raise invalid("advanceSeconds", "must be at most ten years")
        now = self.container.clock().advance(seconds)
        # What the schedules would have run meanwhile runs now, before the answer.
        due = self.container.due_schedules()
        if due is not None:
            due.fire_due()
        return ApiResponse(200, {"now": utc_iso(now)})

    def _job(self, name: str) -> ApiResponse:
        job = JOBS.get(name)
        if job is None:
            raise ApiError(404, "not_found", f"no job {name!r}; jobs: {', '.join(sorted(JOBS))}")
        return ApiResponse(
            200, {"processed": job(self.container.unit_of_work, self.container.clock())}
        )


def _object(body: str | None) -> dict[str, Any]:
    if body is None or not body.strip():
        return {}
    try:
        data = json.loads(body)
    except ValueError:
        raise invalid("body", "is not valid JSON") from None
    if not isinstance(data, dict):
        raise invalid("body", "must be a JSON object")
    return data
