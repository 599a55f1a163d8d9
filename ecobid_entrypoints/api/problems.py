"""Schema violations as the contract's 400: each detail names the field and the rule.

jsonschema's own messages quote the rejected value (twice, for some keywords), so a 60
KiB title came back as a 120 KiB error. These messages are built from the schema alone:
a value is never repeated, a field name the client made up is cut short and escaped,
and no more than ``MAX_DETAILS`` details are listed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ecobid_core.model import text
from ecobid_entrypoints.api.errors import ApiError

MAX_DETAILS = 10
MAX_NAME = 40
#: An enum longer than this is refused with its schema's description, not its list.
MAX_CHOICES = 20

_TYPE_NAMES = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "object": "an object",
    "array": "an array",
    "boolean": "true or false",
    "null": "null",
}


def field_name(name: str) -> str:
    """A field name fit to repeat: printable ASCII, at most ``MAX_NAME`` characters."""
    printable = name.encode("ascii", "backslashreplace").decode("ascii")
    printable = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in printable)
    return printable if len(printable) <= MAX_NAME else printable[: MAX_NAME - 3] + "..."


def refusal(first: Any, errors: Iterable[Any]) -> ApiError:
    """The 400 for a body that broke its schema; ``first`` is the error to headline."""
    details: list[dict[str, str]] = []
    for error in sorted(errors, key=_order):
        details.extend(_details(error))
    # One detail per field: an empty name breaks both minLength and the non-blank
    # pattern, one problem. A field that may not be given at all says that first;
    # otherwise the schema's own order decides which rule speaks (type, then lengths,
    # then pattern): the sort is stable, and the first detail of each field stays.
    firsts: dict[str, dict[str, str]] = {}
    for detail in details:
        firsts.setdefault(detail["field"], detail)
    details = list(firsts.values())
    if len(details) > MAX_DETAILS:
        more = len(details) - (MAX_DETAILS - 1)
        details = details[: MAX_DETAILS - 1]
        details.append({"field": "body", "message": f"and {more} more problems"})
    headline = firsts.get(_details(first)[0]["field"], _details(first)[0])
    return ApiError(400, "validation_error", f"{headline['field']}: {headline['message']}", details)


def _order(error: Any) -> tuple[list[str], int]:
    return [str(part) for part in error.absolute_path], 0 if error.validator == "not" else 1


def _path(error: Any, *extra: str) -> str:
    parts = [field_name(str(part)) for part in error.absolute_path]
    parts += [field_name(name) for name in extra]
    return ".".join(parts) or "body"


def _details(error: Any) -> list[dict[str, str]]:
    keyword, rule, instance = error.validator, error.validator_value, error.instance
    if keyword in ("oneOf", "anyOf") and error.context:
        from jsonschema.exceptions import best_match

        # The branch of the value's own type says more than "must be null" does.
        deeper = [e for e in error.context if e.validator != "type" or e.relative_path]
        return _details(best_match(deeper or error.context))
    if keyword == "required":
        present = instance if isinstance(instance, dict) else {}
        missing = [name for name in rule if name not in present]
        return [{"field": _path(error, name), "message": "is required"} for name in missing]
    if keyword == "additionalProperties":
        known = set(error.schema.get("properties", {}))
        extra = sorted(name for name in instance if name not in known)
        return [{"field": _path(error, name), "message": "is not a known field"} for name in extra]
    return [{"field": _path(error), "message": _rule(keyword, rule, error)}]


def _rule(keyword: str, rule: Any, error: Any) -> str:
    if keyword == "type":
        kinds = [rule] if isinstance(rule, str) else list(rule)
        return "must be " + " or ".join(_TYPE_NAMES.get(kind, kind) for kind in kinds)
    if keyword == "minLength":
        return "must not be empty" if rule == 1 else f"must be at least {rule} characters"
    if keyword == "maxLength":
        return f"must be at most {rule} characters"
    if keyword == "minimum":
        return f"must be at least {rule}"
    if keyword == "maximum":
        return f"must be at most {rule}"
    if keyword == "exclusiveMinimum":
        return f"must be over {rule}"
    if keyword == "exclusiveMaximum":
        return f"must be under {rule}"
    if keyword == "enum":
        if len(rule) > MAX_CHOICES:  # currencies: a long list says less than a sentence
            return str(error.schema.get("description") or "is not an allowed value")
        return "must be one of " + ", ".join(str(choice) for choice in rule)
    if keyword == "const":
        return f"must be {rule}"
    if keyword == "pattern":
        return _pattern_rule(rule, error.instance)
    if keyword == "minProperties":
        return f"must have at least {rule} field{'s' if rule != 1 else ''}"
    if keyword == "not":
        return "must not be given here"
    if keyword in ("oneOf", "anyOf"):
        return "matches none of the allowed forms"
    return f"breaks the schema's {field_name(keyword)} rule"


def _pattern_rule(pattern: str, value: Any) -> str:
    """A text field's pattern is the model's rule: say which part of it was broken."""
    for multiline in (False, True):
        for non_blank in (False, True):
            if pattern == text.pattern(multiline=multiline, non_blank=non_blank):
                if isinstance(value, str):
                    broken = text.problem(value, multiline=multiline)
                    if broken is not None:
                        return broken
                return "must have a character other than white space"
    return f"must match the pattern {pattern}"
