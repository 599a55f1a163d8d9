"""Which web origins may read the API's answers (CORS), from one setting.

The allowed origins are one Terraform variable (``cors_origins``). The functions get it as
``ECOBID_CORS_ORIGINS`` (comma-separated); the gateway's own answers and its preflights
get it through the document (``deploy/openapi_aws.py``). Unset, or ``*``, allows every
origin: the local server's default.

A browser takes one origin, or ``*``, in ``Access-Control-Allow-Origin``. With several
allowed, an answer names the request's ``Origin`` when it is one of them (and says
``Vary: Origin``, so a cache keeps answers per origin apart); otherwise the first, which a
browser at any other origin refuses, as it should.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

ORIGINS_ENV = "ECOBID_CORS_ORIGINS"
ANY = "*"

_FIXED = {
    "Access-Control-Allow-Headers": "Authorization,Content-Type,If-Match",
    "Access-Control-Allow-Methods": "GET,POST,PUT,DELETE,OPTIONS",
    "Access-Control-Expose-Headers": "Location,ETag,Retry-After",
    "Access-Control-Max-Age": "600",
}


def allowed_origins(environ: Mapping[str, str] = os.environ) -> tuple[str, ...]:
    """The allowed origins, as configured; read on each call (tests and the local
    server may set them after import)."""
    raw = environ.get(ORIGINS_ENV, "")
    origins = tuple(part.strip() for part in raw.split(",") if part.strip())
    return origins or (ANY,)


def allow_origin(origin: str | None, allowed: tuple[str, ...] | None = None) -> str:
    """The ``Access-Control-Allow-Origin`` value for a request from ``origin``."""
    allowed = allowed if allowed is not None else allowed_origins()
    if ANY in allowed:
        return ANY
    if origin in allowed:
        return str(origin)
    return allowed[0]


def cors_headers(origin: str | None = None) -> dict[str, str]:
    """Every CORS header of an answer to a request from ``origin``."""
    allowed = allowed_origins()
    headers = {"Access-Control-Allow-Origin": allow_origin(origin, allowed), **_FIXED}
    if ANY not in allowed and len(allowed) > 1:
        headers["Vary"] = "Origin"
    return headers


def request_origin(headers: Mapping[str, str] | None) -> str | None:
    """The request's ``Origin`` header, whatever the case of its name."""
    return next((v for k, v in (headers or {}).items() if k.lower() == "origin"), None)
