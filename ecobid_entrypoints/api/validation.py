"""Parsing untrusted input: JSON bodies against the published schemas, times.

The validators are built on the first body a process parses: jsonschema costs about
30 ms of CPU to import, which functions whose requests have no body (reads, deletes,
reservations) then never pay at a cold start.

Numbers follow JSON Schema's data model, where ``1.0`` and ``1`` are the same integer:
an integral number is read as an ``int``, so ``{"amount": 1.0}`` is the bid of 1 the
document allows, and ``1.5`` is refused where an integer is due.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import cache
from typing import Any

from ecobid_entrypoints.api.errors import ApiError, invalid
from ecobid_entrypoints.api.schemas import COMPONENTS

MAX_BODY_BYTES = 64 * 1024
_BASE = "urn:ecobid:api"


@cache
def _validators() -> dict[str, Any]:
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    root = {"$id": _BASE, "components": {"schemas": COMPONENTS}}
    registry: Registry = Registry().with_resource(_BASE, Resource.opaque(root))
    return {
        name: Draft202012Validator(
            {"$ref": f"{_BASE}#/components/schemas/{name}"}, registry=registry
        )
        for name in COMPONENTS
    }


def _number(text: str) -> int | float:
    value = float(text)
    return int(value) if value.is_integer() else value


def _no_constants(token: str) -> Any:
    raise ValueError(f"{token} is not JSON")


def parse_body(body: str | None, schema: str) -> dict[str, Any]:
    """The body as a dict that satisfies ``schema``, or a 400/413 that says what is wrong."""
    if body is None or body.strip() == "":
        raise invalid("body", "a JSON object is required")
    if len(body.encode()) > MAX_BODY_BYTES:
        raise ApiError(413, "payload_too_large", f"the body is over {MAX_BODY_BYTES} bytes")
    try:
        data = json.loads(body, parse_constant=_no_constants, parse_float=_number)
    except (ValueError, RecursionError):
        raise invalid("body", "is not valid JSON") from None
    if not isinstance(data, dict):
        raise invalid("body", "must be a JSON object")
    errors = list(_validators()[schema].iter_errors(data))
    if errors:
        from jsonschema.exceptions import best_match

        details = [_detail(error) for error in sorted(errors, key=lambda e: list(e.path))]
        first = best_match(errors)
        raise ApiError(400, "validation_error", f"{_field(first)}: {first.message}", details)
    return data


def _field(error: Any) -> str:
    path = ".".join(str(part) for part in error.absolute_path)
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else ""
        return ".".join(filter(None, [path, missing])) or "body"
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return ".".join(filter(None, [path, *extra[:1]])) or "body"
    return path or "body"


def _detail(error: Any) -> dict[str, str]:
    return {"field": _field(error), "message": error.message}


def parse_time(value: str, field: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise invalid(field, "must be an ISO 8601 time") from None
    if parsed.tzinfo is None:
        raise invalid(field, "must carry a time zone, e.g. a Z suffix")
    return parsed.astimezone(UTC)
