"""The OpenAPI document, the route table and the local server's router stay in step."""

from __future__ import annotations

import json
import re

import pytest
from jsonschema import Draft202012Validator

from ecobid_entrypoints.api.openapi import document
from ecobid_entrypoints.api.routes import ROUTES
from ecobid_entrypoints.local.events import match_resource
from tests.support.client import raw


def test_every_route_is_documented_and_nothing_else():
    doc = document()
    documented = {(m.upper(), path) for path, ops in doc["paths"].items() for m in ops}
    assert documented == {(r.method, r.resource) for r in ROUTES}
    assert doc["openapi"].startswith("3.1")


def test_every_schema_reference_resolves_and_every_schema_is_valid():
    doc = document()
    schemas = doc["components"]["schemas"]
    for schema in schemas.values():
        Draft202012Validator.check_schema(schema)
    text = str(doc)
    for name in {part.split("'")[0] for part in text.split("#/components/schemas/")[1:]}:
        assert name in schemas, name


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_the_local_router_reaches_every_route(route):
    names = re.findall(r"\{(\w+)\}", route.resource)
    values = {name: f"{name}-abc123" for name in names}
    path = route.resource
    for name, value in values.items():
        path = path.replace(f"{{{name}}}", value)
    assert match_resource(path) == (route.resource, values)


@pytest.mark.integration
def test_the_server_serves_the_document_without_a_token(api):
    reply = raw(api.url, "GET", "/openapi.json")
    assert reply.status == 200
    assert reply.body == document(api.url)


def test_every_link_names_a_real_operation_and_a_field_of_the_answer():
    """The links schemathesis' stateful run follows: each points at an operation that takes
    an ``id`` and at a field the linking answer's schema really has."""
    doc = document()
    schemas = doc["components"]["schemas"]
    operations = {op["operationId"]: op for ops in doc["paths"].values() for op in ops.values()}
    followed = set()
    for op in operations.values():
        for status, answer in op["responses"].items():
            for link in answer.get("links", {}).values():
                target = operations[link["operationId"]]
                assert any(p["name"] == "id" for p in target.get("parameters", [])), link
                pointer = link["parameters"]["id"].removeprefix("$response.body#/").split("/")
                schema = answer["content"]["application/json"]["schema"]
                for part in pointer:
                    name = schema["$ref"].rsplit("/", 1)[-1] if "$ref" in schema else None
                    schema = (schemas[name] if name else schema)["properties"][part]
                assert status.startswith("2")
                followed.add(link["operationId"])
    assert {"GetItem", "ReserveItem", "CreateBid", "ConfirmReservation", "CreateRating"} <= followed


def test_query_rules_an_empty_string_breaks_are_published():
    """ownerId and cursor: ``?ownerId=`` lists nobody's items, and a cursor is base64url."""
    doc = document()
    parameters = doc["paths"]["/items"]["get"]["parameters"]
    query = {entry["name"]: entry["schema"] for entry in parameters}
    assert query["ownerId"]["minLength"] == 1
    cursor = Draft202012Validator(query["cursor"])
    assert cursor.is_valid("eyJhIjoxfQ")
    assert not cursor.is_valid("!!")
    assert not cursor.is_valid("a" * 513)


def test_the_headers_answers_carry_are_documented():
    """ETag, Location: what the views send beyond CORS is in the document, and no more."""
    from ecobid_entrypoints.container import build_container
    from tests.support.lambda_events import proxy_event

    doc = document()
    app = build_container("memory").api()
    body = {"title": "Lamp", "category": "kitchen", "type": "free",
            "location": {"lat": 1, "lon": 1}}  # fmt: skip
    created = app.handle(proxy_event("POST", "/items", "/items", body))
    item_id = json.loads(created["body"])["id"]
    item = {"id": item_id}
    answers = {
        ("post", "/items", "201"): created,
        ("get", "/items/{id}", "200"): app.handle(
            proxy_event("GET", "/items/{id}", "/x", params=item)
        ),
        ("put", "/items/{id}", "200"): app.handle(
            proxy_event("PUT", "/items/{id}", "/x", {"title": "Lamp 2"}, params=item)
        ),
        ("post", "/items/{id}/reserve", "201"): app.handle(
            proxy_event("POST", "/items/{id}/reserve", "/x", sub="user-2", params=item)
        ),
    }
    for (method, path, status), reply in answers.items():
        assert reply["statusCode"] == int(status), reply["body"]
        sent = {
            name
            for name in reply["headers"]
            if not name.startswith("Access-Control-") and name not in {"Content-Type", "Vary"}
        }
        documented = doc["paths"][path][method]["responses"][status].get("headers", {})
        assert sent == set(documented), (method, path)
