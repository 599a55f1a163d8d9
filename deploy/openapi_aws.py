"""The API's OpenAPI document as API Gateway imports it.

API Gateway reads OpenAPI 3.0 with its own ``x-amazon-apigateway-*`` extensions: the
Cognito authorizer, request validators, one ``AWS_PROXY`` integration per operation
(the Lambda function named like the route), a CORS preflight per path and a 405 for every
other method, both answered by mock integrations without auth.

Schemas are rewritten from the served document's 3.1 into what API Gateway's models are:
JSON Schema draft 4 ("Amazon API Gateway important notes", REST APIs: "API Gateway models
are defined using JSON schema draft 4"; no ``discriminator``, no ``example``, no
``exclusiveMinimum``). A rule draft 4 cannot state (a free item carries no auction terms)
is left to the function, which checks every body against the 3.1 schema, and to the
schema's description; a value that may be null loses its type (draft 4 has no ``null``
that OpenAPI 3.0 admits, and API Gateway ignores 3.0's ``nullable``), so the gateway lets
it through and the function judges it.

Every answer the gateway gives itself, before any function runs (a refused token, an
unknown route, a body over its limit, its throttle, its own failures), is rewritten to
the contract's error object with the request's id and a CORS origin, as the functions and
the local server answer the same refusals (README, "Errors"). The origins come from one
Terraform variable (see ``terraform/modules/api_gateway``): a gateway response can carry
only a fixed header value or a request header ("x-amazon-apigateway-gateway-responses.
responseParameters object"), so with one allowed origin it names that origin and with
several it names the request's ``Origin``; the preflight's mock integration can check
the request's origin against the list in its mapping template ("Override your API's
request and response parameters and status codes for REST APIs") and does.
"""

from __future__ import annotations

import json
from typing import Any

from ecobid_entrypoints.api.errors import (
    UNAVAILABLE,
    ApiError,
    method_not_allowed,
    not_found_route,
    payload_too_large,
    unauthorized,
)
from ecobid_entrypoints.api.limits import rate_limited
from ecobid_entrypoints.api.openapi import document
from ecobid_entrypoints.api.validation import MAX_BODY_BYTES

AUTHORIZER = "cognito"
VALIDATE_ALL = "body-and-parameters"
VALIDATE_PARAMETERS = "parameters"
_CORS_HEADERS = "Content-Type,Authorization,If-Match"
_EXPOSE_HEADERS = "Location,ETag,Retry-After"

#: The template's variables besides the functions' invoke ARNs, filled in by Terraform.
USER_POOL_ARN = "user_pool_arn"
#: The origin a preflight names when the request's is not in the list ("*" allows all).
CORS_ORIGIN = "cors_origin"
#: A gateway response's Access-Control-Allow-Origin mapping: a quoted origin, or
#: ``method.request.header.Origin`` when several are allowed.
GATEWAY_RESPONSE_ORIGIN = "gateway_response_origin"
#: The allowed origins as a mapping-template list's members: 'https://a','https://b'.
CORS_ORIGINS_VTL = "cors_origins_vtl"
TEMPLATE_VARIABLES = (USER_POOL_ARN, CORS_ORIGIN, GATEWAY_RESPONSE_ORIGIN, CORS_ORIGINS_VTL)

#: The gateway's own request id, as its mapping templates spell it.
_REQUEST_ID = "$context.requestId"

#: Every gateway response type a client can meet, as the contract's error. DEFAULT_4XX
#: and DEFAULT_5XX keep the status of the type they stand for; the others get the status
#: the local server answers for the same refusal.
GATEWAY_RESPONSES: dict[str, tuple[int | None, ApiError]] = {
    "UNAUTHORIZED": (401, unauthorized()),
    "MISSING_AUTHENTICATION_TOKEN": (404, not_found_route()),  # a REST API's unknown route
    "ACCESS_DENIED": (403, ApiError(403, "forbidden", "this request is not allowed")),
    "BAD_REQUEST_PARAMETERS": (
        400,
        ApiError(400, "validation_error", "a required parameter is missing"),
    ),
    "BAD_REQUEST_BODY": (
        400,
        ApiError(400, "validation_error", "the body does not match the operation's schema"),
    ),
    "REQUEST_TOO_LARGE": (413, payload_too_large(MAX_BODY_BYTES)),
    "THROTTLED": (429, rate_limited(1)),  # the stage's bucket refills each second
    "QUOTA_EXCEEDED": (429, rate_limited(1)),
    "DEFAULT_4XX": (None, ApiError(400, "bad_request", "the request was refused")),
    "DEFAULT_5XX": (None, UNAVAILABLE),
}


def invoke_arn_variable(function: str) -> str:
    """The template variable that stands for ``function``'s invoke ARN."""
    return f"fn_{function}"


def _var(name: str) -> str:
    return "${" + name + "}"


def aws_document() -> dict[str, Any]:
    served = document()
    doc: dict[str, Any] = draft4(served)
    doc["openapi"] = "3.0.1"
    doc["components"]["securitySchemes"] = {
        AUTHORIZER: {
            "type": "apiKey",
            "name": "Authorization",
            "in": "header",
            "x-amazon-apigateway-authtype": "cognito_user_pools",
            "x-amazon-apigateway-authorizer": {
                "type": "cognito_user_pools",
                "providerARNs": [_var(USER_POOL_ARN)],
            },
        }
    }
    doc["x-amazon-apigateway-request-validators"] = {
        VALIDATE_ALL: {"validateRequestBody": True, "validateRequestParameters": True},
        VALIDATE_PARAMETERS: {"validateRequestBody": False, "validateRequestParameters": True},
    }
    doc["x-amazon-apigateway-gateway-responses"] = {
        kind: gateway_response(status, error) for kind, (status, error) in GATEWAY_RESPONSES.items()
    }
    for path, operations in doc["paths"].items():
        methods = sorted({"OPTIONS", *(method.upper() for method in served["paths"][path])})
        for operation in operations.values():
            operation["security"] = [{AUTHORIZER: []}]
            operation["x-amazon-apigateway-request-validator"] = (
                VALIDATE_ALL if "requestBody" in operation else VALIDATE_PARAMETERS
            )
            operation["x-amazon-apigateway-integration"] = {
                "type": "aws_proxy",
                "httpMethod": "POST",  # Lambda is always invoked with POST
                "uri": _var(invoke_arn_variable(operation["operationId"])),
                "passthroughBehavior": "when_no_match",
            }
        path_parameters = [
            entry
            for operation in operations.values()
            for entry in operation.get("parameters", [])
            if entry["in"] == "path"
        ]
        unique = list({entry["name"]: entry for entry in path_parameters}.values())
        operations["options"] = _preflight(methods, unique)
        # Any method the path does not take: API Gateway matches the defined ones first.
        operations["x-amazon-apigateway-any-method"] = _not_allowed(methods, unique)
    return doc


def _error_template(error: ApiError) -> str:
    body = error.body(_REQUEST_ID)
    return json.dumps(body, separators=(",", ":"))


def gateway_response(status: int | None, error: ApiError) -> dict[str, Any]:
    parameters = {
        "gatewayresponse.header.Access-Control-Allow-Origin": _var(GATEWAY_RESPONSE_ORIGIN),
        "gatewayresponse.header.Access-Control-Expose-Headers": f"'{_EXPOSE_HEADERS}'",
        "gatewayresponse.header.Vary": "'Origin'",
    }
    for name, value in error.headers.items():
        parameters[f"gatewayresponse.header.{name}"] = f"'{value}'"
    response: dict[str, Any] = {
        "responseParameters": parameters,
        "responseTemplates": {"application/json": _error_template(error)},
    }
    if status is not None:
        response["statusCode"] = str(status)
    return response


def _origin_override() -> str:
    """A mapping template's lines that name the request's origin when it is allowed."""
    return (
        "#set($origin = $input.params().header.get('Origin'))\n"
        f"#if([{_var(CORS_ORIGINS_VTL)}].contains($origin))"
        "#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)#end\n"
    )


def _mock(
    status: int,
    headers: dict[str, str],
    path_parameters: list[dict[str, Any]],
    description: str,
    body: str = "",
) -> dict[str, Any]:
    """An operation answered by the gateway itself, without auth or a function."""
    operation: dict[str, Any] = {
        "summary": description,
        "security": [],
        "responses": {
            str(status): {
                "description": description,
                "headers": {name: {"schema": {"type": "string"}} for name in headers},
            }
        },
        "x-amazon-apigateway-integration": {
            "type": "mock",
            # Unused by a mock integration; moto's import needs both to be present.
            "httpMethod": "OPTIONS",
            "uri": "",
            "requestTemplates": {"application/json": json.dumps({"statusCode": status})},
            "responses": {
                "default": {
                    "statusCode": str(status),
                    "responseParameters": {
                        f"method.response.header.{name}": value for name, value in headers.items()
                    },
                    "responseTemplates": {"application/json": _origin_override() + body},
                }
            },
        },
    }
    if path_parameters:
        operation["parameters"] = path_parameters
    if body:
        operation["responses"][str(status)]["content"] = {
            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
        }
    return operation


def _cors(methods: list[str]) -> dict[str, str]:
    return {
        "Access-Control-Allow-Origin": f"'{_var(CORS_ORIGIN)}'",
        "Access-Control-Allow-Methods": "'" + ",".join(methods) + "'",
        "Access-Control-Allow-Headers": f"'{_CORS_HEADERS}'",
        "Access-Control-Max-Age": "'600'",
        "Vary": "'Origin'",
    }


def _preflight(methods: list[str], path_parameters: list[dict[str, Any]]) -> dict[str, Any]:
    return _mock(200, _cors(methods), path_parameters, "CORS preflight")


def _not_allowed(methods: list[str], path_parameters: list[dict[str, Any]]) -> dict[str, Any]:
    error = method_not_allowed(methods)
    headers = {
        "Access-Control-Allow-Origin": f"'{_var(CORS_ORIGIN)}'",
        "Access-Control-Expose-Headers": f"'{_EXPOSE_HEADERS}'",
        "Vary": "'Origin'",
        **{name: f"'{value}'" for name, value in error.headers.items()},
    }
    return _mock(405, headers, path_parameters, "Any other method: 405", _error_template(error))


# Keywords of JSON Schema after draft 4 that API Gateway's models do not read, and the
# OpenAPI 3.1 ones 3.0 does not have.
_DROPPED = {"if", "then", "else", "examples", "example", "$schema", "$comment"}


def draft4(node: Any) -> Any:
    """The served document's schemas as OpenAPI 3.0 with draft-4 schemas only."""
    if isinstance(node, list):
        return [draft4(value) for value in node]
    if not isinstance(node, dict):
        return node
    out = {key: draft4(value) for key, value in node.items() if key not in _DROPPED}
    kind = out.get("type")
    if isinstance(kind, list) and "null" in kind:
        # May be null: no type at all, the one draft-4 form that OpenAPI 3.0 admits.
        del out["type"]
        out["description"] = _sentence(out.get("description"), "May be null.")
    if "oneOf" in out and {"type": "null"} in out["oneOf"]:
        others = [option for option in out.pop("oneOf") if option != {"type": "null"}]
        names = [o["$ref"].rsplit("/", 1)[-1] for o in others if "$ref" in o]
        what = " or ".join(names) if names else "The value"
        out["description"] = _sentence(out.get("description"), f"{what}, or null.")
    for bound, inclusive, word in (
        ("exclusiveMinimum", "minimum", "over"),
        ("exclusiveMaximum", "maximum", "under"),
    ):
        if isinstance(out.get(bound), int | float) and not isinstance(out[bound], bool):
            # API Gateway does not support exclusiveMinimum: the inclusive bound, and the
            # strict one in words, which the function checks.
            value = out.pop(bound)
            out[inclusive] = value
            out["description"] = _sentence(out.get("description"), f"Must be {word} {value}.")
    if "const" in out:
        out["enum"] = [out.pop("const")]
    return out


def _sentence(description: str | None, more: str) -> str:
    return f"{description} {more}" if description else more


def as_template(doc: dict[str, Any]) -> str:
    """The document as a Terraform template: literal ``${`` and ``%{`` escaped, our own
    placeholders kept."""
    text = json.dumps(doc, indent=2, sort_keys=True)
    text = text.replace("${", "$${").replace("%{", "%%{")
    text = text.replace("$${fn_", "${fn_")
    for name in TEMPLATE_VARIABLES:
        text = text.replace("$$" + _var(name)[1:], _var(name))
    return text + "\n"
