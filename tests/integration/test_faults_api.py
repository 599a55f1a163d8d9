"""Faults seen over real HTTP, on the local server: a store that stays throttled, and
Cognito's signing keys unreachable when the first token arrives.

On moto the faults are injected into the server's own boto3 client and key fetcher; the
memory backend's double of a throttled table is its store refusing the commit.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager, ExitStack

import pytest
from dependency_injector import providers

from ecobid_adapters.aws import cognito_tokens
from ecobid_adapters.aws.cognito_tokens import CognitoTokenVerifier
from ecobid_entrypoints.api.errors import RETRY_AFTER_SECONDS
from ecobid_entrypoints.local.moto_backend import moto_container, provision_moto
from ecobid_entrypoints.local.server import LocalServer
from tests.support.builders import free_item
from tests.support.client import Api, raw
from tests.support.faults import faults, recorded_backoff, refused_commits


def throttled_store(api: Api) -> AbstractContextManager[object]:
    stack = ExitStack()
    if api.backend == "memory":
        stack.enter_context(refused_commits(api.container.memory_store()))
    else:
        stack.enter_context(recorded_backoff())
        injected = stack.enter_context(faults(api.container.dynamodb_client()))
        injected.fail("TransactWriteItems", "ProvisionedThroughputExceededException")
    return stack


def test_a_store_that_stays_throttled_is_a_503_with_retry_after_and_nothing_written(
    api: Api, new_user
) -> None:
    owner = new_user("owner")
    assert owner.get(f"/users/{owner.id}").status == 200  # the profile exists already
    with throttled_store(api):
        reply = owner.post("/items", free_item(title="Never stored"))
    assert reply.status == 503
    assert reply.code == "unavailable"
    assert reply.headers["retry-after"] == str(RETRY_AFTER_SECONDS)
    assert set(reply.body["error"]) == {"code", "message", "details", "requestId"}
    with api.container.unit_of_work() as uow:
        assert uow.items.by_owner(owner.id, 10, None).entries == []
    # The same request once the store answers again.
    assert owner.post("/items", free_item(title="Stored")).status == 201


class FlakyKeys:
    """The user pool's key endpoint, reachable or not, counting fetches."""

    def __init__(self) -> None:
        self.down = True
        self.fetches = 0

    def get(self, url: str) -> bytes:
        self.fetches += 1
        if self.down:
            raise OSError("connection refused")
        return cognito_tokens._urlopen(url)


@pytest.fixture
def cold_server(moto_endpoint: str) -> Iterator[tuple[Api, FlakyKeys]]:
    """A local server on moto whose token verifier has not fetched the keys yet."""
    container = moto_container(provision_moto(moto_endpoint, env="faults-jwks"))
    settings, keys = container.aws_settings(), FlakyKeys()
    # /_dev/token keeps the verifier it was made with; requests get the cold one.
    container.tokens.override(
        providers.Object(
            CognitoTokenVerifier(
                settings.jwks_url,
                settings.issuer,
                settings.client_id,
                container.wall_clock(),
                http_get=keys.get,
            )
        )
    )
    server = LocalServer(container, "127.0.0.1", 0).start()
    try:
        yield Api(server.url, "moto", container=container), keys
    finally:
        server.stop()


def test_signing_keys_unreachable_at_cold_start_are_503_then_the_next_request_passes(
    cold_server: tuple[Api, FlakyKeys],
) -> None:
    api, keys = cold_server
    token, user_id = api.token_for(f"cold-{uuid.uuid4().hex[:8]}@example.com")
    bearer = {"Authorization": f"Bearer {token}"}

    for _ in range(2):  # a valid token is never a 401 because the keys are out of reach
        reply = raw(api.url, "GET", f"/users/{user_id}", headers=bearer)
        assert reply.status == 503
        assert reply.code == "unavailable"
        assert reply.headers["retry-after"] == str(RETRY_AFTER_SECONDS)
    assert keys.fetches == 2  # a failed fetch is not remembered as "no keys"

    keys.down = False
    assert raw(api.url, "GET", f"/users/{user_id}", headers=bearer).status == 200
    assert raw(api.url, "GET", f"/users/{user_id}", headers=bearer).status == 200
    assert keys.fetches == 3  # fetched once it worked, then cached
    # A token that is not valid is still a 401 once the keys are known.
    assert (
        raw(api.url, "GET", f"/users/{user_id}", headers={"Authorization": "Bearer x.y.z"}).status
        == 401
    )
