"""Shared fixtures: one local server per test session, reached over real HTTP."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator

import pytest

from ecobid_entrypoints.container import build_container
from ecobid_entrypoints.local.server import LocalServer
from tests.support.client import Api
from tests.support.moto import moto_endpoint  # noqa: F401 - a shared fixture

_emails = itertools.count()


@pytest.fixture(scope="session")
def api() -> Iterator[Api]:
    container = build_container("memory")
    server = LocalServer(container, "127.0.0.1", 0).start()
    try:
        yield Api(server.url, "memory")
    finally:
        server.stop()


@pytest.fixture
def new_user(api: Api):
    """A fresh user each call, so tests sharing the server never share state."""

    def make(name: str = "user"):
        return api.user(f"{name}-{next(_emails)}-{uuid.uuid4().hex[:6]}@example.com")

    return make
