"""API Gateway REST proxy events (payload 1.0) in, proxy responses out."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from typing import Any

from attrs import frozen

from ecobid_entrypoints.api import media
from ecobid_entrypoints.api.cors import cors_headers
from ecobid_entrypoints.api.errors import ApiError, invalid, payload_too_large, unauthorized
from ecobid_entrypoints.api.validation import MAX_BODY_BYTES, parse_body


@frozen
class ApiRequest:
    method: str
    resource: str
    path_params: Mapping[str, str]
    query: Mapping[str, str]
    headers: Mapping[str, str]  # lower-case names
    body: str | None
    claims: Mapping[str, Any]
    request_id: str

    @property
    def user_id(self) -> str:
        return str(self.claims["sub"])

    def param(self, name: str) -> str:
        return self.path_params[name]

    def json(self, schema: str) -> dict[str, Any]:
        return parse_body(self.body, schema)

    @classmethod
    def from_event(cls, event: Mapping[str, Any]) -> ApiRequest:
        context = event.get("requestContext") or {}
        claims = (context.get("authorizer") or {}).get("claims") or {}
        if not claims.get("sub"):
            raise unauthorized()
        _refuse_repeated(event.get("multiValueQueryStringParameters") or {})
        body = event.get("body")
        headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
        media.check(headers, body)
        if body is not None and event.get("isBase64Encoded"):
            raise invalid("body", "must be JSON text")
        if body is not None and len(body.encode(errors="surrogatepass")) > MAX_BODY_BYTES:
            raise payload_too_large(MAX_BODY_BYTES)
        return cls(
            method=str(event.get("httpMethod", "")).upper(),
            resource=str(event.get("resource", "")),
            path_params=dict(event.get("pathParameters") or {}),
            query=dict(event.get("queryStringParameters") or {}),
            headers=headers,
            body=body,
            claims=dict(claims),
            request_id=str(context.get("requestId", "")),
        )


def _refuse_repeated(multi: Mapping[str, Any]) -> None:
    """A query parameter given twice is a 400: which value would count is a guess.

    API Gateway's REST proxy event (payload 1.0) keeps only the last value of a repeated
    parameter in ``queryStringParameters`` and every value, in order, in
    ``multiValueQueryStringParameters`` ("Input format of a Lambda function for proxy
    integration", API Gateway developer guide, set-up-lambda-proxy-integrations.html);
    the local server builds both the same way.
    """
    for name, values in multi.items():
        if isinstance(values, list) and len(values) > 1:
            raise invalid(name[:64] or "(empty name)", "is given more than once")


@frozen
class ApiResponse:
    status: int
    body: Any = None
    headers: Mapping[str, str] = {}

    def to_proxy(self, origin: str | None = None) -> dict[str, Any]:
        """The proxy answer to a request from web origin ``origin`` (None: not a browser)."""
        headers = {**cors_headers(origin), **self.headers}
        if self.body is None:
            return {"statusCode": self.status, "headers": headers, "body": ""}
        headers["Content-Type"] = "application/json"
        return {
            "statusCode": self.status,
            "headers": headers,
            "body": json.dumps(self.body, separators=(",", ":")),
        }


def ok(body: Any, status: int = 200, **headers: str) -> ApiResponse:
    return ApiResponse(status, body, headers)


def error_response(
    error: ApiError, request_id: str = "", origin: str | None = None
) -> dict[str, Any]:
    """``error`` in the contract's shape. ``request_id`` is API Gateway's id of the request
    (the event's ``requestContext.requestId``), which the gateway's own error answers carry
    too; where there is none, a fresh one, so every error can be quoted and found in logs."""
    body = error.body(request_id or str(uuid.uuid4()))
    return ApiResponse(error.status, body, error.headers).to_proxy(origin)
