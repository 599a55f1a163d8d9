"""The document API Gateway imports: moto ignores its authorizer and validators, so they
are checked here, on the document itself."""

from __future__ import annotations

import json
import re

import pytest

from deploy.functions import project_functions
from deploy.openapi_aws import (
    AUTHORIZER,
    TEMPLATE_VARIABLES,
    as_template,
    aws_document,
    invoke_arn_variable,
)
from ecobid_entrypoints.api.routes import ROUTES
from tests.unit.deploy.test_openapi_import_rules import TWO_ORIGINS, rendered

#: Every gateway response type a client can meet (issue: the gateway's own answers).
RESPONSE_TYPES = {
    "DEFAULT_4XX": None,
    "DEFAULT_5XX": None,
    "UNAUTHORIZED": ("401", "unauthorized"),
    "ACCESS_DENIED": ("403", "forbidden"),
    "BAD_REQUEST_PARAMETERS": ("400", "validation_error"),
    "BAD_REQUEST_BODY": ("400", "validation_error"),
    "REQUEST_TOO_LARGE": ("413", "payload_too_large"),
    "MISSING_AUTHENTICATION_TOKEN": ("404", "not_found"),
    "THROTTLED": ("429", "rate_limited"),
    "QUOTA_EXCEEDED": ("429", "rate_limited"),
}

POOL = "arn:aws:cognito-idp:eu-central-1:123456789012:userpool/eu-central-1_x"


def operations(doc):
    for path, methods in doc["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_every_operation_but_options_needs_a_cognito_token_and_a_validator() -> None:
    doc = aws_document()
    scheme = doc["components"]["securitySchemes"][AUTHORIZER]
    assert scheme["x-amazon-apigateway-authtype"] == "cognito_user_pools"
    validators = doc["x-amazon-apigateway-request-validators"]
    checked = 0
    for _, method, operation in operations(doc):
        if method in {"options", "x-amazon-apigateway-any-method"}:
            continue
        checked += 1
        assert operation["security"] == [{AUTHORIZER: []}]
        validator = validators[operation["x-amazon-apigateway-request-validator"]]
        assert validator["validateRequestParameters"] is True
        assert validator["validateRequestBody"] is ("requestBody" in operation)
    assert checked == len(ROUTES)


def test_each_route_is_a_lambda_proxy_integration_of_the_function_named_like_it() -> None:
    doc = aws_document()
    for route in ROUTES:
        integration = doc["paths"][route.resource][route.method.lower()][
            "x-amazon-apigateway-integration"
        ]
        assert integration["type"] == "aws_proxy"
        assert integration["httpMethod"] == "POST"
        assert integration["uri"] == "${" + invoke_arn_variable(route.name) + "}"


def test_every_route_has_a_function_in_the_package() -> None:
    functions = {function.name for function in project_functions()}
    missing = [route.name for route in ROUTES if route.name not in functions]
    assert missing == []


def test_cors_preflight_answers_every_path_without_auth() -> None:
    doc = aws_document()
    for path, methods in doc["paths"].items():
        preflight = methods["options"]
        assert preflight["security"] == []
        integration = preflight["x-amazon-apigateway-integration"]
        assert integration["type"] == "mock"
        headers = integration["responses"]["default"]["responseParameters"]
        allowed = headers["method.response.header.Access-Control-Allow-Methods"]
        taken = {m.upper() for m in methods if m != "x-amazon-apigateway-any-method"}
        assert set(allowed.strip("'").split(",")) == taken
        # The path's own parameters, as every operation on it declares them.
        declared = {p["name"] for p in preflight.get("parameters", []) if p["in"] == "path"}
        assert declared == set(re.findall(r"\{(\w+)\}", path))


def test_the_preflight_names_the_requests_origin_only_when_it_is_allowed() -> None:
    preflight = rendered()["paths"]["/items"]["options"]["x-amazon-apigateway-integration"]
    answer = preflight["responses"]["default"]
    assert (
        answer["responseParameters"]["method.response.header.Access-Control-Allow-Origin"]
        == "'https://app.example.org'"
    )
    template = answer["responseTemplates"]["application/json"]
    assert "['https://app.example.org','https://admin.example.org'].contains($origin)" in template
    assert "$context.responseOverride.header.Access-Control-Allow-Origin = $origin" in template


def test_any_other_method_is_the_contracts_405_with_allow() -> None:
    doc = rendered()
    for path, methods in doc["paths"].items():
        other = methods["x-amazon-apigateway-any-method"]
        assert other["security"] == []
        answer = other["x-amazon-apigateway-integration"]["responses"]["default"]
        assert answer["statusCode"] == "405"
        allow = answer["responseParameters"]["method.response.header.Allow"].strip("'")
        taken = {m.upper() for m in methods if m != "x-amazon-apigateway-any-method"}
        assert set(allow.split(", ")) == taken, path
        body = json.loads(answer["responseTemplates"]["application/json"].split("\n")[-1])
        assert body["error"]["code"] == "method_not_allowed"
        assert body["error"]["requestId"] == "$context.requestId"


def test_the_template_renders_to_the_document_once_its_variables_are_given() -> None:
    template = as_template(aws_document())
    variables = set(re.findall(r"(?<!\$)\$\{(\w+)\}", template))
    assert variables == set(TEMPLATE_VARIABLES) | {
        invoke_arn_variable(route.name) for route in ROUTES
    }
    doc = rendered()
    assert doc["openapi"].startswith("3.0")
    scheme = doc["components"]["securitySchemes"][AUTHORIZER]
    assert scheme["x-amazon-apigateway-authorizer"]["providerARNs"] == [POOL]


def test_schemas_use_openapi_30_spellings() -> None:
    text = json.dumps(aws_document())
    assert '"null"' not in text
    assert '"nullable"' not in text
    assert '"exclusiveMinimum"' not in text


@pytest.mark.parametrize("kind", RESPONSE_TYPES)
def test_every_gateway_response_is_the_contracts_error_with_cors_and_the_request_id(kind) -> None:
    response = rendered()["x-amazon-apigateway-gateway-responses"][kind]
    expected = RESPONSE_TYPES[kind]
    if expected is None:  # keeps the status of the type it stands for
        assert "statusCode" not in response
    else:
        assert response["statusCode"] == expected[0]
    body = json.loads(response["responseTemplates"]["application/json"])
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details", "requestId"}
    assert body["error"]["requestId"] == "$context.requestId"
    if expected is not None:
        assert body["error"]["code"] == expected[1]
    headers = response["responseParameters"]
    # Several origins allowed: the request's own (a gateway response takes no choice).
    assert (
        headers["gatewayresponse.header.Access-Control-Allow-Origin"]
        == (TWO_ORIGINS["gateway_response_origin"])
    )


def test_one_allowed_origin_is_named_in_every_gateway_response() -> None:
    one = {**TWO_ORIGINS, "gateway_response_origin": "'https://app.example.org'"}
    for response in rendered(one)["x-amazon-apigateway-gateway-responses"].values():
        origin = response["responseParameters"][
            "gatewayresponse.header.Access-Control-Allow-Origin"
        ]
        assert origin == "'https://app.example.org'"


def test_the_gateways_throttle_answers_retry_after() -> None:
    for kind in ("THROTTLED", "QUOTA_EXCEEDED"):
        headers = aws_document()["x-amazon-apigateway-gateway-responses"][kind]
        assert headers["responseParameters"]["gatewayresponse.header.Retry-After"] == "'1'"
