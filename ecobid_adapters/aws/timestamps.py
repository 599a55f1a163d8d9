"""The one text form of a time that leaves the backend: fixed-width ISO 8601 in UTC.

Fixed width (microseconds always written) makes text order time order, which DynamoDB
sort keys rely on; the ``Z`` suffix is what the API and the event details promise.
"""

from __future__ import annotations

from datetime import UTC, datetime

_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def utc_iso(moment: datetime) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        # A naive time would be read as the machine's local time: refuse, do not guess.
        raise ValueError(f"a stored time needs a time zone: {moment!r}")
    return moment.astimezone(UTC).strftime(_TIME_FORMAT)


def parse_utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)
