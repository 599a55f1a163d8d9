"""Media types: a body must be JSON, and the caller must accept JSON back.

The API speaks ``application/json`` only. A body sent as anything else (a form, XML,
no ``Content-Type`` at all) is 415 before it is read, so it can change nothing; an
``Accept`` that rules JSON out is 406. Parameters (``; charset=utf-8``) and letter case
do not matter. An absent or empty ``Accept`` accepts anything, as do ``*/*`` and
``application/*``; a range with ``q=0`` refuses, and the most specific range that names
JSON decides (``application/json;q=0, */*`` refuses). Entries that cannot be read are
skipped rather than refused, as RFC 9110 lets a server do.
"""

from __future__ import annotations

from collections.abc import Mapping

from ecobid_entrypoints.api.errors import ApiError

JSON = "application/json"

UNSUPPORTED = ApiError(
    415, "unsupported_media_type", "a request body must be sent as Content-Type: application/json"
)
NOT_ACCEPTABLE = ApiError(
    406, "not_acceptable", "this API answers in application/json only; Accept must allow it"
)


def check(headers: Mapping[str, str], body: str | None) -> None:
    """Raise 415 or 406 for a request whose media types the API cannot serve.

    ``headers`` has lower-case names.
    """
    if body and _media_type(headers.get("content-type") or "") != JSON:
        raise UNSUPPORTED
    accept = (headers.get("accept") or "").strip()
    if accept and not accepts_json(accept):
        raise NOT_ACCEPTABLE


def _media_type(value: str) -> str:
    return value.split(";", 1)[0].strip().lower()


def accepts_json(accept: str) -> bool:
    """Whether an ``Accept`` header value lets the answer be ``application/json``."""
    best: tuple[int, float] | None = None  # (specificity, q) of the most specific match
    readable = False
    for entry in accept.split(",")[:50]:
        media, *params = entry.split(";")
        media = media.strip().lower()
        if media.count("/") != 1:
            continue
        q = _quality(params)
        if q is None:
            continue
        readable = True
        specificity = {JSON: 2, "application/*": 1, "*/*": 0}.get(media)
        if specificity is not None and (best is None or specificity > best[0]):
            best = (specificity, q)
    if not readable:
        return True
    return best is not None and best[1] > 0


def _quality(params: list[str]) -> float | None:
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                q = float(value.strip())
            except ValueError:
                return None
            return q if 0 <= q <= 1 else None
    return 1.0
