"""The local server's HTTP/1.1, as a hostile or careless client meets it, over raw sockets.

Each test here is a finding of the hardening pass against the old hand-rolled server
(issue 13): a chunked body read as empty and its bytes run as a second request, a listen
backlog of 5, HTML 501/400 answers, a traceback on a client disconnect.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from ecobid_core.errors import Unavailable
from ecobid_entrypoints.container import build_container
from ecobid_entrypoints.local.server import BACKLOG, LocalServer
from tests.support.builders import free_item
from tests.support.client import Api, raw

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    server = LocalServer(build_container("memory"), "127.0.0.1", 0).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def token(server: LocalServer) -> str:
    return Api(server.url).token_for("http-tester@example.com")[0]


def _connect(server: LocalServer, timeout: float = 30) -> socket.socket:
    return socket.create_connection(
        (server.httpd.effective_host, server.httpd.effective_port), timeout=timeout
    )


class _Responses:
    """HTTP/1.1 responses read off one connection, framed by Content-Length."""

    def __init__(self, sock: socket.socket) -> None:
        self._file = sock.makefile("rb")

    def next(self) -> tuple[int, dict[str, str], bytes]:
        status_line = self._file.readline()
        # waitress answers a request whose version it could not read in HTTP/1.0.
        assert status_line.startswith((b"HTTP/1.1 ", b"HTTP/1.0 ")), status_line
        headers: dict[str, str] = {}
        while (line := self._file.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        return int(status_line.split()[1]), headers, b""

    def body(self, headers: dict[str, str], method: str = "GET") -> bytes:
        if method == "HEAD":
            return b""
        return self._file.read(int(headers.get("content-length", "0")))

    def read(self, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
        status, headers, _ = self.next()
        return status, headers, self.body(headers, method)


def _error_code(body: bytes) -> str:
    payload = json.loads(body)
    assert set(payload["error"]) == {"code", "message", "details", "requestId"}
    return payload["error"]["code"]


def test_a_chunked_body_is_read_and_nothing_in_it_runs_as_a_request(server, token):
    # The chunk's bytes spell a request: the old server read the body as empty and then
    # ran them as a second request on the same connection.
    smuggled = b"GET /openapi.json HTTP/1.1\r\nHost: x\r\n\r\n"
    item = json.dumps(free_item(title="Chunked chair")).encode()
    chunks = item[:20], item[20:]
    body = b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in chunks) + b"0\r\n\r\n"
    head = (
        "POST /items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"Authorization: Bearer {token}\r\nTransfer-Encoding: chunked\r\n\r\n"
    ).encode()
    with _connect(server) as sock:
        sock.sendall(head + body)
        status, _, payload = _Responses(sock).read()
        assert status == 201, payload
        assert json.loads(payload)["title"] == "Chunked chair"
        # A body whose chunks are a request: stored as text, never served.
        sock.sendall(
            b"PUT /items/"
            + json.loads(payload)["id"].encode()
            + b" HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + f"Authorization: Bearer {token}\r\nTransfer-Encoding: chunked\r\n\r\n".encode()
            + b"%x\r\n%s\r\n0\r\n\r\n" % (len(smuggled), smuggled)
        )
        status, _, payload = _Responses(sock).read()
        assert status == 400  # the body is not JSON: one answer, for the one request
        assert _error_code(payload) == "validation_error"
        sock.settimeout(1.0)
        with pytest.raises(TimeoutError):  # no second response
            sock.recv(1)


def test_keep_alive_and_pipelined_requests_are_answered_in_order(server):
    with _connect(server) as sock:
        sock.sendall(
            b"GET /openapi.json HTTP/1.1\r\nHost: x\r\n\r\n"
            b"GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n"
            b"OPTIONS /items HTTP/1.1\r\nHost: x\r\n\r\n"
        )
        responses = _Responses(sock)
        first, second, third = responses.read(), responses.read(), responses.read()
    assert first[0] == 200 and json.loads(first[2])["openapi"].startswith("3.1")
    assert second[0] == 404 and _error_code(second[2]) == "not_found"
    assert third[0] == 204


def test_head_is_get_without_a_body(server):
    with _connect(server) as sock:
        sock.sendall(
            b"HEAD /openapi.json HTTP/1.1\r\nHost: x\r\n\r\n"
            b"GET /openapi.json HTTP/1.1\r\nHost: x\r\n\r\n"
        )
        responses = _Responses(sock)
        head_status, head_headers, _ = responses.next()
        get_status, get_headers, get_body = responses.read()
    assert (head_status, get_status) == (200, 200)
    assert head_headers["content-length"] == get_headers["content-length"] == str(len(get_body))
    assert head_headers["content-type"] == "application/json"
    assert json.loads(get_body)["openapi"]  # the GET's bytes came straight after HEAD's headers


@pytest.mark.parametrize("method", ["TRACE", "PATCH", "BREW", "CONNECT", "POST"])
def test_a_known_path_with_another_method_is_405_with_allow(server, token, method):
    with _connect(server) as sock:
        sock.sendall(
            f"{method} /items/some-id HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
            f"Authorization: Bearer {token}\r\n\r\n".encode()
        )
        status, headers, body = _Responses(sock).read()
    assert status == 405
    assert _error_code(body) == "method_not_allowed"
    assert set(headers["allow"].split(", ")) == {"GET", "HEAD", "PUT", "DELETE", "OPTIONS"}
    assert headers["content-type"] == "application/json"


def test_the_dev_and_document_paths_say_what_they_allow(server):
    assert raw(server.url, "GET", "/_dev/token").headers["allow"] == "POST"
    document = raw(server.url, "DELETE", "/openapi.json")
    assert (document.status, document.code) == (405, "method_not_allowed")
    assert document.headers["allow"] == "GET, HEAD, OPTIONS"
    assert raw(server.url, "OPTIONS", "/items/x").status == 204  # CORS preflight stays


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"GARBAGE\r\n\r\n",
        b"GET /items HTTP/1.1 extra\r\nHost: x\r\n\r\n",
        b"GET /items HTTP/1.1\r\nno colon here\r\n\r\n",
        b"POST /items HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n",
        b"POST /items HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    ],
)
def test_a_malformed_request_is_a_400_in_the_error_shape(server, request_bytes):
    with _connect(server) as sock:
        sock.sendall(request_bytes)
        status, headers, body = _Responses(sock).read()
        assert status == 400
        assert _error_code(body) == "bad_request"
        assert headers["content-type"] == "application/json"
        assert headers["connection"] == "close"
        assert sock.recv(1) == b""  # and the connection is closed after it


def test_a_transfer_coding_other_than_chunked_is_501_in_the_error_shape(server):
    with _connect(server) as sock:
        sock.sendall(b"POST /items HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n")
        status, _, body = _Responses(sock).read()
    assert (status, _error_code(body)) == (501, "not_implemented")


def test_headers_over_the_limit_are_431_in_the_error_shape(server):
    with _connect(server) as sock:
        sock.sendall(b"GET /items HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 300_000 + b"\r\n\r\n")
        status, _, body = _Responses(sock).read()
    assert (status, _error_code(body)) == (431, "headers_too_large")


def test_a_hundred_and_fifty_simultaneous_connections_are_all_answered(server):
    # The old server's backlog of 5 reset or timed out a burst like this one.
    assert BACKLOG >= 1024
    count = 150
    barrier = threading.Barrier(count)

    def one(_: int) -> int:
        barrier.wait(timeout=60)
        with _connect(server, timeout=60) as sock:
            sock.sendall(b"GET /openapi.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            status, _, body = _Responses(sock).read()
            assert json.loads(body)["openapi"]
            return status

    with ThreadPoolExecutor(max_workers=count) as pool:
        statuses = list(pool.map(one, range(count)))
    assert statuses == [200] * count


def test_a_client_that_disconnects_mid_request_leaves_no_traceback(server, token, caplog, capfd):
    caplog.set_level(logging.DEBUG)
    big = "/items?lat=52.52&lon=13.405&radiusKm=50&limit=100"
    for request in (
        # hangs up before the body it announced
        b'POST /items HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{"title',
        # hangs up, with a reset, before reading the answer
        f"GET {big} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\r\n".encode(),
        b"GET /openapi.json HTTP/1.1\r\nHost: x\r\n\r\n",
    ):
        sock = _connect(server)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        sock.sendall(request)
        sock.close()
    time.sleep(1.0)
    assert raw(server.url, "GET", "/openapi.json").status == 200  # still serving
    out, err = capfd.readouterr()
    assert "Traceback" not in out + err
    assert not [r for r in caplog.records if r.exc_info], [r.getMessage() for r in caplog.records]


def test_a_user_over_the_rate_limit_gets_429_with_retry_after_and_others_do_not():
    server = LocalServer(build_container("memory"), "127.0.0.1", 0, rate_limit=2).start()
    try:
        api = Api(server.url)
        ann, bob = api.user("ann@example.com"), api.user("bob@example.com")
        replies = [ann.get(f"/users/{ann.id}") for _ in range(4)]
        assert [r.status for r in replies[:2]] == [200, 200]
        refused = replies[-1]
        assert (refused.status, refused.code) == (429, "rate_limited")
        assert set(refused.body["error"]) == {"code", "message", "details", "requestId"}
        assert refused.headers["retry-after"] == "1"
        assert bob.get(f"/users/{bob.id}").status == 200  # per user, not per server
        time.sleep(1.0)
        assert ann.get(f"/users/{ann.id}").status == 200  # after Retry-After, served again
    finally:
        server.stop()


def test_two_hundred_keep_alive_connections_for_two_seconds_see_no_reset_and_no_5xx():
    from benchmarks.load import run_load

    figures = run_load(connections=200, seconds=2.0, users=20)
    assert figures["requests"] > 200
    assert figures["failures"] == {}
    assert figures["server_errors"] == 0
    assert set(figures["statuses"]) <= {200, 201}, figures["statuses"]


@pytest.mark.parametrize(
    ("failure", "status", "code"),
    [
        (Unavailable("a backend is throttled"), 503, "unavailable"),
        (RuntimeError("bug"), 500, "internal_error"),
    ],
)
def test_a_failure_anywhere_in_the_server_is_an_answer_not_a_dropped_connection(
    server, monkeypatch, failure, status, code
):
    def broken(*args, **kwargs):
        raise failure

    places = [
        (server.dev, "handle", "POST", "/_dev/clock", b"{}"),  # the /_dev namespace
        (server.uploads, "respond", "POST", "/_dev/uploads", b"x"),  # the bucket stand-in
        (server, "respond", "GET", "/items/x", b""),  # the API itself
    ]
    for owner, name, method, path, body in places:
        with monkeypatch.context() as patched:
            patched.setattr(owner, name, broken)
            reply = raw(server.url, method, path, data=body)
        assert (reply.status, reply.code) == (status, code), (path, reply.body)
        if status == 503:
            assert reply.headers["retry-after"] == "1"


def test_a_body_that_fails_while_read_is_a_500_in_the_error_shape(server, monkeypatch):
    class Failing:
        def read(self, *args):
            raise OSError("the spooled body is gone")

    wsgi = server._wsgi

    def with_failing_body(environ, start_response):
        return wsgi({**environ, "wsgi.input": Failing()}, start_response)

    monkeypatch.setattr(server.httpd, "application", with_failing_body)
    reply = raw(server.url, "POST", "/_dev/clock", {"advanceSeconds": 0})
    assert (reply.status, reply.code) == (500, "internal_error")


def test_a_server_whose_wake_up_pipe_is_gone_still_stops_and_frees_its_port(caplog):
    # CI once saw stop() raise EBADF from the loop's wake-up pipe and leave the server up.
    server = LocalServer(build_container("memory"), "127.0.0.1", 0).start()
    host, port = server.httpd.effective_host, server.httpd.effective_port
    assert raw(server.url, "GET", "/openapi.json").status == 200

    def gone(thunk: object) -> None:
        raise OSError(9, "Bad file descriptor")

    server.httpd.trigger.pull_trigger = gone
    with caplog.at_level(logging.WARNING, logger="ecobid.local"):
        server.stop()
    assert server._thread is not None
    server._thread.join(timeout=5)
    assert not server._thread.is_alive()
    assert "wake-up pipe was closed" in caplog.text
    with socket.socket() as again:
        again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        again.bind((host, int(port)))
