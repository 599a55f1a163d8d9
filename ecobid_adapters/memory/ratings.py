"""In-memory ratings: one per (transaction, rater), as the DynamoDB key makes it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ecobid_adapters import cursors
from ecobid_adapters.memory.repositories import newest_first
from ecobid_adapters.memory.store import ABSENT, StagedWrite
from ecobid_core.model.rating import Rating
from ecobid_core.ports import Page

if TYPE_CHECKING:
    from ecobid_adapters.memory.unit_of_work import MemoryUnitOfWork


class MemoryRatings:
    table = "ratings"

    def __init__(self, uow: MemoryUnitOfWork) -> None:
        self._uow = uow

    def get(self, transaction_id: str, rater_id: str) -> Rating | None:
        found: Rating | None = self._uow.store.read(
            self.table, Rating.id_for(transaction_id, rater_id)
        )
        return found

    def add(self, rating: Rating) -> None:
        self._uow.stage(StagedWrite(self.table, rating.id, rating, ABSENT), [])

    def given_by(self, rater_id: str, transaction_ids: Sequence[str]) -> dict[str, Rating]:
        wanted = set(transaction_ids)
        found = self._uow.store.select(
            self.table, lambda r: r.rater_id == rater_id and r.transaction_id in wanted
        )
        return {rating.transaction_id: rating for rating in found}

    def received_by(self, ratee_id: str, limit: int, after: str | None) -> Page[Rating]:
        received = self._uow.store.select(self.table, lambda r: r.ratee_id == ratee_id)
        return newest_first(cursors.RATINGS_RECEIVED, received, limit, after)
