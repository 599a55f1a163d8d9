"""What the Lambda functions of one process share: the container and the API dispatch.

The container is built on the first invocation (once per cold start), from environment
variables; ``ECOBID_BACKEND`` picks the adapters (``aws`` in a deployed stage). Every
invocation then gets fresh units of work from it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from ecobid_entrypoints.container import Container, build_container

if TYPE_CHECKING:
    from ecobid_entrypoints.api.app import ApiApp


@cache
def container() -> Container:
    return build_container(os.environ.get("ECOBID_BACKEND", "aws"))


def serve(route_name: str, event: Mapping[str, Any]) -> dict[str, Any]:
    """Answer one API Gateway proxy event for the named route."""
    from ecobid_entrypoints.api.routes import by_name

    api: ApiApp = container().api()
    return api.handle(event, by_name(route_name))
