"""The unit of work: one atomic change across several aggregates.

A use case opens one per attempt, reads and stages through its repositories, and calls
``commit``; leaving the block without a commit discards everything staged. Domain events
recorded by the staged aggregates are committed with them (a transactional outbox), so an
event is published if and only if its change was stored.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Protocol, Self

from ecobid_core.ports.repositories import (
    BidRepository,
    ItemRepository,
    RatingRepository,
    ReservationRepository,
    TransactionRepository,
    UserRepository,
)


class UnitOfWork(Protocol):
    items: ItemRepository
    reservations: ReservationRepository
    users: UserRepository
    transactions: TransactionRepository
    bids: BidRepository
    ratings: RatingRepository

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None:
        """Store every staged write atomically, or raise ``ConcurrentUpdate``."""
        ...


UnitOfWorkFactory = Callable[[], UnitOfWork]
