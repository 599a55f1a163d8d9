"""HTTP requests as the API Gateway REST proxy events (payload 1.0) that Lambda receives."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ecobid_entrypoints.api.routes import ROUTES


def _pattern(resource: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", resource) + "$")


_RESOURCES = [(route.resource, _pattern(route.resource)) for route in ROUTES]


def match_resource(path: str) -> tuple[str, dict[str, str]] | None:
    for resource, pattern in _RESOURCES:
        found = pattern.match(path)
        if found:
            return resource, found.groupdict()
    return None


def proxy_event(
    method: str,
    raw_path: str,
    headers: Mapping[str, str],
    body: str | None,
    claims: Mapping[str, Any] | None,
    source_ip: str = "127.0.0.1",
) -> dict[str, Any]:
    url = urlsplit(raw_path)
    matched = match_resource(url.path)
    resource, params = matched if matched else (url.path, {})
    multi = parse_qs(url.query, keep_blank_values=True)
    request_id = str(uuid.uuid4())
    return {
        "resource": resource,
        "path": url.path,
        "httpMethod": method,
        "headers": dict(headers),
        "multiValueHeaders": {k: [v] for k, v in headers.items()},
        "queryStringParameters": {k: v[-1] for k, v in multi.items()} or None,
        "multiValueQueryStringParameters": multi or None,
        "pathParameters": params or None,
        "stageVariables": None,
        "requestContext": {
            "resourcePath": resource,
            "httpMethod": method,
            "path": url.path,
            "stage": "local",
            "requestId": request_id,
            "identity": {"sourceIp": source_ip},
            "authorizer": {"claims": dict(claims)} if claims else None,
        },
        "body": body,
        "isBase64Encoded": False,
    }
