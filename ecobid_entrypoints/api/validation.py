"""Parsing untrusted input: JSON bodies against the published schemas, times.

A body is checked by a validator that fastjsonschema compiles from its schema, on the
first body of that schema a process parses. Only a body that fails it is handed to
jsonschema, to say what is wrong (``problems``) and to decide: jsonschema is the
authority, the fast check only spares a valid body its import (BENCHMARKS.md, rows
"first body"). Functions whose requests have no body (reads, deletes, reservations) pay
for neither.

Numbers follow JSON Schema's data model, where ``1.0`` and ``1`` are the same integer:
an integral number is read as an ``int``, so ``{"amount": 1.0}`` is the bid of 1 the
document allows, and ``1.5`` is refused where an integer is due.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from typing import Any

from ecobid_core.model import text
from ecobid_entrypoints.api import problems
from ecobid_entrypoints.api.errors import ApiError, invalid
from ecobid_entrypoints.api.schemas import COMPONENTS

MAX_BODY_BYTES = 64 * 1024
_BASE = "urn:ecobid:api"


#: jsonschema asserts no ``format`` unless asked to, and the API parses its times itself
#: (``parse_time``); the fast check must not be stricter than the authority.
_FORMATS_IGNORED = {"date-time": lambda value: True}


@cache
def fast_check(schema: str) -> Callable[[Any], Any]:
    """Raises ``fastjsonschema.JsonSchemaException`` for a value ``schema`` refuses."""
    import fastjsonschema

    document = {"$ref": f"#/components/schemas/{schema}", "components": {"schemas": COMPONENTS}}
    # Defaults stay out of the body: jsonschema never fills them in either.
    checked: Callable[[Any], Any] = fastjsonschema.compile(
        document, formats=_FORMATS_IGNORED, use_default=False
    )
    return checked


@cache
def full_validator(schema: str) -> Any:
    """jsonschema's validator of ``schema``: every error, each with its path and rule."""
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    root = {"$id": _BASE, "components": {"schemas": COMPONENTS}}
    registry: Registry = Registry().with_resource(_BASE, Resource.opaque(root))
    return Draft202012Validator(
        {"$ref": f"{_BASE}#/components/schemas/{schema}"}, registry=registry
    )


def _check(data: dict[str, Any], schema: str) -> None:
    from fastjsonschema import JsonSchemaException

    check = fast_check(schema)
    try:
        check(data)
    except JsonSchemaException:
        errors = list(full_validator(schema).iter_errors(data))
        if errors:
            from jsonschema.exceptions import best_match

            raise problems.refusal(best_match(errors), errors) from None


def _number(text: str) -> int | float:
    value = float(text)
    return int(value) if value.is_integer() else value


def _no_constants(token: str) -> Any:
    raise ValueError(f"{token} is not JSON")


class _RepeatedKey(Exception):
    """Not a ValueError, so that it passes the parser's own error handling untouched."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # RFC 8259 leaves a repeated name's meaning open: parsers keep the first, the last or
    # both. Refused, so that no reader (a proxy, a log, this API) takes another value.
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise _RepeatedKey(key)
        found[key] = value
    return found


def parse_body(body: str | None, schema: str) -> dict[str, Any]:
    """The body as a dict that satisfies ``schema``, or a 400/413 that says what is wrong.

    Every string in it is checked for valid Unicode and put in NFC first, so the lengths
    the schema counts are those the model counts and stores.
    """
    if body is None or body.strip() == "":
        raise invalid("body", "a JSON object is required")
    if len(body.encode(errors="surrogatepass")) > MAX_BODY_BYTES:
        raise ApiError(413, "payload_too_large", f"the body is over {MAX_BODY_BYTES} bytes")
    try:
        data = json.loads(
            body, parse_constant=_no_constants, parse_float=_number, object_pairs_hook=_unique_keys
        )
    except (ValueError, RecursionError):
        raise invalid("body", "is not valid JSON") from None
    except _RepeatedKey as repeated:
        name = problems.field_name(repeated.key) or "(empty name)"
        raise invalid(name, "appears more than once in an object") from None
    if not isinstance(data, dict):
        raise invalid("body", "must be a JSON object")
    data = _normalised(data)
    _check(data, schema)
    return data


def _normalised(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with every string in NFC; a lone surrogate anywhere is a 400 naming where."""
    out: dict[str, Any] = {}
    stack: list[tuple[Any, Any, str]] = [(data, out, "")]
    while stack:
        source, target, where = stack.pop()
        entries = source.items() if isinstance(source, dict) else enumerate(source)
        for key, value in entries:
            field = f"{where}.{key}" if where else str(key)
            if isinstance(key, str):
                text.check_unicode(key, problems.field_name(where or "body"))
            if isinstance(value, str):
                text.check_unicode(value, problems.field_name(field))
                value = text.normalised(value)
            elif isinstance(value, dict | list):
                child: Any = {} if isinstance(value, dict) else [None] * len(value)
                stack.append((value, child, field))
                value = child
            target[key] = value
    return out


def parse_time(value: str, field: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise invalid(field, "must be an ISO 8601 time") from None
    if parsed.tzinfo is None:
        raise invalid(field, "must carry a time zone, e.g. a Z suffix")
    return parsed.astimezone(UTC)
