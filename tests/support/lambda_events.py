"""Events as AWS sends them to the Lambda handlers."""

from __future__ import annotations

import json


def proxy_event(method: str, resource: str, path: str, body=None, sub="user-1", params=None):
    return {
        "resource": resource,
        "path": path,
        "httpMethod": method,
        "headers": {"Content-Type": "application/json"},
        "multiValueHeaders": {},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": params,
        "stageVariables": None,
        "requestContext": {
            "resourcePath": resource,
            "httpMethod": method,
            "stage": "prod",
            "requestId": "req-1",
            "authorizer": {
                "claims": {"sub": sub, "email": f"{sub}@example.com", "token_use": "id"}
            },
        },
        "body": None if body is None else json.dumps(body),
        "isBase64Encoded": False,
    }
