"""What the Lambda functions of one process share: the container, logging, dispatch.

The wiring is built on the first invocation (once per cold start), from environment
variables; ``ECOBID_BACKEND`` picks the adapters. On ``aws`` (every deployed stage) it is
``LambdaWiring``, plain Python, so that no function imports dependency-injector (and the
asyncio it pulls in) at a cold start; on ``memory`` (tests) it is the container. Every
invocation then gets fresh units of work from it. In Lambda, log lines are JSON and
carry the invocation's request id (API Gateway's, for an API request).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from typing import TYPE_CHECKING, Any

from ecobid_entrypoints import logs
from ecobid_entrypoints.functions.wiring import LambdaWiring

if TYPE_CHECKING:
    from ecobid_entrypoints.api.app import ApiApp


@cache
def container() -> Any:
    """The process's ``LambdaWiring`` (``aws``) or ``Container`` (``memory``)."""
    backend = os.environ.get("ECOBID_BACKEND", "aws")
    if backend == "aws":
        return LambdaWiring()
    from ecobid_entrypoints.container import build_container

    return build_container(backend)


@cache
def _configure_logs() -> None:
    # Only in Lambda: tests and the local server keep the logging they set up.
    if os.environ.get("AWS_LAMBDA_FUNCTION_NAME"):
        logs.configure_lambda()


@contextmanager
def invocation(context: Any) -> Iterator[None]:
    """Around one invocation of a processor: its log lines carry Lambda's request id."""
    _configure_logs()
    with logs.request_context(getattr(context, "aws_request_id", None)):
        yield


def serve(route_name: str, event: Mapping[str, Any]) -> dict[str, Any]:
    """Answer one API Gateway proxy event for the named route."""
    from ecobid_entrypoints.api.routes import by_name

    _configure_logs()
    api: ApiApp = container().api()
    return api.handle(event, by_name(route_name))
