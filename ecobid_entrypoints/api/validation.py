"""Parsing untrusted input: JSON bodies against the published schemas, query strings."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match
from jsonschema.validators import extend
from referencing import Registry, Resource

from ecobid_entrypoints.api.errors import ApiError, invalid
from ecobid_entrypoints.api.schemas import COMPONENTS

MAX_BODY_BYTES = 64 * 1024

# Money and counts are integers: 5.0 is not accepted where an integer is due.
_TYPES = Draft202012Validator.TYPE_CHECKER.redefine(
    "integer", lambda _checker, value: isinstance(value, int) and not isinstance(value, bool)
)
_VALIDATOR_CLASS = extend(Draft202012Validator, type_checker=_TYPES)  # type: ignore[no-untyped-call]
_BASE = "urn:ecobid:api"
_ROOT = {"$id": _BASE, "components": {"schemas": COMPONENTS}}
_REGISTRY: Registry = Registry().with_resource(_BASE, Resource.opaque(_ROOT))
_VALIDATORS = {
    name: _VALIDATOR_CLASS({"$ref": f"{_BASE}#/components/schemas/{name}"}, registry=_REGISTRY)
    for name in COMPONENTS
}


def _no_constants(token: str) -> Any:
    raise ValueError(f"{token} is not JSON")


def parse_body(body: str | None, schema: str) -> dict[str, Any]:
    """The body as a dict that satisfies ``schema``, or a 400/413 that says what is wrong."""
    if body is None or body.strip() == "":
        raise invalid("body", "a JSON object is required")
    if len(body.encode()) > MAX_BODY_BYTES:
        raise ApiError(413, "payload_too_large", f"the body is over {MAX_BODY_BYTES} bytes")
    try:
        data = json.loads(body, parse_constant=_no_constants)
    except (ValueError, RecursionError):
        raise invalid("body", "is not valid JSON") from None
    if not isinstance(data, dict):
        raise invalid("body", "must be a JSON object")
    errors = list(_VALIDATORS[schema].iter_errors(data))
    if errors:
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


def query_float(query: Mapping[str, str], name: str, *, low: float, high: float) -> float | None:
    raw = query.get(name)
    if raw is None:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise invalid(name, "must be a number") from None
    if math.isnan(value) or not low <= value <= high:
        raise invalid(name, f"must be between {low:g} and {high:g}")
    return value


def query_int(query: Mapping[str, str], name: str, *, low: int, high: int, default: int) -> int:
    raw = query.get(name)
    if raw is None:
        return default
    if not raw.strip().isdigit():
        raise invalid(name, "must be a whole number")
    value = int(raw)
    if not low <= value <= high:
        raise invalid(name, f"must be between {low} and {high}")
    return value


def query_choice(query: Mapping[str, str], name: str, choices: tuple[str, ...]) -> str | None:
    raw = query.get(name)
    if raw is not None and raw not in choices:
        raise invalid(name, f"must be one of {', '.join(choices)}")
    return raw
