"""The dispatcher every API Lambda handler and the local server go through.

It turns a proxy event into a request, makes sure the caller has a profile, runs the
route's view, and turns every outcome (including a bug) into the contract's response
shape. It logs one line per request (route, status, latency, caller) with no token or
body in it, and a bug with its traceback; every line carries API Gateway's request id.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping
from typing import Any

from ecobid_core.errors import DomainError, Unavailable
from ecobid_core.services.users import ensure_profile
from ecobid_entrypoints import logs
from ecobid_entrypoints.api import errors
from ecobid_entrypoints.api.cors import request_origin
from ecobid_entrypoints.api.deps import AppDeps
from ecobid_entrypoints.api.http import ApiRequest, ApiResponse, error_response
from ecobid_entrypoints.api.routes import Route, find

log = logging.getLogger("ecobid.api")


class ApiApp:
    def __init__(self, deps: AppDeps) -> None:
        self.deps = deps
        # Profiles already known in this process: saves a read on every request.
        self._known_users: set[str] = set()
        self._lock = threading.Lock()

    def handle(self, event: Mapping[str, Any], route: Route | None = None) -> dict[str, Any]:
        context = event.get("requestContext") or {}
        with logs.request_context(str(context.get("requestId", ""))):
            return self._handle(event, route, context)

    def _handle(
        self, event: Mapping[str, Any], route: Route | None, context: Mapping[str, Any]
    ) -> dict[str, Any]:
        started = time.perf_counter()
        method = str(event.get("httpMethod", "")).upper()
        resource = str(event.get("resource", ""))
        route = route or find(method, resource)
        request_id = str(context.get("requestId", ""))
        origin = request_origin(event.get("headers"))
        if method == "OPTIONS":
            response = ApiResponse(204).to_proxy(origin)
        elif route is None:
            response = error_response(
                errors.ApiError(404, "not_found", "no such operation"), request_id, origin
            )
        else:
            response = self._run(route, event, request_id, origin)
        latency_ms = round((time.perf_counter() - started) * 1000, 1)
        caller = ((context.get("authorizer") or {}).get("claims") or {}).get("sub")
        log.info(
            "%s %s -> %s in %.1f ms by %s",
            method,
            resource,
            response["statusCode"],
            latency_ms,
            caller,
            extra={
                "route": route.name if route else None,
                "status": response["statusCode"],
                "latency_ms": latency_ms,
                "caller_id": caller,
            },
        )
        return response

    def _run(
        self, route: Route, event: Mapping[str, Any], request_id: str, origin: str | None
    ) -> dict[str, Any]:
        try:
            request = ApiRequest.from_event(event)
            if route.request is None and request.body not in (None, ""):
                # Not ignored: a client sending one believes it says something.
                raise errors.invalid("body", "this operation takes no body")
            route.params.refuse_unknown(request)
            self._ensure_profile(request)
            return route.view(request, self.deps).to_proxy(origin)
        except errors.ApiError as error:
            refusal = error
        except DomainError as error:
            refusal = errors.from_domain(error)
        except Unavailable:
            refusal = errors.UNAVAILABLE
        except Exception:
            # The traceback goes to the log, for whoever mends the bug; the caller gets
            # the contract's generic 500 and nothing of the cause.
            log.exception("%s failed unexpectedly", route.name)
            refusal = errors.INTERNAL
        return error_response(refusal, request_id, origin)

    def _ensure_profile(self, request: ApiRequest) -> None:
        user_id = request.user_id
        with self._lock:
            if user_id in self._known_users:
                return
        email = str(request.claims.get("email", ""))
        self.deps.run(lambda uow: ensure_profile(user_id, email, uow, self.deps.clock))
        with self._lock:
            self._known_users.add(user_id)
