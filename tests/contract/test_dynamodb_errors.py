"""How DynamoDB failures reach the core: named ``ConcurrentUpdate``s, or ``Unavailable``.

Throttling and cancellation reasons cannot be provoked on moto, so these use botocore's
Stubber: the answers are DynamoDB's documented error shapes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber

from ecobid_adapters.aws.dynamodb import DynamoUnitOfWork, codec
from ecobid_adapters.aws.dynamodb.errors import RecordExists, StaleVersion, WriteConflict
from ecobid_adapters.aws.dynamodb.unit_of_work import THROTTLED_TRANSACTION_ATTEMPTS
from ecobid_core.errors import ConcurrentUpdate, Unavailable
from ecobid_core.model.item import Item
from tests.contract import builders as b


@pytest.fixture
def stubbed() -> Iterator[tuple[Any, Stubber]]:
    client = boto3.client(
        "dynamodb",
        region_name="eu-central-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def _stored(stubber: Stubber, item: Item) -> None:
    """Answer the next ``get_item`` with ``item`` as stored."""
    stubber.add_response("get_item", {"Item": codec.serialize(codec.to_record(item))})


def _update_two(client: Any, stubber: Stubber, *reasons: dict[str, Any], times: int = 1) -> None:
    """A commit of two writes (an update read at version 4 and its event): a transaction,
    which DynamoDB cancels for ``reasons`` (``times`` times in a row)."""
    item = b.free_item()
    item.version = 4
    _stored(stubber, item)
    for _ in range(times):
        _cancel(stubber, *reasons)
    with DynamoUnitOfWork(client, "t") as uow:
        current = uow.items.get(item.id)
        assert current is not None
        current.edit("owner-1", b.NOW, title="new")
        uow.items.update(current)
        uow.commit()


def _cancel(stubber: Stubber, *reasons: dict[str, Any]) -> None:
    stubber.add_client_error(
        "transact_write_items",
        service_error_code="TransactionCanceledException",
        http_status_code=400,
        response_meta={},
        modeled_fields={"CancellationReasons": list(reasons)},
    )


def test_failed_version_condition_is_a_stale_version(stubbed: tuple[Any, Stubber]) -> None:
    client, stubber = stubbed
    failed = {"Code": "ConditionalCheckFailed", "Item": {"version": {"N": "6"}, "PK": {"S": "x"}}}
    with pytest.raises(StaleVersion, match="expected version 4, found version 6"):
        _update_two(client, stubber, failed, {"Code": "None"})


@pytest.mark.parametrize("code", ["TransactionConflict"])
def test_a_conflicting_transaction_is_a_concurrent_update(
    stubbed: tuple[Any, Stubber], code: str
) -> None:
    client, stubber = stubbed
    with pytest.raises(WriteConflict):
        _update_two(client, stubber, {"Code": "None"}, {"Code": code})


@pytest.mark.parametrize("code", ["ThrottlingError", "ProvisionedThroughputExceeded"])
def test_a_throttled_transaction_is_unavailable(stubbed: tuple[Any, Stubber], code: str) -> None:
    client, stubber = stubbed
    # Each attempt the unit of work makes is cancelled; then it gives up.
    with pytest.raises(Unavailable):
        _update_two(
            client, stubber, {"Code": code}, {"Code": "None"}, times=THROTTLED_TRANSACTION_ATTEMPTS
        )


def test_a_lone_add_that_finds_a_record_is_record_exists(stubbed: tuple[Any, Stubber]) -> None:
    client, stubber = stubbed
    stubber.add_client_error(
        "put_item", service_error_code="ConditionalCheckFailedException", http_status_code=400
    )
    with DynamoUnitOfWork(client, "t") as uow:
        uow.users.add(b.user())
        with pytest.raises(RecordExists):
            uow.commit()


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("ProvisionedThroughputExceededException", 400),
        ("ThrottlingException", 400),
        ("RequestLimitExceeded", 400),
        ("InternalServerError", 500),
        ("ServiceUnavailable", 503),
    ],
)
def test_throttled_or_failing_reads_are_unavailable(
    stubbed: tuple[Any, Stubber], code: str, status: int
) -> None:
    client, stubber = stubbed
    stubber.add_client_error("get_item", service_error_code=code, http_status_code=status)
    with DynamoUnitOfWork(client, "t") as uow, pytest.raises(Unavailable):
        uow.items.get("x")


def test_a_conflict_on_a_lone_write_is_a_concurrent_update(stubbed: tuple[Any, Stubber]) -> None:
    client, stubber = stubbed
    stubber.add_client_error(
        "put_item", service_error_code="TransactionConflictException", http_status_code=400
    )
    with DynamoUnitOfWork(client, "t") as uow:
        uow.bids.add(b.bid("item-u", 1))  # one write, no events: a lone conditional PutItem
        with pytest.raises(ConcurrentUpdate):
            uow.commit()


def test_a_malformed_request_surfaces_as_itself(stubbed: tuple[Any, Stubber]) -> None:
    client, stubber = stubbed
    stubber.add_client_error(
        "query", service_error_code="ValidationException", http_status_code=400
    )
    with DynamoUnitOfWork(client, "t") as uow, pytest.raises(ClientError) as raised:
        uow.bids.for_item("u")
    assert not isinstance(raised.value, Unavailable | ConcurrentUpdate)


def test_writing_one_record_twice_in_a_commit_is_a_bug(stubbed: tuple[Any, Stubber]) -> None:
    client, stubber = stubbed
    item = b.free_item()
    _stored(stubber, item)
    with DynamoUnitOfWork(client, "t") as uow:
        current = uow.items.get(item.id)
        assert current is not None
        current.edit("owner-1", b.NOW, title="new")
        uow.items.update(current)
        uow.items.update(current)
        with pytest.raises(ValueError, match="at most once"):
            uow.commit()
