"""Ratings: in their transaction's partition, indexed by ratee and time on GSI2.

The key is (``TRANSACTION#<id>``, ``RATING#<rater>``), so the if-absent condition of
``add`` is what keeps a rater to one rating per transaction, and the caller's own ratings
of a page of transactions are one ``BatchGetItem`` by key. ``RATED#<ratee>`` orders what
a user received by time, newest first, for ``received_by``.
"""

from __future__ import annotations

from collections.abc import Sequence

from ecobid_adapters import cursors
from ecobid_adapters.aws.dynamodb import keys, reads
from ecobid_adapters.aws.dynamodb.repository import Repository
from ecobid_core.model.rating import Rating
from ecobid_core.ports import Page


class DynamoRatings(Repository[Rating]):
    entity_type = Rating
    entity_name = "Rating"

    def key_of(self, entity: Rating) -> keys.Key:
        return keys.rating(entity.transaction_id, entity.rater_id)

    def indexes_of(self, entity: Rating) -> keys.Key:
        return keys.rating_indexes(entity)

    def get(self, transaction_id: str, rater_id: str) -> Rating | None:
        return self._load(keys.rating(transaction_id, rater_id))

    def given_by(self, rater_id: str, transaction_ids: Sequence[str]) -> dict[str, Rating]:
        wanted = [keys.rating(transaction_id, rater_id) for transaction_id in transaction_ids]
        found = self._decode_all(reads.batch_get(self._client, self._table, wanted))
        return {rating.transaction_id: rating for rating in found}

    def received_by(self, ratee_id: str, limit: int, after: str | None) -> Page[Rating]:
        return self._newest_first(
            cursors.RATINGS_RECEIVED, keys.user_ratings(ratee_id), limit, after
        )
