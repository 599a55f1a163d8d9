"""One text form of a time, for storage, events and responses alike."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecobid_adapters.aws.dynamodb.codec import to_record
from ecobid_adapters.aws.event_codec import event_to_detail
from ecobid_core.timefmt import parse_utc, utc_iso
from ecobid_entrypoints.api import present
from tests.contract import builders as b

BERLIN = timezone(timedelta(hours=1))
moments = st.datetimes(
    min_value=datetime(1970, 1, 1), max_value=datetime(9999, 12, 30), timezones=st.just(UTC)
)


def test_the_form_is_fixed_width_microseconds_in_utc_with_z() -> None:
    assert utc_iso(datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)) == "2030-01-02T03:04:05.000000Z"
    assert utc_iso(datetime(2030, 1, 2, 4, 4, 5, 7, tzinfo=BERLIN)) == (
        "2030-01-02T03:04:05.000007Z"
    )


def test_a_naive_time_is_refused_both_ways() -> None:
    with pytest.raises(ValueError, match="time zone"):
        utc_iso(datetime(2030, 1, 2))
    with pytest.raises(ValueError, match="time zone"):
        parse_utc("2030-01-02T03:04:05")


@given(moments, moments)
def test_text_order_is_time_order_and_parsing_gives_the_time_back(a: datetime, b: datetime) -> None:
    assert parse_utc(utc_iso(a)) == a
    assert (utc_iso(a) < utc_iso(b)) == (a < b)


def test_storage_events_and_responses_write_the_same_text() -> None:
    created = datetime(2030, 5, 6, 7, 8, 9, 123456, tzinfo=UTC)
    item = b.free_item(now=created, owner="o")
    text = "2030-05-06T07:08:09.123456Z"
    body = present.item(item, "o", created, lambda *_: "")
    assert (body["createdAt"], body["updatedAt"]) == (text, text)
    assert to_record(item)["created_at"] == text
    assert event_to_detail(item.pull_events()[0])["occurredAt"] == text
