"""Shared fixtures: one local server per backend per test session, reached over real HTTP.

``api`` is parametrized: every HTTP test runs against the embedded memory backend and
against the AWS adapters on the session's moto server (``ecobid serve --backend moto``).
There, any Scan fails its request (a 500 the calling test sees): no handler may scan.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from contextlib import ExitStack

import pytest

from ecobid_adapters.aws.dynamodb.metering import forbid_scans
from ecobid_entrypoints.container import build_container
from ecobid_entrypoints.local.moto_backend import moto_container, provision_moto
from ecobid_entrypoints.local.server import LocalServer
from tests.support.client import Api
from tests.support.moto import moto_endpoint  # noqa: F401 - a shared fixture

_emails = itertools.count()

HTTP_BACKENDS = ["memory", "moto"]


@pytest.fixture(scope="session", params=HTTP_BACKENDS)
def api(request: pytest.FixtureRequest) -> Iterator[Api]:
    with ExitStack() as stack:
        if request.param == "memory":
            container = build_container("memory")
        else:
            endpoint = request.getfixturevalue("moto_endpoint")
            container = moto_container(provision_moto(endpoint, env="httptest"))
            stack.enter_context(forbid_scans(container.dynamodb_client()))
        server = LocalServer(container, "127.0.0.1", 0).start()
        stack.callback(server.stop)
        yield Api(server.url, request.param, container=container)


@pytest.fixture
def new_user(api: Api):
    """A fresh user each call, so tests sharing the server never share state."""

    def make(name: str = "user"):
        return api.user(f"{name}-{next(_emails)}-{uuid.uuid4().hex[:6]}@example.com")

    return make
