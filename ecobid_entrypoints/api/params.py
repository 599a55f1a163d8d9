"""A route's parameters, declared once: the view parses them and the OpenAPI document
publishes them from the same declaration, so the two cannot disagree.

Each ``Param`` carries the JSON Schema of its value (type, range, enum, pattern,
default). ``Params.parse`` reads a request by it: a missing optional value takes its
default, a bad one is a 400 naming the parameter. Rules between parameters (``together``,
``one_of``) are checked here and said in the operation's description (``rules``): every
query parameter is published on its own, a primitive and not ``required``, because API
Gateway's validator and client generators understand only that (an object parameter made
the gateway wait for a ``?query=`` no client sends).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from attrs import field, frozen

from ecobid_adapters.cursors import MAX_CURSOR_CHARS
from ecobid_entrypoints.api.errors import invalid

if TYPE_CHECKING:
    from ecobid_entrypoints.api.http import ApiRequest


@frozen
class Param:
    name: str
    where: str  # "query", "path" or "header", as OpenAPI's ``in``
    schema: Mapping[str, Any]
    required: bool = False
    description: str = ""

    def parse(self, raw: str | None) -> Any:
        if raw is None:
            if self.required:
                raise invalid(self.name, "is required")
            return self.schema.get("default")
        kind = self.schema.get("type", "string")
        if kind == "integer":
            if not raw.strip().isdigit():
                raise invalid(self.name, "must be a whole number")
            return self._in_range(int(raw))
        if kind == "number":
            try:
                value = float(raw)
            except ValueError:
                raise invalid(self.name, "must be a number") from None
            if math.isnan(value):
                raise invalid(self.name, "must be a number")
            return self._in_range(value)
        choices = self.schema.get("enum")
        if choices is not None and raw not in choices:
            raise invalid(self.name, f"must be one of {', '.join(choices)}")
        pattern = self.schema.get("pattern")
        if pattern is not None and re.search(pattern, raw) is None:
            raise invalid(self.name, self.description or f"must match {pattern}")
        if len(raw) < self.schema.get("minLength", 0):
            raise invalid(self.name, "must not be empty")
        return raw

    def _in_range(self, value: float) -> Any:
        high = self.schema.get("maximum", math.inf)
        if "exclusiveMinimum" in self.schema:
            low = self.schema["exclusiveMinimum"]
            if not low < value <= high:
                raise invalid(self.name, f"must be over {low:g} and at most {high:g}")
        elif not self.schema.get("minimum", -math.inf) <= value <= high:
            raise invalid(self.name, f"must be between {self.schema['minimum']:g} and {high:g}")
        return value


@frozen
class Params:
    items: tuple[Param, ...] = ()
    # Names that come all together or not at all (lat and lon).
    together: tuple[str, ...] = ()
    # Groups of names, one group of which must be given in full.
    one_of: tuple[tuple[str, ...], ...] = ()
    _by_name: dict[str, Param] = field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {param.name: param for param in self.items})

    def parse(self, req: ApiRequest) -> dict[str, Any]:
        """Every declared parameter of ``req``, parsed, by name."""
        given = {name for name in self.together if _raw(req, self._by_name[name]) is not None}
        if given and len(given) < len(self.together):
            missing = next(name for name in self.together if name not in given)
            raise invalid(missing, f"must come with {', '.join(sorted(given))}")
        parsed = {param.name: param.parse(_raw(req, param)) for param in self.items}
        if self.one_of and not any(all(parsed[n] is not None for n in g) for g in self.one_of):
            first = self.one_of[0][0]
            alternatives = " or ".join(", ".join(group) for group in self.one_of)
            raise invalid(first, f"is required: give {alternatives}")
        return parsed

    def refuse_unknown(self, req: ApiRequest) -> None:
        """A query parameter the operation does not declare is a 400, not silently ignored:
        a misspelt ``catgory=`` would otherwise widen a search without a word."""
        declared = {param.name for param in self.of("query")}
        unknown = sorted(name for name in req.query if name not in declared)
        if unknown:
            # The name only, cut short: a hostile one must not fill the answer.
            raise invalid(unknown[0][:64] or "(empty name)", "is not a parameter of this operation")

    def rules(self) -> str:
        """The rules between parameters, in words, for the operation's description."""
        sentences = []
        if self.one_of:
            groups = " or ".join(" and ".join(group) for group in self.one_of)
            sentences.append(f"Give {groups}.")
        if self.together:
            sentences.append(f"{' and '.join(self.together)} come together or not at all.")
        if sentences:
            sentences.append("A request that breaks this is a 400 validation_error.")
        return " ".join(sentences)

    def of(self, where: str) -> tuple[Param, ...]:
        return tuple(param for param in self.items if param.where == where)


def _raw(req: ApiRequest, param: Param) -> str | None:
    source = {"query": req.query, "path": req.path_params, "header": req.headers}[param.where]
    key = param.name.lower() if param.where == "header" else param.name
    value = source.get(key)
    if value == "" and param.where == "query" and _empty_is_no_value(param.schema):
        return None
    return value


def _empty_is_no_value(schema: Mapping[str, Any]) -> bool:
    """An empty query value counts as absent only where the schema allows an empty string
    (``?cursor=`` is the first page); elsewhere (``?category=``, ``?lat=``) it is
    checked, and refused, as the document says."""
    if schema.get("type", "string") != "string" or "enum" in schema:
        return False
    if schema.get("minLength", 0) > 0:
        return False
    return re.search(schema.get("pattern", ""), "") is not None


def cursor_param() -> Param:
    """``cursor``: a page's ``nextCursor``, passed back as it came (unpadded base64url).

    The pattern is all a schema can say; whether the server wrote it is checked on decoding.
    Empty is allowed: an empty query value is no value, the first page.
    """
    schema = {"type": "string", "pattern": f"^[A-Za-z0-9_-]{{0,{MAX_CURSOR_CHARS}}}$"}
    return Param("cursor", "query", schema, description="must be the nextCursor of an earlier page")


def path_id(description: str) -> Param:
    return Param("id", "path", {"type": "string", "minLength": 1}, True, description)
