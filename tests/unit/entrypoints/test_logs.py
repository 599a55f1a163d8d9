"""Logs that help in production: tracebacks and request ids in, tokens and traces out."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from ecobid_entrypoints import logs
from ecobid_entrypoints.container import build_container
from ecobid_entrypoints.functions import items, runtime
from ecobid_entrypoints.local.server import LocalServer
from tests.support.lambda_events import proxy_event


@pytest.fixture
def captured() -> Iterator[dict[str, io.StringIO]]:
    """Everything logged, as the Lambda (JSON) and local (plain) formatters write it."""
    streams = {"json": io.StringIO(), "plain": io.StringIO()}
    handlers = [logging.StreamHandler(streams["json"]), logging.StreamHandler(streams["plain"])]
    handlers[0].setFormatter(logs.JsonFormatter())
    handlers[1].setFormatter(logs.PlainFormatter())
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.DEBUG)
    for handler in handlers:
        root.addHandler(handler)
    yield streams
    for handler in handlers:
        root.removeHandler(handler)
    root.setLevel(level)


@pytest.fixture
def memory_functions(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("ECOBID_BACKEND", "memory")
    runtime.container.cache_clear()
    yield
    runtime.container.cache_clear()


def json_lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_an_unexpected_failure_is_logged_with_traceback_and_request_id(
    captured, memory_functions, monkeypatch
) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("secret detail")

    monkeypatch.setattr("ecobid_core.services.items.get_item", broken)
    event = proxy_event("GET", "/items/{id}", "/items/x", params={"id": "x"})
    reply = items.get_item(event, None)

    assert reply["statusCode"] == 500
    for leak in ("Traceback", "secret detail", "RuntimeError", "ecobid_"):
        assert leak not in reply["body"]
    (failure,) = [line for line in json_lines(captured["json"]) if line["level"] == "ERROR"]
    assert failure["request_id"] == "req-1"
    assert failure["exception_name"] == "RuntimeError"
    assert failure["exception"].startswith("Traceback (most recent call last)")
    assert "RuntimeError: secret detail" in failure["exception"]
    assert "Traceback" in captured["plain"].getvalue()
    assert "[request req-1]" in captured["plain"].getvalue()


def test_one_line_per_request_with_route_status_latency_and_caller(
    captured, memory_functions
) -> None:
    event = proxy_event("GET", "/items/{id}", "/items/nope", params={"id": "nope"}, sub="ann")
    assert items.get_item(event, None)["statusCode"] == 404
    (line,) = [line for line in json_lines(captured["json"]) if "route" in line]
    assert (line["route"], line["status"], line["caller_id"]) == ("GetItem", 404, "ann")
    assert line["latency_ms"] >= 0
    assert line["request_id"] == "req-1"


def test_a_token_is_never_logged(captured, monkeypatch) -> None:
    container = build_container("memory")
    server = LocalServer(container, port=0)  # never started: respond() is called directly
    try:
        token, _ = container.dev_sign_in().issue("ann@example.com")
        auth = {"Authorization": f"Bearer {token}"}

        def broken(*args, **kwargs):
            raise RuntimeError(f"a bug that put the token {token} in its message")

        assert server.respond("GET", "/items/nope", auth, None)["statusCode"] == 404
        assert (
            server.respond("GET", "/items/x", {"authorization": f"bearer {token}x"}, None)[
                "statusCode"
            ]
            == 401
        )
        monkeypatch.setattr("ecobid_core.services.items.get_item", broken)
        assert server.respond("GET", "/items/x", auth, None)["statusCode"] == 500
        logging.getLogger("ecobid.test").info("header was %s", auth)
    finally:
        server.stop()
    for stream in captured.values():
        written = stream.getvalue()
        assert "GetItem failed unexpectedly" in written  # the lines were written
        assert token not in written
        assert token.split(".")[2] not in written  # nor its signature alone
        assert "[redacted]" in written


def test_redaction_keeps_the_rest_of_the_line() -> None:
    assert logs.redact("auth Bearer abc.def-ghi, next") == "auth [redacted], next"
    jwt_like = "eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl"
    assert logs.redact(f"token={jwt_like}!") == "token=[redacted]!"
    assert logs.redact("a plain line: 200 in 3.1 ms") == "a plain line: 200 in 3.1 ms"
