"""The one text form of a time that leaves the backend: fixed-width ISO 8601 in UTC.

Storage, event details and API responses all write times with these two functions.
Fixed width (microseconds always written) makes text order time order, which DynamoDB
sort keys rely on; the ``Z`` suffix is what the API and the event details promise. A pure
function of a value, so it lives in the core where every layer can import it.
"""

from __future__ import annotations

from datetime import UTC, datetime

_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def utc_iso(moment: datetime) -> str:
    """``moment`` as ``YYYY-MM-DDTHH:MM:SS.ffffffZ``; a naive time is refused."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        # A naive time would be read as the machine's local time: refuse, do not guess.
        raise ValueError(f"a time to write needs a time zone: {moment!r}")
    return moment.astimezone(UTC).strftime(_TIME_FORMAT)


def parse_utc(text: str) -> datetime:
    """A time written by ``utc_iso`` (or any ISO 8601 text with an offset), in UTC."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"a stored time needs a time zone: {text!r}")
    return moment.astimezone(UTC)
