"""Lambda entry points: one handler per API function of the plan, plus the processors.

The container is built once per cold start, from environment variables; each invocation
gets fresh units of work from it. ``ECOBID_BACKEND`` picks the adapters (``aws`` in a
deployed stage).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from ecobid_entrypoints.api.routes import ROUTES, Route
from ecobid_entrypoints.container import Container, build_container

Handler = Callable[[Mapping[str, Any], Any], dict[str, Any]]


@cache
def container() -> Container:
    return build_container(os.environ.get("ECOBID_BACKEND", "aws"))


def _api_handler(route: Route) -> Handler:
    def handle(event: Mapping[str, Any], context: Any = None) -> dict[str, Any]:
        return container().api().handle(event, route)

    handle.__name__ = route.handler
    handle.__doc__ = f"{route.name}: {route.method} {route.resource}"
    return handle


HANDLERS: dict[str, Handler] = {route.handler: _api_handler(route) for route in ROUTES}
globals().update(HANDLERS)

__all__ = ["HANDLERS", "container", *HANDLERS]
