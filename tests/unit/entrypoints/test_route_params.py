"""Each route's parameters, declared once: the document publishes them, the view reads them."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ecobid_entrypoints.api import params as params_module
from ecobid_entrypoints.api.openapi import document
from ecobid_entrypoints.api.routes import ROUTES, Route, by_name
from ecobid_entrypoints.container import build_container
from tests.support.lambda_events import proxy_event

DOC = document()


def documented(route: Route) -> dict[tuple[str, str], dict[str, Any]]:
    """(in, name) -> schema of every parameter the document gives the route."""
    found = {}
    for entry in DOC["paths"][route.resource][route.method.lower()].get("parameters", []):
        found[(entry["in"], entry["name"])] = {**entry["schema"], "required": entry["required"]}
    return found


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_the_document_has_exactly_the_declared_parameters(route: Route) -> None:
    expected = {}
    for param in route.params.items:
        expected[(param.where, param.name)] = {**param.schema, "required": param.required}
    assert documented(route) == expected
    path_names = {part[1:-1] for part in route.resource.split("/") if part.startswith("{")}
    assert {name for where, name in expected if where == "path"} == path_names
    assert all(expected[("path", name)]["required"] for name in path_names)


def test_defaults_agree_with_what_the_views_use() -> None:
    get_items = documented(by_name("GetItems"))
    assert get_items[("query", "limit")]["default"] == 20
    assert get_items[("query", "radiusKm")]["default"] == 5
    assert documented(by_name("GetNotifications"))[("query", "limit")]["default"] == 50


def test_search_parameters_are_separate_optional_primitives_with_their_rules_in_words() -> None:
    """API Gateway's validator checks a required query parameter by name, and generators
    give an object parameter no keyword arguments: each is its own, none required; the rule
    between them is the function's, and the description says it."""
    operation = DOC["paths"]["/items"]["get"]
    query = [p for p in operation["parameters"] if p["in"] == "query"]
    assert [p["name"] for p in query] == [
        "lat", "lon", "radiusKm", "category", "type", "limit", "cursor", "ownerId"
    ]  # fmt: skip
    assert all(p["schema"]["type"] in {"string", "number", "integer"} for p in query)
    assert not any(p["required"] for p in query)
    assert "Give lat and lon or ownerId." in operation["description"]
    assert "lat and lon come together" in operation["description"]


@pytest.mark.parametrize(
    ("query", "field"),
    [({"lat": "1"}, "lon"), ({"lon": "1"}, "lat"), ({}, "lat"), ({"radiusKm": "2"}, "lat")],
)
def test_the_rule_between_search_parameters_is_the_functions_400(query, field) -> None:
    handle = build_container("memory").api().handle
    event = proxy_event("GET", "/items", "/items")
    event["queryStringParameters"] = query or None
    reply = handle(event)
    assert reply["statusCode"] == 400
    error = json.loads(reply["body"])["error"]
    assert error["code"] == "validation_error"
    assert error["details"][0]["field"] == field


class Recording(dict):
    """The parsed parameters, noting which of them the view reads."""

    read: set[str] = set()

    def __getitem__(self, key: str) -> Any:
        Recording.read.add(key)
        return super().__getitem__(key)


# Requests that together take each route down every path that reads a parameter.
QUERIES = {
    "GetItems": [
        {
            "lat": "52.5",
            "lon": "13.4",
            "radiusKm": "2",
            "limit": "5",
            "type": "free",
            "category": "books",
        },
        {"ownerId": "user-1", "limit": "5"},
    ],
    "GetNotifications": [{"limit": "3"}],
}
HEADERS = {"UpdateItem": {"If-Match": '"1"'}}


@pytest.mark.parametrize(
    "route",
    [r for r in ROUTES if any(p.where != "path" for p in r.params.items)],
    ids=lambda r: r.name,
)
def test_every_declared_parameter_is_read_by_the_view(route: Route, monkeypatch) -> None:
    parse = params_module.Params.parse
    monkeypatch.setattr(
        params_module.Params, "parse", lambda self, req: Recording(parse(self, req))
    )
    Recording.read = set()
    app = build_container("memory").api()
    body = {
        "title": "Kettle",
        "category": "kitchen",
        "type": "free",
        "location": {"lat": 52.5, "lon": 13.4},
    }
    created = json.loads(app.handle(proxy_event("POST", "/items", "/items", body))["body"])
    for query in QUERIES.get(route.name, [{}]):
        event = proxy_event(
            route.method,
            route.resource,
            route.resource,
            {"title": "Lamp"} if route.request else None,
            params={"id": created["id"] if "items" in route.resource else "user-1"},
        )
        event["queryStringParameters"] = query or None
        event["headers"].update(HEADERS.get(route.name, {}))
        reply = app.handle(event)
        assert reply["statusCode"] == 200, reply["body"]
    declared = {p.name for p in route.params.items if p.where != "path"}
    assert declared <= Recording.read


@pytest.mark.parametrize(
    ("route", "where", "name", "bad"),
    [
        (r.name, p.where, p.name, bad)
        for r in ROUTES
        for p in r.params.items
        for bad in {"integer": ["x", "0", "1000"], "number": ["abc", "nan", "1000"]}.get(
            str(p.schema.get("type")),
            ["~nope~"] if ("enum" in p.schema or "pattern" in p.schema) else [],
        )
    ],
)
def test_a_bad_value_of_a_declared_parameter_is_a_400_naming_it(route, where, name, bad):
    declaration = by_name(route)
    app = build_container("memory").api()
    event = proxy_event(
        declaration.method,
        declaration.resource,
        "/x",
        {"title": "Lamp"} if declaration.request else None,
        params={"id": "x"},
    )
    if where == "query":
        others = {"lat": "1", "lon": "1"} if declaration.params.together else {}
        event["queryStringParameters"] = {**others, name: bad}
    else:
        event["headers"][name] = bad
    reply = app.handle(event)
    assert reply["statusCode"] == 400
    assert json.loads(reply["body"])["error"]["details"][0]["field"] == name


def _doc_accepts(schema_name: str, body: dict[str, Any]) -> bool:
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    registry = Registry().with_resource("urn:doc", Resource.opaque({"$id": "urn:doc", **DOC}))
    ref = {"$ref": f"urn:doc#/components/schemas/{schema_name}"}
    return Draft202012Validator(ref, registry=registry).is_valid(body)


def test_the_document_and_the_server_agree_on_item_types_and_integral_amounts() -> None:
    app = build_container("memory").api()
    ends = "2099-01-01T00:00:00Z"
    terms = {"startPrice": 100, "currency": "EUR", "endsAt": ends}
    base = {"title": "Kettle", "category": "kitchen", "location": {"lat": 52.5, "lon": 13.4}}
    free_with_terms = {**base, "type": "free", "auction": terms}
    auction_without = {**base, "type": "auction"}
    for body in (free_with_terms, auction_without):
        assert not _doc_accepts("CreateItemRequest", body)
        reply = app.handle(proxy_event("POST", "/items", "/items", body))
        assert reply["statusCode"] == 400
        assert json.loads(reply["body"])["error"]["details"][0]["field"] == "auction"
    # 1.0 is the integer 1 to JSON Schema; the server reads it so, and refuses 1.5.
    assert _doc_accepts("PlaceBidRequest", {"amount": 1.0})
    assert not _doc_accepts("PlaceBidRequest", {"amount": 1.5})
    from ecobid_entrypoints.api.validation import parse_body

    assert parse_body('{"amount": 1.0}', "PlaceBidRequest") == {"amount": 1}
    assert type(parse_body('{"amount": 700.0}', "PlaceBidRequest")["amount"]) is int
