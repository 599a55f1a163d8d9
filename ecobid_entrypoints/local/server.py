"""``ecobid serve``: the API on a plain HTTP server, for the app's developers and tests.

Each request becomes the same proxy event API Gateway would send, for the same handler.
The server checks bearer tokens itself (in AWS the Cognito authorizer does) and adds the
``/_dev`` namespace that no deployed stage has.
"""

from __future__ import annotations

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from ecobid_core.errors import Unavailable
from ecobid_core.ports.services import InvalidToken
from ecobid_entrypoints.api.app import ApiApp
from ecobid_entrypoints.api.errors import (
    INTERNAL,
    UNAVAILABLE,
    ApiError,
    invalid,
    unauthorized,
)
from ecobid_entrypoints.api.http import CORS_HEADERS, error_response
from ecobid_entrypoints.api.openapi import document
from ecobid_entrypoints.api.validation import MAX_BODY_BYTES
from ecobid_entrypoints.container import Container
from ecobid_entrypoints.local.dev import DevEndpoints
from ecobid_entrypoints.local.events import match_resource, proxy_event
from ecobid_entrypoints.local.uploads import LocalUploads

log = logging.getLogger("ecobid.local")


class LocalServer:
    def __init__(self, container: Container, host: str = "127.0.0.1", port: int = 8080) -> None:
        self.container = container
        self.httpd = ThreadingHTTPServer((host, port), _handler_class(self))
        self.httpd.daemon_threads = True
        # Bound first: the memory image store's URLs point back at this server.
        container.config.local_url.from_value(self.url)
        self.api: ApiApp = container.api()
        self.tokens = container.tokens()
        self.dev = DevEndpoints(container)
        self.uploads = LocalUploads(container)
        self._thread: threading.Thread | None = None
        self._stopped = threading.Event()

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def serve_forever(self) -> None:
        self.httpd.serve_forever(poll_interval=0.2)

    def start(self) -> LocalServer:
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
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
        self._stopped.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def respond(
        self, method: str, path: str, headers: dict[str, str], body: str | None
    ) -> dict[str, Any]:
        route_path = path.split("?", 1)[0]
        if route_path == "/openapi.json" and method == "GET":
            return _json(200, document(self.url))
        if route_path.startswith("/_dev/"):
            return self.dev.handle(method, route_path, body)
        if method != "OPTIONS" and match_resource(route_path) is None:
            return error_response(ApiError(404, "not_found", "no such resource"))
        claims = None
        if method != "OPTIONS":
            try:
                claims = self._claims(headers)
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


def _json(status: int, body: Any) -> dict[str, Any]:
    return {
        "statusCode": status,
        "headers": {**CORS_HEADERS, "Content-Type": "application/json"},
        "body": json.dumps(body),
    }


def _handler_class(server: LocalServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "EcoBidLocal"

        def _serve(self) -> None:
            try:
                response = self._respond()
            except ApiError as error:
                response = error_response(error)
            except Unavailable:
                response = error_response(UNAVAILABLE)
            except Exception:
                # The traceback for the log (whose formatter blanks tokens); the caller
                # gets the generic 500 only.
                log.exception("%s %s failed", self.command, self.path.split("?", 1)[0])
                response = error_response(INTERNAL)
            body = response.get("body", "")
            payload = body if isinstance(body, bytes) else body.encode()
            self.send_response(response["statusCode"])
            for name, value in response.get("headers", {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)

        def _respond(self) -> dict[str, Any]:
            if server.uploads.handles(self.command, self.path):
                self.close_connection = True  # a refused upload is left unread
                return server.uploads.respond(self.command, self.path, self.headers, self.rfile)
            length = self.headers.get("Content-Length")
            size = int(length) if length and length.isdigit() else 0
            if size > MAX_BODY_BYTES:
                self.close_connection = True
                raise ApiError(413, "payload_too_large", f"the body is over {MAX_BODY_BYTES} bytes")
            raw = self.rfile.read(size) if size else b""
            try:
                body = raw.decode("utf-8") if raw else None
            except UnicodeDecodeError:
                raise invalid("body", "must be UTF-8 JSON") from None
            headers = {k: v for k, v in self.headers.items()}
            return server.respond(self.command, self.path, headers, body)

        do_GET = do_POST = do_PUT = do_DELETE = do_OPTIONS = do_PATCH = _serve

        def log_message(self, format: str, *args: Any) -> None:
            log.debug("%s %s", self.address_string(), format % args)

    return Handler
