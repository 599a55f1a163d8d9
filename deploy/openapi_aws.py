"""The API's OpenAPI document as API Gateway imports it.

API Gateway reads OpenAPI 3.0 with its own ``x-amazon-apigateway-*`` extensions: the
Cognito authorizer, request validators, one ``AWS_PROXY`` integration per operation
(the Lambda function named like the route) and a CORS preflight per path, answered by a
mock integration without auth. Schemas are rewritten from 3.1's spelling to 3.0's.

The stage's throttling answers 429 itself, before any function runs; its gateway
response is rewritten here to the contract's ``rate_limited`` error with ``Retry-After``,
as the local server's per-user limit answers (README, "Rate limits").
"""

from __future__ import annotations

import json
from typing import Any

from ecobid_entrypoints.api.limits import rate_limited
from ecobid_entrypoints.api.openapi import document

AUTHORIZER = "cognito"
VALIDATE_ALL = "body-and-parameters"
VALIDATE_PARAMETERS = "parameters"
_CORS_HEADERS = "Content-Type,Authorization,If-Match"


def invoke_arn_variable(function: str) -> str:
    """The template variable that stands for ``function``'s invoke ARN."""
    return f"fn_{function}"


def aws_document() -> dict[str, Any]:
    doc: dict[str, Any] = _openapi30(document())
    doc["openapi"] = "3.0.1"
    doc["components"]["securitySchemes"] = {
        AUTHORIZER: {
            "type": "apiKey",
            "name": "Authorization",
            "in": "header",
            "x-amazon-apigateway-authtype": "cognito_user_pools",
            "x-amazon-apigateway-authorizer": {
                "type": "cognito_user_pools",
                "providerARNs": ["${user_pool_arn}"],
            },
        }
    }
    doc["x-amazon-apigateway-request-validators"] = {
        VALIDATE_ALL: {"validateRequestBody": True, "validateRequestParameters": True},
        VALIDATE_PARAMETERS: {"validateRequestBody": False, "validateRequestParameters": True},
    }
    doc["x-amazon-apigateway-gateway-responses"] = {"THROTTLED": _throttled()}
    for path, operations in doc["paths"].items():
        for operation in operations.values():
            operation["security"] = [{AUTHORIZER: []}]
            operation["x-amazon-apigateway-request-validator"] = (
                VALIDATE_ALL if "requestBody" in operation else VALIDATE_PARAMETERS
            )
            operation["x-amazon-apigateway-integration"] = {
                "type": "aws_proxy",
                "httpMethod": "POST",  # Lambda is always invoked with POST
                "uri": "${" + invoke_arn_variable(operation["operationId"]) + "}",
                "passthroughBehavior": "when_no_match",
            }
        operations["options"] = _preflight(path)
    return doc


def _throttled() -> dict[str, Any]:
    body = rate_limited(1).body()
    return {
        "statusCode": 429,
        "responseParameters": {
            "gatewayresponse.header.Retry-After": "'1'",  # the stage's bucket refills each second
            "gatewayresponse.header.Access-Control-Allow-Origin": "'${cors_origin}'",
        },
        "responseTemplates": {"application/json": json.dumps(body, separators=(",", ":"))},
    }


def _preflight(path: str) -> dict[str, Any]:
    allowed = "'" + ",".join(sorted({"OPTIONS", *_methods_of(path)})) + "'"
    headers = {
        "Access-Control-Allow-Origin": "'${cors_origin}'",
        "Access-Control-Allow-Methods": allowed,
        "Access-Control-Allow-Headers": f"'{_CORS_HEADERS}'",
    }
    return {
        "summary": "CORS preflight",
        "security": [],
        "responses": {
            "200": {
                "description": "CORS headers",
                "headers": {name: {"schema": {"type": "string"}} for name in headers},
            }
        },
        "x-amazon-apigateway-integration": {
            "type": "mock",
            # Unused by a mock integration; moto's import needs both to be present.
            "httpMethod": "OPTIONS",
            "uri": "",
            "requestTemplates": {"application/json": '{"statusCode": 200}'},
            "responses": {
                "default": {
                    "statusCode": "200",
                    "responseParameters": {
                        f"method.response.header.{name}": value for name, value in headers.items()
                    },
                }
            },
        },
    }


def _methods_of(path: str) -> set[str]:
    return {method.upper() for method in document()["paths"][path]}


def _openapi30(node: Any) -> Any:
    """3.1 schema spellings in 3.0's: nullable types, boolean exclusive bounds, one example."""
    if isinstance(node, list):
        return [_openapi30(value) for value in node]
    if not isinstance(node, dict):
        return node
    out = {key: _openapi30(value) for key, value in node.items()}
    kind = out.get("type")
    if isinstance(kind, list) and "null" in kind:
        rest = [k for k in kind if k != "null"]
        out["type"] = rest[0] if len(rest) == 1 else rest
        out["nullable"] = True
    for bound, inclusive in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if isinstance(out.get(bound), int | float) and not isinstance(out[bound], bool):
            out[inclusive] = out.pop(bound)
            out[bound] = True
    if "oneOf" in out and {"type": "null"} in out["oneOf"]:
        others = [option for option in out.pop("oneOf") if option != {"type": "null"}]
        out.update({"allOf": others} if len(others) == 1 else {"oneOf": others})
        out["nullable"] = True
    if "examples" in out and isinstance(out["examples"], list) and out["examples"]:
        out["example"] = out.pop("examples")[0]
    return out


def as_template(doc: dict[str, Any]) -> str:
    """The document as a Terraform template: literal ``${`` and ``%{`` escaped, our own
    placeholders kept."""
    text = json.dumps(doc, indent=2, sort_keys=True)
    text = text.replace("${", "$${").replace("%{", "%%{")
    return (
        text.replace("$${fn_", "${fn_")
        .replace("$${user_pool_arn}", "${user_pool_arn}")
        .replace("$${cors_origin}", "${cors_origin}")
        + "\n"
    )
