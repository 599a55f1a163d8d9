"""The OpenAPI 3.1 document, generated from the route table and the published schemas."""

from __future__ import annotations

from typing import Any

from ecobid_entrypoints.api.params import Param, Params
from ecobid_entrypoints.api.routes import ROUTES, Route
from ecobid_entrypoints.api.schemas import COMPONENTS

_ERROR_STATUSES = {
    "400": "Validation error",
    "401": "Missing or invalid token",
    "403": "Not allowed",
    "404": "Not found",
    "405": "The path takes other methods; Allow lists them",
    "406": "Accept rules out application/json, the only type the API answers in",
    "409": "A business rule refused the request",
    "413": "Body over 64 KiB",
    "415": "A body sent as another Content-Type than application/json",
    "429": "Rate limited",
    "500": "Internal error",
    "503": "A dependency is unavailable; safe to retry",
}

_HEADERS: dict[str, dict[str, Any]] = {
    "ETag": {
        "description": "The item's version, quoted: send it back as If-Match to edit safely.",
        "schema": {"type": "string"},
    },
    "Location": {
        "description": "The path of what was created.",
        "schema": {"type": "string"},
    },
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "schema": {"type": "integer", "minimum": 1},
    },
    "Allow": {
        "description": "The methods the path takes.",
        "schema": {"type": "string"},
    },
}
# Headers of answers beyond CORS and Content-Type: by operation for a success, by status
# for an error.
_SUCCESS_HEADERS: dict[str, tuple[str, ...]] = {
    "CreateItem": ("ETag", "Location"),
    "GetItem": ("ETag",),
    "UpdateItem": ("ETag",),
    "ReserveItem": ("Location",),
}
_ERROR_HEADERS: dict[str, tuple[str, ...]] = {
    "405": ("Allow",),
    "429": ("Retry-After",),
    "503": ("Retry-After",),
}


def _headers(names: tuple[str, ...]) -> dict[str, Any]:
    return {"headers": {name: _HEADERS[name] for name in names}} if names else {}


# Where a success answer names a resource another operation takes by id: OpenAPI links,
# so clients and stateful testers (schemathesis) follow real ids, not invented ones.
# (operation, followed operation, the id's path in the answer body)
_LINKS: tuple[tuple[str, str, str], ...] = (
    *(
        ("CreateItem", then, "/id")
        for then in (
            "GetItem",
            "UpdateItem",
            "DeleteItem",
            "ReserveItem",
            "CreateBid",
            "GetBids",
            "CreateImageUpload",
        )
    ),
    ("CreateItem", "GetUserProfile", "/ownerId"),
    ("ReserveItem", "GetReservation", "/id"),
    ("ReserveItem", "ConfirmReservation", "/id"),
    ("ReserveItem", "CancelReservation", "/id"),
    ("ReserveItem", "GetItem", "/itemId"),
    ("ConfirmReservation", "CreateRating", "/transaction/id"),
    ("ConfirmReservation", "GetUserTransactions", "/transaction/sellerId"),
    ("GetUserProfile", "GetNotifications", "/id"),
    ("GetUserProfile", "GetUserRatings", "/id"),
    ("GetUserProfile", "GetUserReservations", "/id"),
)


def _links(route: Route) -> dict[str, Any]:
    return {
        then: {
            "operationId": then,
            "parameters": {"id": f"$response.body#{pointer}"},
        }
        for name, then, pointer in _LINKS
        if name == route.name
    }


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _operation(route: Route) -> dict[str, Any]:
    success: dict[str, Any] = {
        "description": route.summary,
        **_headers(_SUCCESS_HEADERS.get(route.name, ())),
    }
    if route.response:
        success["content"] = {"application/json": {"schema": _ref(route.response)}}
    links = _links(route)
    if links:
        success["links"] = links
    responses: dict[str, Any] = {str(route.status): success}
    for status, text in _ERROR_STATUSES.items():
        responses[status] = {
            "description": text,
            **_headers(_ERROR_HEADERS.get(status, ())),
            "content": {"application/json": {"schema": _ref("Error")}},
        }
    operation: dict[str, Any] = {
        "operationId": route.name,
        "summary": route.summary,
        "security": [{"cognito": []}],
        "responses": responses,
    }
    rules = route.params.rules()
    if rules:
        operation["description"] = rules
    parameters = parameters_of(route.params)
    if parameters:
        operation["parameters"] = parameters
    if route.request:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": _ref(route.request)}},
        }
    return operation


def _parameter(param: Param) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "name": param.name,
        "in": param.where,
        "required": param.required,
        "schema": dict(param.schema),
    }
    if param.description:
        entry["description"] = param.description
    return entry


def parameters_of(params: Params) -> list[dict[str, Any]]:
    """The OpenAPI parameters of a declaration, each its own primitive one; the rules
    between them are the operation's description (``Params.rules``)."""
    return [_parameter(p) for p in params.items]


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
