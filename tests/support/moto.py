"""One moto server per test session, for everything that talks to AWS APIs."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from ecobid_entrypoints.local.moto_backend import REGION, MotoServer

__all__ = ["REGION", "moto_endpoint"]


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """The URL of a moto server shared by the whole session, with fake credentials set."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": REGION,
    }.items():
        os.environ.setdefault(name, value)
    server = MotoServer().start()
    try:
        yield server.endpoint_url
    finally:
        server.stop()
