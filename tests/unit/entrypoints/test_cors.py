"""The functions' CORS origin comes from ECOBID_CORS_ORIGINS (Terraform's cors_origins),
not a hard-coded ``*``."""

from __future__ import annotations

import json

import pytest

from ecobid_entrypoints.api.cors import ORIGINS_ENV, allow_origin, allowed_origins
from ecobid_entrypoints.container import build_container
from tests.support.lambda_events import proxy_event

APP, ADMIN = "https://app.example.org", "https://admin.example.org"


def test_unset_allows_every_origin() -> None:
    assert allowed_origins({}) == ("*",)
    assert allow_origin("https://anyone.example", ("*",)) == "*"


def test_the_list_is_read_whole_and_trimmed() -> None:
    assert allowed_origins({ORIGINS_ENV: f" {APP}, {ADMIN} ,"}) == (APP, ADMIN)


@pytest.mark.parametrize(
    ("origin", "named"), [(ADMIN, ADMIN), (APP, APP), ("https://evil.example", APP), (None, APP)]
)
def test_a_function_names_the_requests_origin_only_when_it_is_allowed(
    monkeypatch, origin, named
) -> None:
    monkeypatch.setenv(ORIGINS_ENV, f"{APP},{ADMIN}")
    event = proxy_event("GET", "/items/{id}", "/items/nope", params={"id": "nope"})
    if origin:
        event["headers"]["Origin"] = origin
    reply = build_container("memory").api().handle(event)
    assert reply["statusCode"] == 404
    assert reply["headers"]["Access-Control-Allow-Origin"] == named
    assert reply["headers"]["Vary"] == "Origin"
    assert json.loads(reply["body"])["error"]["requestId"] == "req-1"
