"""What every unit of work shares: writes and events wait until ``commit``.

A use case stages through the repositories and commits explicitly; leaving the ``with``
block without a commit (an error, a refusal) discards everything staged, so a unit of
work can never half-apply. The families differ only in what a write is and how a commit
lands, which their subclasses say.
"""

from __future__ import annotations

from types import TracebackType
from typing import Generic, Self, TypeVar

from ecobid_core.model.events import DomainEvent

W = TypeVar("W")


class StagingUnitOfWork(Generic[W]):
    def __init__(self) -> None:
        self._writes: list[W] = []
        self._events: list[DomainEvent] = []

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollback()

    def rollback(self) -> None:
        self._writes, self._events = [], []

    def take_staged(self) -> tuple[list[W], list[DomainEvent]]:
        """Everything staged, leaving nothing behind: a commit is attempted once."""
        staged = self._writes, self._events
        self.rollback()
        return staged
