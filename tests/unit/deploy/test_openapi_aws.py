"""The document API Gateway imports: moto ignores its authorizer and validators, so they
are checked here, on the document itself."""

from __future__ import annotations

import json
import re

from deploy.functions import project_functions
from deploy.openapi_aws import AUTHORIZER, as_template, aws_document, invoke_arn_variable
from ecobid_entrypoints.api.routes import ROUTES

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
        if method == "options":
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
    for methods in doc["paths"].values():
        preflight = methods["options"]
        assert preflight["security"] == []
        integration = preflight["x-amazon-apigateway-integration"]
        assert integration["type"] == "mock"
        headers = integration["responses"]["default"]["responseParameters"]
        allowed = headers["method.response.header.Access-Control-Allow-Methods"]
        assert set(allowed.strip("'").split(",")) == {m.upper() for m in methods}


def test_the_template_renders_to_the_document_once_its_variables_are_given() -> None:
    template = as_template(aws_document())
    variables = set(re.findall(r"(?<!\$)\$\{(\w+)\}", template))
    assert variables == {"user_pool_arn", "cors_origin"} | {
        invoke_arn_variable(route.name) for route in ROUTES
    }
    rendered = re.sub(
        r"(?<!\$)\$\{(\w+)\}",
        lambda match: {"user_pool_arn": POOL, "cors_origin": "*"}.get(match[1], f"arn:{match[1]}"),
        template,
    ).replace("$${", "${")
    doc = json.loads(rendered)
    assert doc["openapi"].startswith("3.0")
    scheme = doc["components"]["securitySchemes"][AUTHORIZER]
    assert scheme["x-amazon-apigateway-authorizer"]["providerARNs"] == [POOL]


def test_schemas_use_openapi_30_spellings() -> None:
    text = json.dumps(aws_document())
    assert '"null"' not in text
    assert '"exclusiveMinimum": 0' not in text


def test_the_stages_throttling_answers_the_contracts_429_with_retry_after() -> None:
    throttled = aws_document()["x-amazon-apigateway-gateway-responses"]["THROTTLED"]
    assert throttled["statusCode"] == 429
    headers = throttled["responseParameters"]
    assert headers["gatewayresponse.header.Retry-After"] == "'1'"
    assert headers["gatewayresponse.header.Access-Control-Allow-Origin"] == "'${cors_origin}'"
    body = json.loads(throttled["responseTemplates"]["application/json"])
    assert body["error"]["code"] == "rate_limited"
    assert set(body["error"]) == {"code", "message", "details"}
    rendered = as_template(aws_document())
    assert "'${cors_origin}'" in rendered  # left for Terraform to fill in
