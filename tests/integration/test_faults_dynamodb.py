"""DynamoDB throttled or failing: retried with backoff, then a 503 that wrote nothing.

Faults are injected into the container's own DynamoDB client at the HTTP layer
(``tests.support.faults``), so botocore's standard retry mode, its parser and our adapters
all run as in service; whatever is not failed reaches moto. Requests go through the
in-process API app (the handler every API Lambda runs), and the table is read afterwards
to show that nothing was half-written.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import Any

import pytest

from ecobid_adapters.aws.dynamodb.outbox import read_outbox
from ecobid_adapters.aws.dynamodb.unit_of_work import THROTTLED_TRANSACTION_ATTEMPTS
from ecobid_entrypoints.api.errors import RETRY_AFTER_SECONDS
from ecobid_entrypoints.container import Container
from ecobid_entrypoints.local.events import proxy_event
from ecobid_entrypoints.local.moto_backend import moto_container, provision_moto
from tests.support.builders import free_item
from tests.support.faults import faults, recorded_backoff

_owners = itertools.count()

#: What DynamoDB answers when it throttles or fails: (error code, HTTP status).
FAILURES = [
    ("ProvisionedThroughputExceededException", 400),
    ("ThrottlingException", 400),
    ("RequestLimitExceeded", 400),
    ("InternalServerError", 500),
    ("ServiceUnavailable", 503),
]
BOTOCORE_ATTEMPTS = 4  # standard mode, ``max_attempts: 3`` retries after the first


@pytest.fixture(scope="module")
def container(moto_endpoint: str) -> Container:
    return moto_container(provision_moto(moto_endpoint, env="faults-ddb"))


def call(container: Container, method: str, path: str, owner: str, body: Any = None) -> Any:
    claims = {"sub": owner, "email": f"{owner}@example.com"}
    headers = {"Content-Type": "application/json"}
    text = None if body is None else json.dumps(body)
    return container.api().handle(proxy_event(method, path, headers, text, claims))


def new_owner(container: Container) -> str:
    """A user whose profile exists already, so only the item's commit is left to fail."""
    owner = f"faults-owner-{next(_owners)}"
    assert call(container, "GET", f"/users/{owner}", owner)["statusCode"] == 200
    return owner


def items_of(container: Container, owner: str) -> list[str]:
    with container.unit_of_work() as uow:
        return [item.id for item in uow.items.by_owner(owner, 50, None).entries]


def outbox_ids(container: Container) -> set[str]:
    settings = container.aws_settings()
    return {e.event_id for e in read_outbox(container.dynamodb_client(), settings.table)}


def test_the_clients_retry_in_botocore_standard_mode() -> None:
    # Standard mode: throttling codes and 5xx retried, full jitter, doubling ceilings.
    from ecobid_adapters.aws.settings import AwsClients

    config = AwsClients("eu-central-1").dynamodb.meta.config
    assert config.retries == {"mode": "standard", "total_max_attempts": BOTOCORE_ATTEMPTS}


@pytest.fixture(autouse=True)
def pauses() -> Iterator[list[float]]:
    """botocore's backoff, recorded instead of slept: the tests stay quick."""
    with recorded_backoff() as chosen:
        yield chosen


@pytest.mark.parametrize(("code", "status"), FAILURES)
def test_a_throttled_or_failed_write_is_retried_and_the_request_succeeds(
    container: Container, code: str, status: int, pauses: list[float]
) -> None:
    owner = new_owner(container)
    with faults(container.dynamodb_client()) as injected:
        injected.fail("TransactWriteItems", code, status, times=BOTOCORE_ATTEMPTS - 1)
        reply = call(container, "POST", "/items", owner, free_item())
    assert reply["statusCode"] == 201, reply["body"]
    assert injected.sent["TransactWriteItems"] == BOTOCORE_ATTEMPTS
    # Exponential backoff with full jitter: the n-th pause is drawn from [0, 2**n) s.
    assert len(pauses) == BOTOCORE_ATTEMPTS - 1
    assert all(0 <= pause < 2**n for n, pause in enumerate(pauses))
    assert items_of(container, owner) == [json.loads(reply["body"])["id"]]


@pytest.mark.parametrize(("code", "status"), FAILURES)
def test_a_write_that_stays_throttled_is_a_503_with_retry_after_and_writes_nothing(
    container: Container, code: str, status: int, pauses: list[float]
) -> None:
    owner = new_owner(container)
    events_before = outbox_ids(container)
    with faults(container.dynamodb_client()) as injected:
        injected.fail("TransactWriteItems", code, status)
        reply = call(container, "POST", "/items", owner, free_item())
    assert reply["statusCode"] == 503
    assert reply["headers"]["Retry-After"] == str(RETRY_AFTER_SECONDS)
    body = json.loads(reply["body"])
    assert body["error"]["code"] == "unavailable"
    assert code not in reply["body"], "no AWS detail in the answer"
    assert injected.sent["TransactWriteItems"] == BOTOCORE_ATTEMPTS
    assert len(set(pauses)) == len(pauses) == BOTOCORE_ATTEMPTS - 1, "jittered, not fixed"
    # Neither the item (nor its index entries) nor its ItemCreated event was written.
    assert items_of(container, owner) == []
    assert outbox_ids(container) == events_before


def _throttled_transaction(reasons: int) -> dict[str, Any]:
    """A transaction DynamoDB cancelled because one of its items was throttled."""
    return {
        "Message": "Transaction cancelled, please refer cancellation reasons",
        "CancellationReasons": [{"Code": "ThrottlingError", "Message": "Throughput exceeds"}]
        + [{"Code": "None"}] * (reasons - 1),
    }


def test_a_transaction_cancelled_for_throttling_is_retried_by_the_unit_of_work(
    container: Container,
) -> None:
    owner = new_owner(container)
    with faults(container.dynamodb_client()) as injected:
        injected.fail(
            "TransactWriteItems",
            "TransactionCanceledException",
            times=1,
            **_throttled_transaction(2),
        )
        reply = call(container, "POST", "/items", owner, free_item())
    assert reply["statusCode"] == 201, reply["body"]
    # botocore does not retry a cancellation; the unit of work did, once.
    assert injected.sent["TransactWriteItems"] == 2
    assert len(items_of(container, owner)) == 1


def test_a_transaction_throttled_every_time_is_a_503_and_all_or_nothing(
    container: Container,
) -> None:
    owner = new_owner(container)
    events_before = outbox_ids(container)
    with faults(container.dynamodb_client()) as injected:
        injected.fail(
            "TransactWriteItems", "TransactionCanceledException", **_throttled_transaction(2)
        )
        reply = call(container, "POST", "/items", owner, free_item())
    assert reply["statusCode"] == 503
    assert reply["headers"]["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert injected.sent["TransactWriteItems"] == THROTTLED_TRANSACTION_ATTEMPTS
    assert items_of(container, owner) == []
    assert outbox_ids(container) == events_before


def test_a_read_that_stays_throttled_is_a_503_too(container: Container) -> None:
    owner = new_owner(container)
    created = call(container, "POST", "/items", owner, free_item())
    item_id = json.loads(created["body"])["id"]
    with faults(container.dynamodb_client()) as injected:
        injected.fail("GetItem", "ProvisionedThroughputExceededException")
        injected.fail("Query", "ProvisionedThroughputExceededException")
        reply = call(container, "GET", f"/items/{item_id}", owner)
    assert reply["statusCode"] == 503
    assert reply["headers"]["Retry-After"] == str(RETRY_AFTER_SECONDS)
    # Once the table answers again, so does the API.
    assert call(container, "GET", f"/items/{item_id}", owner)["statusCode"] == 200


def test_at_adapter_level_a_throttled_commit_raises_unavailable_and_writes_nothing(
    container: Container,
) -> None:
    from ecobid_core.errors import Unavailable
    from ecobid_core.model.values import Location
    from ecobid_core.services.items import CreateItem, create_item

    owner = f"faults-adapter-{next(_owners)}"
    cmd = CreateItem(
        owner_id=owner,
        title="Lamp",
        description="",
        category="furniture",
        location=Location.of(10.0, 10.0),
    )
    events_before = outbox_ids(container)
    with faults(container.dynamodb_client()) as injected:
        injected.fail("TransactWriteItems", "ThrottlingException")
        with pytest.raises(Unavailable):
            create_item(cmd, container.unit_of_work(), container.clock(), container.ids())
    assert injected.sent["TransactWriteItems"] == BOTOCORE_ATTEMPTS
    assert items_of(container, owner) == []
    assert outbox_ids(container) == events_before
