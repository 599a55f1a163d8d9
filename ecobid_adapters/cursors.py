"""The one codec of paging cursors, for every listing of both adapter families.

A cursor is a position the client hands back unchanged: base64url of a checksum and a
flat JSON array ``[kind, *values]``. The checksum makes an edited or invented cursor a
400 before anything reads it (it is no secret: nothing a cursor says grants access),
the kind keeps one listing's cursor out of another, and the decoder accepts exactly the
shape the listing asked for. Anything else, however odd (random bytes, deep nesting,
NaN, huge numbers, wrong types, oversize) is ``ValidationFailed`` on ``cursor``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import math
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from ecobid_core.errors import ValidationFailed

Scalar = str | int | float

#: The kinds of listing; a cursor of one is refused by every other.
OWNER_ITEMS = "owner-items"
NEARBY_ITEMS = "nearby-items"
USER_TRANSACTIONS = "user-transactions"
RATINGS_RECEIVED = "ratings-received"
USER_RESERVATIONS = "user-reservations"

#: Longer than any cursor this codec writes; refused before any decoding work.
MAX_CURSOR_CHARS = 512
_CHECK_BYTES = 6
_CONTEXT = b"ecobid-cursor-1"


def _check(payload: bytes) -> bytes:
    return hashlib.blake2b(payload, digest_size=_CHECK_BYTES, key=_CONTEXT).digest()


def encode(kind: str, values: Sequence[Scalar]) -> str:
    """The cursor of a position: ``kind`` names the listing, ``values`` the position."""
    payload = json.dumps([kind, *values], separators=(",", ":"), allow_nan=False).encode()
    return base64.urlsafe_b64encode(_check(payload) + payload).decode().rstrip("=")


def invalid(message: str = "is not a cursor this listing returned") -> ValidationFailed:
    return ValidationFailed.on("cursor", message)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is no position")


def _payload(cursor: str) -> bytes:
    if len(cursor) > MAX_CURSOR_CHARS or not cursor.isascii():
        raise invalid()
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    except (ValueError, binascii.Error):
        raise invalid() from None
    check, payload = raw[:_CHECK_BYTES], raw[_CHECK_BYTES:]
    if len(check) != _CHECK_BYTES or check != _check(payload):
        raise invalid()
    return payload


def _fits(value: Any, expected: type) -> bool:
    if isinstance(value, bool):
        return False  # JSON true is no number, whatever Python thinks
    if expected is float:
        return isinstance(value, int | float) and math.isfinite(value)
    return isinstance(value, expected)


def decode(cursor: str, kind: str, shape: Sequence[type]) -> tuple[Any, ...]:
    """The values of a cursor of ``kind`` with one value per type in ``shape``.

    ``float`` accepts any finite number (and gives a float); ``int`` and ``str`` accept
    exactly those. Checking the meaning of the values (a time, a range) is the caller's.
    """
    payload = _payload(cursor)
    try:
        # The length cap keeps nesting shallow; RecursionError is caught all the same,
        # since how deep the parser may go depends on the stack it is called from.
        values = json.loads(payload, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):
        raise invalid() from None
    if not isinstance(values, list) or len(values) != len(shape) + 1 or values[0] != kind:
        raise invalid()
    if not all(_fits(value, expected) for value, expected in zip(values[1:], shape, strict=True)):
        raise invalid()
    return tuple(
        float(value) if expected is float else value
        for value, expected in zip(values[1:], shape, strict=True)
    )


def encode_time_id(kind: str, moment: datetime, entity_id: str) -> str:
    """The cursor of a listing ordered by (time, id), such as an owner's items."""
    return encode(kind, [moment.isoformat(), entity_id])


def decode_time_id(cursor: str, kind: str) -> tuple[datetime, str]:
    text, entity_id = decode(cursor, kind, (str, str))
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise invalid() from None
    if moment.tzinfo is None:
        raise invalid()
    return moment, entity_id
