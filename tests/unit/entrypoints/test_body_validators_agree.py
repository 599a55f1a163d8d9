"""The fast check of a body and jsonschema agree, so that the fast one may decide alone
when a body passes (``api/validation.py``).

A body the fast check passes is never shown to jsonschema: if it ever passed what
jsonschema refuses, the API would take a body its contract refuses. The other way is
only slow (the body goes on to jsonschema, which decides), but then a valid body would
pay the import the fast check is there to spare. So both are held: a valid body of every
request schema passes both, and whatever the fast check passes among those bodies
broken, and among arbitrary JSON values, jsonschema passes too.
"""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import hypothesis.strategies as st
import pytest
from fastjsonschema import JsonSchemaException
from hypothesis import given, settings

from ecobid_entrypoints.api.schemas import COMPONENTS
from ecobid_entrypoints.api.validation import fast_check, full_validator

_PLACE = {"lat": 52.52, "lon": 13.405}
#: A valid body of every request schema, each field it may carry given.
VALID: dict[str, dict[str, Any]] = {
    "AlertRequest": {
        "location": _PLACE,
        "radiusKm": 2,
        "categories": ["books", "toys"],
        "type": None,
        "push": False,
    },
    "CreateItemRequest": {
        "title": "Oak table",
        "description": "Seats six.\nSome scratches.",
        "category": "furniture",
        "type": "auction",
        "location": _PLACE,
        "auction": {
            "startPrice": 100,
            "reservePrice": 500,
            "currency": "EUR",
            "endsAt": "2030-01-02T10:00:00Z",
        },
    },
    "CreateRatingRequest": {"score": 5, "comment": "Friendly and on time."},
    "ImageUploadRequest": {"contentType": "image/webp"},
    "MarkReadRequest": {"ids": ["n-1", "n-2"]},
    "PlaceBidRequest": {"amount": 1250},
    "PreferencesRequest": {"push": {"outbid": False, "item_nearby": True}},
    "PutDeviceRequest": {"platform": "ios", "token": "a1b2c3d4e5f6a7b8"},
    "UpdateItemRequest": {
        "title": "Oak table, two chairs",
        "description": "",
        "category": "furniture",
        "location": _PLACE,
    },
    "UpdateProfileRequest": {"displayName": "Dana", "bio": "Books.", "location": _PLACE},
}
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)


def _fast_passes(name: str, value: Any) -> bool:
    try:
        fast_check(name)(value)
    except JsonSchemaException:
        return False
    return True


def _full_passes(name: str, value: Any) -> bool:
    return not any(True for _ in full_validator(name).iter_errors(value))


def test_every_request_schema_has_a_valid_body_here() -> None:
    assert sorted(VALID) == sorted(name for name in COMPONENTS if name.endswith("Request"))


@pytest.mark.parametrize("name", sorted(VALID))
def test_a_valid_body_passes_both_and_the_fast_check_leaves_it_as_it_was(name: str) -> None:
    body = VALID[name]
    assert _full_passes(name, body)
    before = repr(body)
    assert _fast_passes(name, body)
    assert repr(body) == before  # no default filled in


@pytest.mark.parametrize("name", sorted(VALID))
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_what_the_fast_check_passes_jsonschema_passes(name: str, data: st.DataObject) -> None:
    body = VALID[name]
    broken: Any = {**body}
    for _ in range(data.draw(st.integers(1, 3))):
        key = data.draw(st.sampled_from(sorted(body)) | st.text(max_size=8))
        if data.draw(st.booleans()):
            broken.pop(key, None)
        else:
            broken[key] = data.draw(json_values | st.sampled_from(list(_leaves(body))))
    for value in (broken, data.draw(json_values)):
        if _fast_passes(name, value):
            assert _full_passes(name, value), value


def _leaves(value: Any) -> list[Any]:
    """Every value inside ``value``: a part of a valid body is a likely wrong one."""
    found = [value]
    if isinstance(value, dict):
        found += [leaf for inner in value.values() for leaf in _leaves(inner)]
    elif isinstance(value, list):
        found += [leaf for inner in value for leaf in _leaves(inner)]
    return found


def test_a_valid_body_is_parsed_without_importing_jsonschema() -> None:
    # A fresh interpreter: this one has imported jsonschema for the tests above.
    script = (
        "import json, sys\n"
        "from ecobid_entrypoints.api.validation import parse_body\n"
        f"parse_body(json.dumps({VALID['CreateItemRequest']!r}), 'CreateItemRequest')\n"
        "assert 'jsonschema' not in sys.modules, 'jsonschema was imported'\n"
        "try:\n"
        "    parse_body('{\"title\": 5}', 'CreateItemRequest')\n"
        "except Exception as refused:\n"
        "    print(type(refused).__name__, refused.details[0]['field'])\n"
    )
    done = subprocess.run(  # noqa: S603 - this interpreter, our own script
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    # A refused body still gets jsonschema's full account.
    assert done.stdout.split() == ["ApiError", "category"]
