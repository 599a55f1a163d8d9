"""Logs that help in production: one JSON line per event in Lambda, with its request id.

Unexpected failures are logged with their traceback; responses never carry one. Nothing
a log line says may reveal a credential, so every formatter here blanks bearer tokens and
JWT-shaped text wherever they appear (a message, an argument, a traceback), whatever
code wrote them.

Powertools for AWS Lambda's ``Logger`` is the ecosystem's choice for this, and these
lines use its field names; it is not used because importing it cost 17-25 ms of CPU on
top of boto3 here, a fifth of an API function's whole budget above the boto3 floor.
"""

from __future__ import annotations

import contextvars
import json
import logging
import os
import re
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

_REQUEST_ID: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
_SECRETS = re.compile(
    r"(?i:bearer)\s+[^\s\"',;]+"  # an Authorization header's value
    r"|eyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*"  # a JWT, wherever it turns up
)
# Attributes every LogRecord has: anything else was passed as ``extra`` and is logged.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


def redact(text: str) -> str:
    return _SECRETS.sub("[redacted]", text)


@contextmanager
def request_context(request_id: str | None) -> Iterator[None]:
    """Every line logged inside carries ``request_id``."""
    token = _REQUEST_ID.set(request_id or None)
    try:
        yield
    finally:
        _REQUEST_ID.reset(token)


def _extras(record: logging.LogRecord) -> dict[str, Any]:
    return {k: v for k, v in vars(record).items() if k not in _STANDARD and k[0] != "_"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line, as CloudWatch Logs Insights reads them."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "level": record.levelname,
            "location": f"{record.name}:{record.lineno}",
            "message": record.getMessage(),
            "timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "request_id": _REQUEST_ID.get(),
            "function_name": os.environ.get("AWS_LAMBDA_FUNCTION_NAME"),
            **_extras(record),
        }
        if record.exc_info:
            line["exception_name"] = getattr(record.exc_info[0], "__name__", None)
            line["exception"] = self.formatException(record.exc_info)
        return redact(json.dumps(line, default=str, ensure_ascii=False))


class PlainFormatter(logging.Formatter):
    """The local server's readable lines, with the same request id and redaction."""

    def __init__(self) -> None:
        super().__init__("%(levelname)s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        request_id = _REQUEST_ID.get()
        return redact(f"{text} [request {request_id}]" if request_id else text)


def configure(formatter: logging.Formatter, level: str | int = "INFO") -> None:
    """Format every root handler's lines with ``formatter`` (Lambda's runtime installs
    one handler of its own; elsewhere there is one on standard error)."""
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.StreamHandler(sys.stderr))
    for handler in root.handlers:
        handler.setFormatter(formatter)
    root.setLevel(level.upper() if isinstance(level, str) else level)


def configure_lambda(environ: Mapping[str, str] = os.environ) -> None:
    configure(JsonFormatter(), environ.get("ECOBID_LOG_LEVEL", "INFO"))
