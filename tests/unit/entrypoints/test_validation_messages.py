"""Refusals of a body name the field and the rule, and never repeat the value."""

from __future__ import annotations

import json

import pytest

from ecobid_core.errors import ValidationFailed
from ecobid_entrypoints.api.errors import ApiError
from ecobid_entrypoints.api.media import accepts_json
from ecobid_entrypoints.api.problems import MAX_DETAILS
from ecobid_entrypoints.api.validation import parse_body

ITEM = {"title": "Lamp", "category": "other", "type": "free", "location": {"lat": 1, "lon": 2}}
HOSTILE = "\u00e5<script>" * 4_450  # over 60 KiB as JSON text, in one value


def _refusal(body: dict, schema: str = "CreateItemRequest") -> ApiError:
    with pytest.raises(ApiError) as refused:
        parse_body(json.dumps(body), schema)
    assert refused.value.status == 400
    assert refused.value.code == "validation_error"
    return refused.value


@pytest.mark.parametrize(
    ("body", "schema", "field", "message"),
    [
        ({**ITEM, "title": 5}, "CreateItemRequest", "title", "must be a string"),
        ({**ITEM, "title": ""}, "CreateItemRequest", "title", "must not be empty"),
        (
            {**ITEM, "title": HOSTILE},
            "CreateItemRequest",
            "title",
            "must be at most 120 characters",
        ),
        (
            {**ITEM, "title": " \u00a0 "},
            "CreateItemRequest",
            "title",
            "must have a character other than white space",
        ),
        (
            {**ITEM, "title": "a\x07b"},
            "CreateItemRequest",
            "title",
            "must not contain a control character (has U+0007)",
        ),
        (
            {**ITEM, "category": HOSTILE},
            "CreateItemRequest",
            "category",
            "must be one of furniture, electronics, clothing, books, kitchen, garden, toys,"
            " sports, other",
        ),
        (
            {**ITEM, "location": {"lat": 91, "lon": 0}},
            "CreateItemRequest",
            "location.lat",
            "must be at most 90",
        ),
        (
            {**ITEM, "location": {"lat": -91, "lon": 0}},
            "CreateItemRequest",
            "location.lat",
            "must be at least -90",
        ),
        (
            {"title": "Lamp", "category": "other", "type": "free"},
            "CreateItemRequest",
            "location",
            "is required",
        ),
        (
            {**ITEM, "\u00e5" * 100: HOSTILE},
            "CreateItemRequest",
            ("\\xe5" * 10)[:37] + "...",
            "is not a known field",
        ),
        ({**ITEM, "type": "auction"}, "CreateItemRequest", "auction", "is required"),
        ({**ITEM, "auction": HOSTILE}, "CreateItemRequest", "auction", "must not be given here"),
        ({"amount": 1.5}, "PlaceBidRequest", "amount", "must be an integer"),
        ({"amount": 0}, "PlaceBidRequest", "amount", "must be at least 1"),
        ({}, "UpdateItemRequest", "body", "must have at least 1 field"),
        (
            {"location": {"lat": HOSTILE, "lon": 0}},
            "UpdateProfileRequest",
            "location.lat",
            "must be a number",
        ),
        (
            {"bio": HOSTILE + "\u2028"},
            "UpdateProfileRequest",
            "bio",
            "must be at most 500 characters",
        ),
        (
            {"comment": "ok\u202d", "score": 3},
            "CreateRatingRequest",
            "comment",
            "must not contain a bidirectional embedding or override (has U+202D)",
        ),
        (
            {"contentType": HOSTILE},
            "ImageUploadRequest",
            "contentType",
            "must be one of image/jpeg, image/png, image/webp",
        ),
    ],
)
def test_each_kind_of_refusal_names_its_rule(body, schema, field, message) -> None:
    refused = _refusal(body, schema)
    assert {"field": field, "message": message} in refused.details
    rendered = json.dumps(refused.body())
    assert "<script>" not in rendered
    assert len(rendered) < 1024


def test_a_60_kib_value_gives_a_short_error_without_it() -> None:
    body = json.dumps({**ITEM, "title": HOSTILE, "description": "\x00"})
    assert len(body.encode()) > 60 * 1024
    with pytest.raises(ApiError) as refused:
        parse_body(body, "CreateItemRequest")
    rendered = json.dumps(refused.value.body())
    assert len(rendered) < 1024
    assert "<script>" not in rendered and "\\u00e5" not in rendered
    assert refused.value.details == [
        {"field": "description", "message": "must not contain a control character (has U+0000)"},
        {"field": "title", "message": "must be at most 120 characters"},
    ]


def test_the_number_of_details_is_bounded() -> None:
    body = {**ITEM, **{f"extra{n}": n for n in range(500)}}
    refused = _refusal(body)
    assert len(refused.details) == MAX_DETAILS
    assert refused.details[-1] == {
        "field": "body",
        "message": f"and {500 - MAX_DETAILS + 1} more problems",
    }
    assert len(json.dumps(refused.body())) < 1024


@pytest.mark.parametrize("where", ["title", "location.lat", "key"])
def test_a_lone_surrogate_anywhere_is_refused_before_anything_encodes_it(where) -> None:
    value = '"\\udc80x"'
    bodies = {
        "title": '{"title": VALUE}',
        "location.lat": '{"location": {"lat": VALUE, "lon": 1}}',
        "key": "{VALUE: 1}",
    }
    with pytest.raises(ValidationFailed) as refused:
        parse_body(bodies[where].replace("VALUE", value), "UpdateItemRequest")
    assert refused.value.details == [
        {
            "field": "body" if where == "key" else where,
            "message": "must be valid Unicode (has a lone surrogate U+DC80)",
        }
    ]


def test_strings_are_put_in_nfc_before_their_length_is_checked() -> None:
    decomposed = "e\u0301" * 120  # 240 code points, 120 once composed
    data = parse_body(json.dumps({"title": decomposed}), "UpdateItemRequest")
    assert data == {"title": "\u00e9" * 120}


@pytest.mark.parametrize(
    ("accept", "ok"),
    [
        ("application/json", True),
        ("APPLICATION/JSON; charset=utf-8", True),
        ("*/*", True),
        ("application/*", True),
        ("text/html, application/json;q=0.5", True),
        ("text/html;q=0.9, */*;q=0.1", True),
        ("text/html", False),
        ("text/html, application/xml", False),
        ("application/json;q=0", False),
        ("application/json;q=0, */*", False),
        ("*/*;q=0", False),
        ("text/*", False),
        ("nonsense", True),
        ("application/json;q=abc", True),
    ],
)
def test_accept_is_read_by_its_most_specific_range(accept, ok) -> None:
    assert accepts_json(accept) is ok
