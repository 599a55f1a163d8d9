"""The same refusal answers the same body on the local server and behind API Gateway.

Behind API Gateway a refusal comes from the gateway itself (its gateway responses and the
405 mock the AWS document declares) or from the function; the local server answers all of
them itself. A client must not be able to tell the two apart: same status, same error
object (only the request id differs), and a CORS origin on each.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest

from deploy.openapi_aws import aws_document
from ecobid_entrypoints.api.cors import ORIGINS_ENV
from ecobid_entrypoints.api.validation import MAX_BODY_BYTES
from ecobid_entrypoints.container import build_container
from ecobid_entrypoints.local.server import LocalServer
from tests.support.client import Api, raw
from tests.support.lambda_events import proxy_event

pytestmark = pytest.mark.integration

ORIGINS = "https://app.example.org,https://admin.example.org"


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(ORIGINS_ENV, ORIGINS)
        server = LocalServer(build_container("memory"), "127.0.0.1", 0, rate_limit=None).start()
        yield server
        server.stop()


@pytest.fixture(scope="module")
def token(server: LocalServer) -> str:
    return Api(server.url).token_for("parity@example.com")[0]


def _gateway(kind: str) -> tuple[int, dict]:
    """What API Gateway answers itself for ``kind``, its request id left as it fills it."""
    response = aws_document()["x-amazon-apigateway-gateway-responses"][kind]
    return int(response["statusCode"]), json.loads(
        response["responseTemplates"]["application/json"]
    )


def _gateway_405(path: str) -> tuple[int, dict]:
    answer = aws_document()["paths"][path]["x-amazon-apigateway-any-method"]
    default = answer["x-amazon-apigateway-integration"]["responses"]["default"]
    body = default["responseTemplates"]["application/json"].split("\n")[-1]
    return int(default["statusCode"]), json.loads(body)


def _function(event: dict) -> tuple[int, dict]:
    """What the function behind the gateway answers for ``event``."""
    reply = build_container("memory").api().handle(event)
    return reply["statusCode"], json.loads(reply["body"])


def _without_request_id(body: dict) -> dict:
    error = dict(body["error"])
    assert re.fullmatch(r"[\w$.-]+", error.pop("requestId")), body
    return {"error": error}


def _same(local, aws) -> None:
    assert local.status == aws[0]
    assert _without_request_id(local.body) == _without_request_id(aws[1])
    assert local.headers["access-control-allow-origin"] == "https://app.example.org"


def test_missing_token(server):
    local = raw(server.url, "GET", "/items/x", headers={"Origin": "https://app.example.org"})
    _same(local, _gateway("UNAUTHORIZED"))


def test_unknown_route(server, token):
    local = raw(server.url, "GET", "/nowhere", headers={"Authorization": f"Bearer {token}"})
    _same(local, _gateway("MISSING_AUTHENTICATION_TOKEN"))


def test_method_the_path_does_not_take(server, token):
    local = raw(server.url, "PATCH", "/items", headers={"Authorization": f"Bearer {token}"})
    _same(local, _gateway_405("/items"))
    assert "POST" in local.headers["allow"]


def test_oversized_body(server, token):
    big = {"title": "x" * (MAX_BODY_BYTES + 1)}
    local = raw(server.url, "POST", "/items", big, headers={"Authorization": f"Bearer {token}"})
    _same(local, _gateway("REQUEST_TOO_LARGE"))
    # Under the gateway's own 10 MB limit, the function refuses it in the same words.
    event = proxy_event("POST", "/items", "/items", big)
    _same(local, _function(event))


def test_bad_parameter(server, token):
    """API Gateway's validator checks a parameter's presence, not its value: the
    function refuses it, and the local server runs the same function."""
    local = raw(
        server.url, "GET", "/items?lat=north&lon=1", headers={"Authorization": f"Bearer {token}"}
    )
    event = proxy_event("GET", "/items", "/items")
    event["queryStringParameters"] = {"lat": "north", "lon": "1"}
    _same(local, _function(event))
    assert local.body["error"]["details"][0]["field"] == "lat"


def test_an_allowed_origin_is_named_and_another_gets_the_first(server, token):
    auth = {"Authorization": f"Bearer {token}"}
    admin = raw(
        server.url,
        "GET",
        "/items?lat=1&lon=1",
        headers={**auth, "Origin": "https://admin.example.org"},
    )
    assert admin.status == 200
    assert admin.headers["access-control-allow-origin"] == "https://admin.example.org"
    assert admin.headers["vary"] == "Origin"
    other = raw(
        server.url, "GET", "/items?lat=1&lon=1", headers={**auth, "Origin": "https://evil.example"}
    )
    assert other.headers["access-control-allow-origin"] == "https://app.example.org"
