"""The DynamoDB unit of work: every staged write and its events in one transaction.

Repositories only stage; ``commit`` sends a single ``TransactWriteItems`` holding each
staged write with its condition plus one outbox record per domain event, so the change
and its events land together or not at all. A lone write without events goes as a plain
conditional ``PutItem``: same condition, half the capacity. The client is injected (one
per Lambda cold start); a unit of work is one attempt of one request and is used once.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

from botocore.exceptions import ClientError

from ecobid_adapters.aws.dynamodb import errors, outbox
from ecobid_adapters.aws.dynamodb.errors import call
from ecobid_adapters.aws.dynamodb.items import DynamoItems
from ecobid_adapters.aws.dynamodb.ratings import DynamoRatings
from ecobid_adapters.aws.dynamodb.records import (
    DynamoBids,
    DynamoTransactions,
)
from ecobid_adapters.aws.dynamodb.reservations import DynamoReservations
from ecobid_adapters.aws.dynamodb.users import DynamoUsers
from ecobid_adapters.aws.dynamodb.writes import Write, as_put_item
from ecobid_adapters.staging import StagingUnitOfWork
from ecobid_core.model.events import DomainEvent
from ecobid_core.ports import (
    BidRepository,
    ItemRepository,
    RatingRepository,
    ReservationRepository,
    TransactionRepository,
    UserRepository,
)

#: DynamoDB's limit on the writes of one transaction.
MAX_TRANSACTION_WRITES = 100
#: Attempts at a transaction that DynamoDB cancelled for throttling one of its items.
#: botocore retries throttling it can see in the error code, but a throttled item of a
#: transaction comes as ``TransactionCanceledException`` with ``ThrottlingError`` among
#: the cancellation reasons, which no retry mode retries: this does, like botocore's
#: standard mode (full jitter, doubling), then gives up with ``Unavailable``. Nothing of
#: a cancelled transaction was written, so trying again is safe.
THROTTLED_TRANSACTION_ATTEMPTS = 3
THROTTLED_TRANSACTION_FIRST_DELAY = 0.05


class DynamoUnitOfWork(StagingUnitOfWork[Write]):
    """``UnitOfWork`` on one DynamoDB table, through an injected low-level client.

    ``outbox_retention`` sets how long outbox records live before TTL may remove them,
    measured by ``wall_clock`` (epoch seconds), not by the domain's clock.
    ``on_commit``, when given, is handed the events of every commit that landed: in AWS
    the table's stream delivers them, but a local server has no stream to read.
    """

    def __init__(
        self,
        client: Any,
        table_name: str,
        *,
        outbox_retention: timedelta = outbox.DEFAULT_RETENTION,
        wall_clock: Callable[[], float] = time.time,
        on_commit: Callable[[Sequence[DomainEvent]], None] | None = None,
        pause: Callable[[float], None] = time.sleep,
    ) -> None:
        self.client = client
        self.table_name = table_name
        self._retention = outbox_retention
        self._wall_clock = wall_clock
        self._on_commit = on_commit
        self._pause = pause
        super().__init__()
        # Typed as the ports: the UnitOfWork protocol's attributes are invariant.
        self.items: ItemRepository = DynamoItems(self)
        self.reservations: ReservationRepository = DynamoReservations(self)
        self.users: UserRepository = DynamoUsers(self)
        self.transactions: TransactionRepository = DynamoTransactions(self)
        self.bids: BidRepository = DynamoBids(self)
        self.ratings: RatingRepository = DynamoRatings(self)

    def stage(self, staged: Sequence[Write], events: Sequence[DomainEvent] = ()) -> None:
        self._writes.extend(staged)
        self._events.extend(events)

    def commit(self) -> None:
        staged, events = self.take_staged()
        now = self._wall_clock()
        batch = staged + [outbox.put(self.table_name, e, now, self._retention) for e in events]
        if not batch:
            return
        _check_batch(batch)
        lone_put = as_put_item(batch[0]) if len(batch) == 1 else None
        if lone_put is not None:
            self._put(batch[0], lone_put)
        else:
            self._transact(batch)
        if events and self._on_commit is not None:
            self._on_commit(events)

    def _put(self, write: Write, request: dict[str, Any]) -> None:
        try:
            call(self.client.put_item, **request)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise
            raise errors.condition_failed(
                write.label, error.response.get("Item"), write.expected
            ) from error

    def _transact(self, batch: list[Write]) -> None:
        for attempt in range(THROTTLED_TRANSACTION_ATTEMPTS):
            if attempt:
                ceiling = THROTTLED_TRANSACTION_FIRST_DELAY * 2 ** (attempt - 1)
                self._pause(random.uniform(0, ceiling))  # jitter, not secrecy
            try:
                return self._transact_once(batch)
            except errors.ThrottledTransaction:
                if attempt == THROTTLED_TRANSACTION_ATTEMPTS - 1:
                    raise

    def _transact_once(self, batch: list[Write]) -> None:
        try:
            # botocore fills ClientRequestToken once per call, so its own retries of a
            # transaction that did land are idempotent rather than a false conflict.
            call(
                self.client.transact_write_items,
                TransactItems=[dict(write.request) for write in batch],
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "TransactionCanceledException":
                raise
            mapped = errors.cancelled(error, [w.label for w in batch], [w.expected for w in batch])
            if mapped is None:
                raise
            raise mapped from error


def _check_batch(batch: Sequence[Write]) -> None:
    # Both are programming errors, not races: say so instead of a ValidationException.
    if len(batch) > MAX_TRANSACTION_WRITES:
        raise ValueError(
            f"a commit holds at most {MAX_TRANSACTION_WRITES} writes, not {len(batch)}"
        )
    keys = [write.key for write in batch]
    if len(set(keys)) != len(keys):
        raise ValueError("a unit of work writes each record at most once")
