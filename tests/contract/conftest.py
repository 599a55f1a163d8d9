"""The contract suite's backends: the same tests run on the memory and DynamoDB adapters.

``uow_factory`` is a ``UnitOfWorkFactory`` (call it for a fresh unit of work) that also
says which backend it is and reads back the outbox, so a test can check the transactional
outbox without knowing the backend. The DynamoDB backend gets a table of its own per test,
on the session's moto server: creating one there takes milliseconds.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any, cast

import boto3
import pytest
from attrs import define
from botocore.config import Config

from ecobid_adapters.aws.dynamodb import DynamoUnitOfWork, codec, create_table, keys, read_outbox
from ecobid_adapters.aws.dynamodb.notify import DynamoInbox
from ecobid_adapters.memory import MemoryStore, MemoryUnitOfWork
from ecobid_adapters.memory.notify import MemoryInbox
from ecobid_core.model.events import DomainEvent
from ecobid_core.ports import UnitOfWork
from ecobid_core.ports.notify import Inbox
from tests.support.moto import REGION

BACKENDS = ["memory", "dynamodb"]


@define
class Backend:
    name: str
    make: Callable[[], UnitOfWork]
    outbox: Callable[[], list[DomainEvent]]
    #: Removes a user's record behind every unit of work's back (nothing in the app deletes).
    drop_user: Callable[[str], None]
    #: The notification inbox on the same store (notifications are no unit of work's).
    inbox: Callable[[], Inbox]
    client: Any = None
    table: str | None = None

    def __call__(self) -> UnitOfWork:
        return self.make()


def dynamodb_client(endpoint: str) -> Any:
    return boto3.client(
        "dynamodb",
        endpoint_url=endpoint,
        region_name=REGION,
        config=Config(retries={"mode": "standard", "max_attempts": 3}),
    )


@pytest.fixture(scope="session")
def dynamodb(moto_endpoint: str) -> Any:
    """One low-level client for the session (clients are thread-safe)."""
    return dynamodb_client(moto_endpoint)


@pytest.fixture
def table(dynamodb: Any) -> Iterator[str]:
    name = f"ecobid-test{uuid.uuid4().hex[:10]}-items"
    create_table(dynamodb, name)
    try:
        yield name
    finally:
        dynamodb.delete_table(TableName=name)


def memory_uow(store: MemoryStore) -> UnitOfWork:
    # A cast, because the memory unit of work's repository attributes are typed as its own
    # classes, which a Protocol's (invariant) attributes do not accept.
    return cast(UnitOfWork, MemoryUnitOfWork(store))


def memory_backend() -> Backend:
    store = MemoryStore()
    return Backend(
        "memory",
        lambda: memory_uow(store),
        lambda: list(store.outbox),
        lambda user_id: store.forget("users", user_id),
        lambda: MemoryInbox(store),
    )


def dynamodb_backend(client: Any, table: str) -> Backend:
    return Backend(
        "dynamodb",
        lambda: DynamoUnitOfWork(client, table),
        lambda: read_outbox(client, table),
        lambda user_id: client.delete_item(
            TableName=table, Key=codec.serialize(keys.user(user_id))
        ),
        lambda: DynamoInbox(client, table),
        client,
        table,
    )


@pytest.fixture(params=BACKENDS)
def uow_factory(request: pytest.FixtureRequest) -> Backend:
    if request.param == "memory":
        return memory_backend()
    client = request.getfixturevalue("dynamodb")
    return dynamodb_backend(client, request.getfixturevalue("table"))
