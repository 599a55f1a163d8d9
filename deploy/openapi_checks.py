"""What AWS would refuse or silently ignore in the API's two documents, found before a deploy.

moto imports nearly anything, so the documents are checked here against what AWS
documents:

- both documents with openapi-spec-validator, each as its version (the served one as
  OpenAPI 3.1, the one API Gateway imports as 3.0);
- the imported one against API Gateway's documented import limits: "Amazon API Gateway
  important notes", section "Amazon API Gateway important notes for REST APIs" (models
  are JSON Schema draft 4; no ``discriminator``; no ``example``; no ``exclusiveMinimum``;
  no int32/int64 or decimal formats; model names alphanumeric; path segments of a fixed
  alphabet; parameters read only for name, in, required, type and description; a
  ``securitySchemes`` entry of type apiKey; a method response's schema an object), the
  ``x-amazon-apigateway-*`` extension pages of the developer guide ("OpenAPI extensions
  to API Gateway": integration, request validators, gateway responses, authorizer) and
  "Gateway response types for API Gateway" for the response type names. A query
  parameter that is an object has no place in a request API Gateway validates by name.

``problems(served, imported)`` answers every finding as a sentence; none means both pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

# JSON Schema keywords after draft 4 (draft 6 to 2020-12) and OpenAPI 3.1's own, which
# a draft-4 model does not read, and the ones API Gateway's notes name as unsupported.
_NOT_DRAFT_4 = {
    "const",
    "contains",
    "dependentRequired",
    "dependentSchemas",
    "if",
    "then",
    "else",
    "prefixItems",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "$defs",
    "$anchor",
    "$dynamicRef",
    "examples",
    "minContains",
    "maxContains",
    "contentEncoding",
    "contentMediaType",
}
_UNSUPPORTED_BY_API_GATEWAY = {
    "nullable": "ignored by API Gateway's draft-4 models",
    "discriminator": "not supported in any schema object",
    "example": "the example tag is not supported",
    "exclusiveMinimum": "not supported by API Gateway",
    "exclusiveMaximum": "not supported by API Gateway (as exclusiveMinimum)",
    "readOnly": "the readOnly field is not supported",
}
_UNSUPPORTED_FORMATS = {"int32", "int64", "decimal"}
_PRIMITIVES = {"string", "number", "integer", "boolean"}
_PARAMETER_FIELDS = {"name", "in", "required", "schema", "description"}

# "Gateway response types for API Gateway".
GATEWAY_RESPONSE_TYPES = {
    "ACCESS_DENIED",
    "API_CONFIGURATION_ERROR",
    "AUTHORIZER_CONFIGURATION_ERROR",
    "AUTHORIZER_FAILURE",
    "BAD_REQUEST_PARAMETERS",
    "BAD_REQUEST_BODY",
    "DEFAULT_4XX",
    "DEFAULT_5XX",
    "EXPIRED_TOKEN",
    "INTEGRATION_FAILURE",
    "INTEGRATION_TIMEOUT",
    "INVALID_API_KEY",
    "INVALID_SIGNATURE",
    "MISSING_AUTHENTICATION_TOKEN",
    "QUOTA_EXCEEDED",
    "REQUEST_TOO_LARGE",
    "RESOURCE_NOT_FOUND",
    "THROTTLED",
    "UNAUTHORIZED",
    "UNSUPPORTED_MEDIA_TYPE",
    "WAF_FILTERED",
}
_INTEGRATION_TYPES = {"aws", "aws_proxy", "http", "http_proxy", "mock"}
_HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
_ANY_METHOD = "x-amazon-apigateway-any-method"
# A mapping value: a quoted literal, a request value, or a placeholder Terraform fills in.
_MAPPING_VALUE = re.compile(
    r"^('[^']*'|method\.request\.(header|path|querystring|multivalueheader|multivaluequerystring)"
    r"\.[A-Za-z0-9._-]+|stageVariables\.[A-Za-z0-9_]+|context\.[A-Za-z0-9.]+|\$\{\w+\})$"
)
_PLACEHOLDER_QUOTED = re.compile(r"^'\$\{\w+\}'$")
_PATH_SEGMENT = re.compile(r"^([A-Za-z0-9._:,-]+|\{[A-Za-z0-9_]+\+?\})$")


def problems(served: dict[str, Any], imported: dict[str, Any]) -> list[str]:
    """Every finding in both documents; an empty list when AWS would take them as meant."""
    found = [f"served: {p}" for p in spec_errors(served, "3.1")]
    found += [f"imported: {p}" for p in spec_errors(imported, "3.0")]
    found += [f"imported: {p}" for p in import_limits(imported)]
    return found


def spec_errors(doc: dict[str, Any], version: str) -> list[str]:
    """openapi-spec-validator's errors for ``doc`` as OpenAPI ``version`` (3.0 or 3.1)."""
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

    if not str(doc.get("openapi", "")).startswith(version):
        return [f"is OpenAPI {doc.get('openapi')}, not {version}"]
    validator = OpenAPIV31SpecValidator if version == "3.1" else OpenAPIV30SpecValidator
    return [
        f"{'/'.join(map(str, error.path))}: {error.message}"[:300]
        for error in validator(doc).iter_errors()
    ]


def import_limits(doc: dict[str, Any]) -> list[str]:
    """What API Gateway's documented import limits say of ``doc``."""
    found = list(_schemas(doc))
    found += list(_paths(doc))
    found += list(_security(doc))
    found += list(_validators(doc))
    found += list(_gateway_responses(doc))
    return found


def _walk(node: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema object under ``node``: itself and those in its keywords."""
    if not isinstance(node, dict):
        return
    yield where, node
    for key in ("properties", "patternProperties"):
        for name, child in (node.get(key) or {}).items():
            yield from _walk(child, f"{where}/{key}/{name}")
    for key in ("items", "additionalProperties", "not"):
        if isinstance(node.get(key), dict):
            yield from _walk(node[key], f"{where}/{key}")
    for key in ("allOf", "anyOf", "oneOf"):
        for index, child in enumerate(node.get(key) or []):
            yield from _walk(child, f"{where}/{key}/{index}")


def _every_schema(doc: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for name, schema in doc.get("components", {}).get("schemas", {}).items():
        yield from _walk(schema, f"components/schemas/{name}")
    for path, item in doc.get("paths", {}).items():
        for method, operation in item.items():
            if not isinstance(operation, dict):
                continue
            where = f"paths/{path}/{method}"
            for parameter in operation.get("parameters", []):
                yield from _walk(parameter.get("schema"), f"{where}/parameters/{parameter['name']}")
            for media, content in (operation.get("requestBody") or {}).get("content", {}).items():
                yield from _walk(content.get("schema"), f"{where}/requestBody/{media}")
            for status, response in operation.get("responses", {}).items():
                for media, content in response.get("content", {}).items():
                    yield from _walk(content.get("schema"), f"{where}/responses/{status}/{media}")
                for header, spec in response.get("headers", {}).items():
                    yield from _walk(spec.get("schema"), f"{where}/responses/{status}/{header}")


def _schemas(doc: dict[str, Any]) -> Iterator[str]:
    for name in doc.get("components", {}).get("schemas", {}):
        if not name.isalnum():
            yield f"components/schemas/{name}: model names can only be alphanumeric"
    for where, schema in _every_schema(doc):
        for keyword in sorted(_NOT_DRAFT_4 & set(schema)):
            yield f"{where}: {keyword} is not JSON Schema draft 4 (API Gateway's models)"
        for keyword, why in _UNSUPPORTED_BY_API_GATEWAY.items():
            if keyword in schema:
                yield f"{where}: {keyword}: {why}"
        kind = schema.get("type")
        if isinstance(kind, list) or kind == "null":
            yield f"{where}: type {kind!r} is not OpenAPI 3.0 (null is no type there)"
        if schema.get("format") in _UNSUPPORTED_FORMATS:
            yield f"{where}: format {schema['format']} is not supported by API Gateway"


def _paths(doc: dict[str, Any]) -> Iterator[str]:
    for path, item in doc.get("paths", {}).items():
        segments = path.strip("/").split("/") if path != "/" else []
        bad = [segment for segment in segments if not _PATH_SEGMENT.match(segment)]
        if bad:
            yield f"paths/{path}: segments {bad} are outside API Gateway's path alphabet"
        in_path = {segment.strip("{}+") for segment in segments if segment.startswith("{")}
        for method, operation in item.items():
            if method not in _HTTP_METHODS and method != _ANY_METHOD:
                if method.startswith("x-amazon-apigateway"):
                    yield f"paths/{path}/{method}: not an API Gateway path extension"
                continue
            yield from _operation(f"paths/{path}/{method}", operation, in_path, doc)


def _operation(
    where: str, operation: dict[str, Any], in_path: set[str], doc: dict[str, Any]
) -> Iterator[str]:
    parameters = operation.get("parameters", [])
    declared = {p["name"] for p in parameters if p.get("in") == "path"}
    if declared != in_path:
        yield f"{where}: path parameters {sorted(declared)} are not the path's {sorted(in_path)}"
    for parameter in parameters:
        name = f"{where}/parameters/{parameter.get('name')}"
        ignored = set(parameter) - _PARAMETER_FIELDS
        if ignored:
            yield f"{name}: API Gateway ignores {sorted(ignored)} of a parameter"
        if parameter.get("in") == "query":
            kind = (parameter.get("schema") or {}).get("type")
            if kind not in _PRIMITIVES:
                yield f"{name}: a query parameter must be a primitive, not {kind!r}"
    for status, response in operation.get("responses", {}).items():
        for content in response.get("content", {}).values():
            schema = _resolve(doc, content.get("schema") or {})
            if schema.get("type") != "object":
                yield f"{where}/responses/{status}: a method response's schema must be an object"
    integration = operation.get("x-amazon-apigateway-integration")
    if integration is None:
        yield f"{where}: no x-amazon-apigateway-integration"
    else:
        yield from _integration(where, integration)
    validator = operation.get("x-amazon-apigateway-request-validator")
    if validator is not None and validator not in doc.get(
        "x-amazon-apigateway-request-validators", {}
    ):
        yield f"{where}: request validator {validator!r} is not defined"
    for requirement in operation.get("security", []):
        for scheme in requirement:
            if scheme not in doc.get("components", {}).get("securitySchemes", {}):
                yield f"{where}: security scheme {scheme!r} is not defined"


def _resolve(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _integration(where: str, integration: dict[str, Any]) -> Iterator[str]:
    kind = integration.get("type")
    if kind not in _INTEGRATION_TYPES:
        yield f"{where}: integration type {kind!r} is not one of {sorted(_INTEGRATION_TYPES)}"
    if kind == "aws_proxy" and (
        integration.get("httpMethod") != "POST" or not integration.get("uri")
    ):
        yield f"{where}: a Lambda proxy integration is called with POST at its function's uri"
    for name, template in (integration.get("requestTemplates") or {}).items():
        if not isinstance(template, str):
            yield f"{where}: request template {name} is not a string"
    for pattern, response in (integration.get("responses") or {}).items():
        label = f"{where}: integration response {pattern}"
        if not re.fullmatch(r"[1-5]\d\d", str(response.get("statusCode", ""))):
            yield f"{label}: statusCode must be an HTTP status as a string"
        elif not isinstance(response["statusCode"], str):
            yield f"{label}: statusCode must be a string"
        for key, value in (response.get("responseParameters") or {}).items():
            if not re.fullmatch(r"method\.response\.header\.[A-Za-z0-9-]+", key):
                yield f"{label}: {key} is not method.response.header.<name>"
            if not _MAPPING_VALUE.match(value) and not _PLACEHOLDER_QUOTED.match(value):
                yield f"{label}: {key}'s value {value!r} is not a mapping expression"
        for name, template in (response.get("responseTemplates") or {}).items():
            if not isinstance(template, str):
                yield f"{label}: response template {name} is not a string"


def _security(doc: dict[str, Any]) -> Iterator[str]:
    for name, scheme in doc.get("components", {}).get("securitySchemes", {}).items():
        where = f"components/securitySchemes/{name}"
        if scheme.get("type") != "apiKey":
            yield f"{where}: API Gateway takes securitySchemes of type apiKey only"
        authorizer = scheme.get("x-amazon-apigateway-authorizer")
        if authorizer is None:
            yield f"{where}: no x-amazon-apigateway-authorizer"
            continue
        if authorizer.get("type") == "cognito_user_pools":
            arns = authorizer.get("providerARNs")
            if not (isinstance(arns, list) and arns and all(isinstance(a, str) for a in arns)):
                yield f"{where}: a Cognito authorizer lists its user pools' ARNs"
            if scheme.get("x-amazon-apigateway-authtype") != "cognito_user_pools":
                yield f"{where}: x-amazon-apigateway-authtype must be cognito_user_pools"


def _validators(doc: dict[str, Any]) -> Iterator[str]:
    for name, validator in doc.get("x-amazon-apigateway-request-validators", {}).items():
        if set(validator) - {"validateRequestBody", "validateRequestParameters"} or not all(
            isinstance(value, bool) for value in validator.values()
        ):
            yield f"request validator {name}: only the two validate* booleans"


def _gateway_responses(doc: dict[str, Any]) -> Iterator[str]:
    for kind, response in doc.get("x-amazon-apigateway-gateway-responses", {}).items():
        where = f"x-amazon-apigateway-gateway-responses/{kind}"
        if kind not in GATEWAY_RESPONSE_TYPES:
            yield f"{where}: not a gateway response type"
        if "statusCode" in response and not (
            isinstance(response["statusCode"], str)
            and re.fullmatch(r"[1-5]\d\d", response["statusCode"])
        ):
            yield f"{where}: statusCode must be an HTTP status as a string"
        for key, value in (response.get("responseParameters") or {}).items():
            if not re.fullmatch(r"gatewayresponse\.(header|path|querystring)\.[A-Za-z0-9-]+", key):
                yield f"{where}: {key} is not gatewayresponse.(header|path|querystring).<name>"
            if not _MAPPING_VALUE.match(value) and not _PLACEHOLDER_QUOTED.match(value):
                yield f"{where}: {key}'s value {value!r} is not a mapping expression"
        templates = response.get("responseTemplates") or {}
        if not templates or not all(isinstance(t, str) for t in templates.values()):
            yield f"{where}: needs a responseTemplates body per content type"
