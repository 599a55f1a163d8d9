"""Both documents as AWS reads them: valid OpenAPI of their versions, and the imported one
within API Gateway's documented import limits (``deploy.openapi_checks`` names the pages).
moto imports nearly anything, so this is where a document AWS would refuse is caught."""

from __future__ import annotations

import copy
import json
import re

import pytest

from deploy.openapi_aws import as_template, aws_document
from deploy.openapi_checks import import_limits, problems, spec_errors
from ecobid_entrypoints.api.openapi import document

POOL = "arn:aws:cognito-idp:eu-central-1:123456789012:userpool/eu-central-1_x"
TWO_ORIGINS = {
    "user_pool_arn": POOL,
    "cors_origin": "https://app.example.org",
    "gateway_response_origin": "method.request.header.Origin",
    "cors_origins_vtl": "'https://app.example.org','https://admin.example.org'",
}


def rendered(variables: dict[str, str] = TWO_ORIGINS) -> dict:
    """The template as Terraform renders it (module api_gateway's templatefile)."""
    text = re.sub(
        r"(?<!\$)\$\{(\w+)\}",
        lambda match: variables.get(match[1], f"arn:aws:lambda:{match[1]}"),
        as_template(aws_document()),
    )
    return json.loads(text.replace("$${", "${").replace("%%{", "%{"))


def test_both_documents_pass_the_spec_validator_and_the_import_rules() -> None:
    assert problems(document("http://127.0.0.1:8080"), rendered()) == []


def test_the_served_document_is_31_and_the_imported_one_30() -> None:
    assert document()["openapi"].startswith("3.1")
    assert rendered()["openapi"].startswith("3.0")
    # Each is checked as its own version: the served one is not 3.0.
    assert spec_errors(document(), "3.0") == ["is OpenAPI 3.1.0, not 3.0"]


def test_no_query_parameter_is_an_object_and_none_of_the_search_is_required() -> None:
    doc = rendered()
    queries = [
        entry
        for item in doc["paths"].values()
        for operation in item.values()
        for entry in operation.get("parameters", [])
        if entry["in"] == "query"
    ]
    assert queries, "the search's parameters are query parameters"
    assert {entry["schema"]["type"] for entry in queries} <= {"string", "number", "integer"}
    search = doc["paths"]["/items"]["get"]["parameters"]
    assert {entry["name"] for entry in search} == {
        "lat", "lon", "radiusKm", "category", "type", "limit", "cursor", "ownerId"
    }  # fmt: skip
    assert not any(entry["required"] for entry in search)


@pytest.mark.parametrize(
    ("where", "value", "finding"),
    [
        (
            ("components", "schemas", "Location", "nullable"),
            True,
            "nullable",
        ),
        (
            ("components", "schemas", "Item", "discriminator"),
            {"propertyName": "type"},
            "discriminator",
        ),
        (
            ("components", "schemas", "Item", "if"),
            {"required": ["auction"]},
            "draft 4",
        ),
        (
            ("components", "schemas", "Item", "dependentRequired"),
            {"a": ["b"]},
            "draft 4",
        ),
        (
            ("components", "schemas", "Item", "properties", "version", "type"),
            ["integer", "null"],
            "not OpenAPI",
        ),
        (
            ("components", "schemas", "Bad_Name"),
            {"type": "object"},
            "alphanumeric",
        ),
        (
            ("paths", "/items", "get", "parameters"),
            [
                {
                    "name": "query",
                    "in": "query",
                    "required": True,
                    "schema": {"type": "object", "properties": {"lat": {"type": "number"}}},
                }
            ],
            "primitive",
        ),
        (
            ("paths", "/items/{id}", "options", "parameters"),
            [],
            "path parameters",
        ),
        (
            ("x-amazon-apigateway-gateway-responses", "UNAUTHORISED"),
            {"responseTemplates": {"application/json": "{}"}},
            "not a gateway response type",
        ),
        (
            ("x-amazon-apigateway-gateway-responses", "THROTTLED", "statusCode"),
            429,
            "statusCode",
        ),
        (
            ("x-amazon-apigateway-gateway-responses", "THROTTLED", "responseParameters"),
            {"gatewayresponse.header.Access-Control-Allow-Origin": "https://a.example"},
            "mapping expression",
        ),
        (
            ("paths", "/items", "get", "x-amazon-apigateway-integration", "type"),
            "lambda",
            "integration type",
        ),
        (
            ("paths", "/items", "get", "x-amazon-apigateway-request-validator"),
            "all",
            "not defined",
        ),
    ],
)
def test_the_checker_finds_what_aws_refuses_or_ignores(where, value, finding) -> None:
    doc = rendered()
    planted = copy.deepcopy(doc)
    target = planted
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = value
    found = problems(document(), planted)
    assert any(finding in line for line in found), found
    assert import_limits(doc) == []


def test_packaging_refuses_a_document_past_the_import_limits(tmp_path, monkeypatch) -> None:
    from deploy import generated

    generated.write(tmp_path / "good")
    assert (tmp_path / "good" / generated.OPENAPI_TEMPLATE).exists()

    def nullable_location() -> dict:
        doc = aws_document()
        doc["components"]["schemas"]["Location"]["nullable"] = True
        return doc

    monkeypatch.setattr(generated, "aws_document", nullable_location)
    with pytest.raises(generated.ImportLimitsBroken, match="nullable"):
        generated.write(tmp_path / "bad")
    assert not (tmp_path / "bad" / generated.OPENAPI_TEMPLATE).exists()
