"""``ecobid serve``: the API on waitress, for the app's developers and tests.

Each request becomes the same proxy event API Gateway would send, for the same handler.
The server checks bearer tokens itself (in AWS the Cognito authorizer does), limits each
caller to the plan's request rate, and adds the ``/_dev`` namespace that no deployed
stage has.

waitress does the HTTP/1.1: framing (``Content-Length`` and chunked bodies, read whole
before the app sees them), keep-alive, pipelining, a listen backlog of 1024. What it
answers itself, without the app, is a request it cannot parse: a malformed request line
or header (400), headers over 256 KiB (431), a body over the upload limit (413), a
transfer coding other than chunked (501). Those go through ``_JsonErrorTask``, so they
too are in the API's error shape. Every answer the app gives is in that shape, and any
exception, whatever raised it, becomes a 503 ``unavailable`` (a backend said so) or a
500 ``internal_error`` with its traceback logged: never a dropped connection.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import Any, BinaryIO

from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.server import TcpWSGIServer
from waitress.task import ErrorTask

from ecobid_adapters.memory.images import IMAGES_PATH, UPLOAD_PATH
from ecobid_core.errors import Unavailable
from ecobid_core.model.uploads import MAX_UPLOAD_BYTES
from ecobid_core.ports.services import InvalidToken
from ecobid_entrypoints.api.app import ApiApp
from ecobid_entrypoints.api.cors import cors_headers, request_origin
from ecobid_entrypoints.api.errors import (
    INTERNAL,
    UNAVAILABLE,
    ApiError,
    invalid,
    method_not_allowed,
    not_found_route,
    payload_too_large,
    unauthorized,
)
from ecobid_entrypoints.api.http import error_response
from ecobid_entrypoints.api.limits import DEFAULT_RATE, RateLimiter
from ecobid_entrypoints.api.openapi import document
from ecobid_entrypoints.api.routes import ROUTES
from ecobid_entrypoints.api.validation import MAX_BODY_BYTES
from ecobid_entrypoints.container import Container
from ecobid_entrypoints.local.dev import DevEndpoints
from ecobid_entrypoints.local.events import match_resource, proxy_event
from ecobid_entrypoints.local.uploads import FORM_OVERHEAD, LocalUploads

log = logging.getLogger("ecobid.local")

#: Pending connections the kernel queues before accept (waitress's default, said aloud).
BACKLOG = 1024
#: Open connections served at once; more wait in the backlog.
CONNECTION_LIMIT = 1000
#: Worker threads running the app; connections are multiplexed onto them.
THREADS = 8

_ALLOWED: dict[str, list[str]] = {}
for _route in ROUTES:
    _ALLOWED.setdefault(_route.resource, []).append(_route.method)

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


class LocalServer:
    def __init__(
        self,
        container: Container,
        host: str = "127.0.0.1",
        port: int = 8080,
        *,
        rate_limit: float | None = DEFAULT_RATE,
        threads: int = THREADS,
    ) -> None:
        """Bind now (so ``url`` is known); serve from ``start()`` or ``serve_forever()``.

        ``rate_limit`` is requests a second per caller (None: no limit).
        """
        self.container = container
        # A queue of requests waiting for a worker is what a burst looks like, not news.
        logging.getLogger("waitress.queue").setLevel(logging.ERROR)
        self.httpd = _JsonErrorServer(
            self._wsgi,
            map={},
            adj=Adjustments(
                host=host,
                port=port,
                threads=threads,
                backlog=BACKLOG,
                connection_limit=CONNECTION_LIMIT,
                # poll(), not select(): no FD_SETSIZE ceiling on open connections.
                asyncore_use_poll=True,
                max_request_body_size=MAX_UPLOAD_BYTES + FORM_OVERHEAD,
                ident="EcoBidLocal",
                expose_tracebacks=False,
                # A client that resets its connection is not the server's error.
                log_socket_errors=False,
            ),
        )
        # Bound first: the memory image store's URLs point back at this server.
        container.config.local_url.from_value(self.url)
        self.api: ApiApp = container.api()
        self.tokens = container.tokens()
        self.dev = DevEndpoints(container)
        self.uploads = LocalUploads(container)
        self.limiter = RateLimiter(rate_limit) if rate_limit else None
        self._thread: threading.Thread | None = None
        self._stopped = threading.Event()
        self._closed = threading.Event()

    @property
    def url(self) -> str:
        return f"http://{self.httpd.effective_host}:{self.httpd.effective_port}"

    def serve_forever(self) -> None:
        """Serve until ``stop()`` (from another thread) or KeyboardInterrupt."""
        self.httpd.run()

    def start(self) -> LocalServer:
        self._thread = threading.Thread(target=self.serve_forever, name="local-http", daemon=True)
        self._thread.start()
        return self

    def fire_schedules_every(self, seconds: float) -> None:
        """Fire the local schedules as real time makes them due (memory backend only)."""
        due = self.container.due_schedules()
        if due is None:
            return

        def tick() -> None:
            while not self._stopped.wait(seconds):
                due.fire_due()

        threading.Thread(target=tick, name="local-schedules", daemon=True).start()

    def stop(self) -> None:
        """Close the listening socket and every connection, and end the worker threads."""
        if self._closed.is_set():
            return
        self._closed.set()
        self._stopped.set()
        loop = self._thread
        if loop is not None and loop.is_alive():
            # Closed from inside the loop's own thread: the socket map is its state.
            try:
                self.httpd.trigger.pull_trigger(self._close_all)
            except OSError:
                # The wake-up pipe's descriptor is gone (seen once in CI as EBADF). The
                # loop polls at least once a second and ends when its map is empty, so
                # closing from here still stops it; a leftover listener would not.
                log.warning("the server loop's wake-up pipe was closed; closing from here")
                self._close_all()
            loop.join(timeout=10)
        else:
            self._close_all()
        self.httpd.task_dispatcher.shutdown(timeout=5)

    def _close_all(self) -> None:
        for channel in list(self.httpd._map.values()):
            try:
                channel.close()
            except OSError:
                # Its descriptor was gone already; close() left the map first, and the
                # rest must still close.
                continue

    def respond(
        self, method: str, path: str, headers: dict[str, str], body: str | None
    ) -> dict[str, Any]:
        route_path = path.split("?", 1)[0]
        if method == "OPTIONS" and not route_path.startswith("/_dev/"):
            return self.api.handle(proxy_event(method, path, headers, body, None))
        if route_path == "/openapi.json":
            if method != "GET":
                raise _not_allowed(["GET"])
            return _json(200, document(self.url))
        if route_path.startswith("/_dev/"):
            return self.dev.handle(method, route_path, body)
        matched = match_resource(route_path)
        if matched is None:
            return error_response(not_found_route())
        allowed = _ALLOWED[matched[0]]
        if method not in allowed:
            raise _not_allowed(allowed)
        try:
            claims = self._claims(headers)
            if claims is not None and self.limiter is not None:
                self.limiter.check(str(claims.get("sub", "")))
        except ApiError as error:
            return error_response(error)
        return self.api.handle(proxy_event(method, path, headers, body, claims))

    def _claims(self, headers: dict[str, str]) -> dict[str, Any] | None:
        auth = next((v for k, v in headers.items() if k.lower() == "authorization"), None)
        if auth is None:
            return None
        scheme, _, token = auth.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise unauthorized("use Authorization: Bearer <ID token>")
        try:
            return dict(self.tokens.verify(token.strip()))
        except InvalidToken:
            raise unauthorized("the token is invalid or expired") from None

    # WSGI: every request the parser accepted arrives here, whatever its method.
    def _wsgi(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = str(environ["REQUEST_METHOD"]).upper()
        try:
            response = self._dispatch(method, environ)
        except ApiError as error:
            response = error_response(error)
        except Unavailable:
            response = error_response(UNAVAILABLE)
        except Exception:
            # The traceback for the log (whose formatter blanks tokens); the caller
            # gets the generic 500 only.
            log.exception("%s %s failed", method, environ.get("PATH_INFO", ""))
            response = error_response(INTERNAL)
        body = response.get("body", "")
        payload = body if isinstance(body, bytes) else body.encode()
        # Whoever answered (the app, /_dev, the uploads, this server), the CORS headers
        # are those for this request's origin.
        origin = request_origin(_headers(environ))
        answer_headers = {**response.get("headers", {}), **cors_headers(origin)}
        headers = [(k, str(v)) for k, v in answer_headers.items()]
        headers.append(("Content-Length", str(len(payload))))
        status = response["statusCode"]
        start_response(f"{status} {_REASONS.get(status, 'Status')}", headers)
        return [b""] if method == "HEAD" else [payload]

    def _dispatch(self, method: str, environ: dict[str, Any]) -> dict[str, Any]:
        path = _request_target(environ)
        headers = _headers(environ)
        # HEAD is GET without the body (dropped in _wsgi, Content-Length kept).
        as_method = "GET" if method == "HEAD" else method
        stream: BinaryIO = environ["wsgi.input"]
        if self.uploads.handles(as_method, path):
            return self.uploads.respond(as_method, path, headers, stream)
        if path.split("?", 1)[0].startswith(IMAGES_PATH) and self.uploads.serves_images:
            raise _not_allowed(["GET"])
        if path.split("?", 1)[0] == UPLOAD_PATH and self.uploads.serves_images:
            raise _not_allowed(["POST"])
        size = _content_length(environ)
        if size > MAX_BODY_BYTES:
            raise payload_too_large(MAX_BODY_BYTES)
        raw = stream.read(size) if size else b""
        try:
            body = raw.decode("utf-8") if raw else None
        except UnicodeDecodeError:
            raise invalid("body", "must be UTF-8 JSON") from None
        return self.respond(as_method, path, headers, body)


def _not_allowed(methods: list[str]) -> ApiError:
    allow = [*methods, "HEAD"] if "GET" in methods else list(methods)
    return method_not_allowed([*allow, "OPTIONS"])


def _request_target(environ: Mapping[str, Any]) -> str:
    """The path and query as the client sent them (still percent-encoded)."""
    uri = str(environ.get("REQUEST_URI") or "")
    if uri.startswith("/"):
        return uri
    query = environ.get("QUERY_STRING")
    return str(environ.get("PATH_INFO") or "/") + (f"?{query}" if query else "")


def _headers(environ: Mapping[str, Any]) -> dict[str, str]:
    headers = {
        key[5:].replace("_", "-").title(): str(value)
        for key, value in environ.items()
        if key.startswith("HTTP_")
    }
    for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(key):
            headers[key.replace("_", "-").title()] = str(environ[key])
    return headers


def _content_length(environ: Mapping[str, Any]) -> int:
    # waitress has framed the body (chunked ones included) and says its length here.
    length = str(environ.get("CONTENT_LENGTH") or "0")
    return int(length) if length.isdigit() else 0


def _json(status: int, body: Any) -> dict[str, Any]:
    return {
        "statusCode": status,
        "headers": {**cors_headers(), "Content-Type": "application/json"},
        "body": json.dumps(body),
    }


_REASONS = {
    200: "OK",
    201: "Created",
    204: "No Content",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    411: "Length Required",
    412: "Precondition Failed",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    428: "Precondition Required",
    429: "Too Many Requests",
    431: "Request Header Fields Too Large",
    500: "Internal Server Error",
    501: "Not Implemented",
    503: "Service Unavailable",
}

#: waitress's own answers, as the API's error codes and messages. Its message texts are
#: not passed on: they may quote the request.
_WAITRESS_ERRORS = {
    400: ("bad_request", "the request is not valid HTTP/1.1"),
    413: ("payload_too_large", "the body is larger than this server accepts"),
    431: ("headers_too_large", "the request's headers are too large"),
    500: ("internal_error", INTERNAL.message),
    501: ("not_implemented", "this transfer coding is not supported"),
}


class _JsonErrorTask(ErrorTask):  # type: ignore[misc]
    """waitress's answer to a request it could not parse, in the API's error shape."""

    def execute(self) -> None:
        status = int(self.request.error.code)
        code, message = _WAITRESS_ERRORS.get(status, _WAITRESS_ERRORS[400])
        error = ApiError(status, code, message)
        body = json.dumps(error.body(str(uuid.uuid4()))).encode()
        self.status = f"{status} {_REASONS.get(status, 'Bad Request')}"
        headers = cors_headers().items()
        self.response_headers.extend([*headers, ("Content-Type", "application/json")])
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


class _JsonErrorChannel(HTTPChannel):  # type: ignore[misc]
    error_task_class = _JsonErrorTask


class _JsonErrorServer(TcpWSGIServer):  # type: ignore[misc]
    channel_class = _JsonErrorChannel
