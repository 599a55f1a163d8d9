"""The OpenAPI document, the route table and the local server's router stay in step."""

from __future__ import annotations

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
    path = route.resource.replace("{id}", "abc123")
    assert match_resource(path) == (
        route.resource,
        {"id": "abc123"} if "{id}" in route.resource else {},
    )


@pytest.mark.integration
def test_the_server_serves_the_document_without_a_token(api):
    reply = raw(api.url, "GET", "/openapi.json")
    assert reply.status == 200
    assert reply.body == document(api.url)
