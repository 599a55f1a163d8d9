"""The cursor codec: what it writes it reads back; anything else is a 400 on ``cursor``."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta, timezone

import hypothesis.strategies as st
import pytest
from hypothesis import given, settings

from ecobid_adapters import cursors
from ecobid_core.errors import ValidationFailed

SHAPE = (float, str, float)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=20,
)


def _sealed(payload: bytes) -> str:
    """A cursor with a valid checksum around any payload: only the shape check is left."""
    check = cursors._check(payload)
    return base64.urlsafe_b64encode(check + payload).decode().rstrip("=")


def _refused(cursor: str, shape: tuple[type, ...] = SHAPE) -> None:
    with pytest.raises(ValidationFailed) as raised:
        cursors.decode(cursor, "kind", shape)
    assert [d["field"] for d in raised.value.details] == ["cursor"]


@given(st.floats(0, 1e6), st.text(max_size=40), st.floats(0, 100))
def test_what_it_writes_it_reads_back(distance: float, item_id: str, width: float) -> None:
    cursor = cursors.encode("kind", [distance, item_id, width])
    assert cursors.decode(cursor, "kind", SHAPE) == (distance, item_id, width)
    assert len(cursor) <= cursors.MAX_CURSOR_CHARS
    _refused(cursor.replace(cursor[-1], "A" if cursor[-1] != "A" else "B"))  # tampered
    with pytest.raises(ValidationFailed):
        cursors.decode(cursor, "other kind", SHAPE)


@settings(max_examples=300)
@given(st.binary(max_size=600) | st.text(max_size=600).map(str.encode))
def test_arbitrary_bytes_are_refused(raw: bytes) -> None:
    _refused(base64.urlsafe_b64encode(raw).decode())
    _refused(raw.decode("latin-1"))


@settings(max_examples=300)
@given(json_values)
def test_arbitrary_json_even_with_a_valid_checksum_is_refused(value: object) -> None:
    payload = json.dumps(value).encode()
    _refused(_sealed(payload))


@pytest.mark.parametrize(
    "payload",
    [
        b"[" * 990 + b"]" * 990,  # deep nesting: once a RecursionError and a 500
        b'["kind", NaN, "a", 1]',
        b'["kind", Infinity, "a", 1]',
        b'["kind", 1e999, "a", 1]',
        b'["kind", true, "a", 1]',
        b'["kind", 1, 2, 1]',
        b'["kind", 1, "a"]',
        b'["kind", 1, "a", 1, 5]',
        b'{"kind": 1}',
        b"\xff\xfe",
    ],
)
def test_hostile_payloads_are_refused(payload: bytes) -> None:
    _refused(_sealed(payload))


def test_oversize_is_refused_before_decoding() -> None:
    _refused(cursors.encode("kind", [1.0, "x" * 600, 1.0]))


def test_a_time_position_reads_back_and_must_be_an_aware_time() -> None:
    moment = datetime(2030, 3, 14, 15, 9, 26, 535897, tzinfo=UTC)
    cursor = cursors.encode_time_id("owner-items", moment, "item-1")
    assert cursors.decode_time_id(cursor, "owner-items") == (moment, "item-1")
    shifted = moment.astimezone(timezone(timedelta(hours=2)))
    assert cursors.decode_time_id(
        cursors.encode_time_id("owner-items", shifted, "i"), "owner-items"
    ) == (moment, "i")
    for text in ("2030-03-14T15:09:26", "yesterday"):
        with pytest.raises(ValidationFailed):
            cursors.decode_time_id(cursors.encode("owner-items", [text, "i"]), "owner-items")
