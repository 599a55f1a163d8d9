"""The OpenAPI 3.1 document, generated from the route table and the published schemas."""

from __future__ import annotations

from typing import Any

from ecobid_entrypoints.api.routes import ROUTES, Route
from ecobid_entrypoints.api.schemas import COMPONENTS

_ERROR_STATUSES = {
    "400": "Validation error",
    "401": "Missing or invalid token",
    "403": "Not allowed",
    "404": "Not found",
    "409": "A business rule refused the request",
    "413": "Body over 64 KiB",
    "429": "Rate limited",
    "500": "Internal error",
    "503": "A dependency is unavailable; safe to retry",
}

_QUERY_SCHEMAS: dict[str, dict[str, Any]] = {
    "lat": {"type": "number", "minimum": -90, "maximum": 90},
    "lon": {"type": "number", "minimum": -180, "maximum": 180},
    "radiusKm": {"type": "number", "exclusiveMinimum": 0, "maximum": 50, "default": 5},
    "category": COMPONENTS["Item"]["properties"]["category"],
    "type": {"type": "string", "enum": ["free", "auction"]},
    "limit": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
    "cursor": {"type": "string"},
    "ownerId": {"type": "string"},
}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _operation(route: Route) -> dict[str, Any]:
    success: dict[str, Any] = {"description": route.summary}
    if route.response:
        success["content"] = {"application/json": {"schema": _ref(route.response)}}
    responses: dict[str, Any] = {str(route.status): success}
    for status, text in _ERROR_STATUSES.items():
        responses[status] = {
            "description": text,
            "content": {"application/json": {"schema": _ref("Error")}},
        }
    operation: dict[str, Any] = {
        "operationId": route.name,
        "summary": route.summary,
        "security": [{"cognito": []}],
        "responses": responses,
    }
    parameters = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in ("id",)
        if "{" + name + "}" in route.resource
    ]
    parameters += [
        {"name": name, "in": "query", "required": False, "schema": _QUERY_SCHEMAS[name]}
        for name in route.query
    ]
    if route.method == "PUT" and route.resource == "/items/{id}":
        parameters.append(
            {
                "name": "If-Match",
                "in": "header",
                "required": False,
                "description": 'The version you edited, e.g. "3": 409 version_conflict if stale',
                "schema": {"type": "string"},
            }
        )
    if parameters:
        operation["parameters"] = parameters
    if route.request:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": _ref(route.request)}},
        }
    return operation


def document(server_url: str | None = None) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for route in ROUTES:
        paths.setdefault(route.resource, {})[route.method.lower()] = _operation(route)
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": "EcoBid API",
            "version": "1.0.0",
            "description": "Give things away and run small auctions in your neighbourhood.",
        },
        "paths": paths,
        "components": {
            "schemas": COMPONENTS,
            "securitySchemes": {
                "cognito": {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "JWT",
                    "description": "A Cognito ID token; the caller is its `sub`.",
                }
            },
        },
    }
    if server_url:
        doc["servers"] = [{"url": server_url}]
    return doc
