"""Reservations: by id, and the pending ones whose hold has lapsed, oldest first.

Only a pending reservation carries a GSI1 key (ordered by ``expires_at``), so the hourly
job reads exactly the candidates: the index empties itself as holds are settled. The
clock, not this index, decides expiry on every read and write; the job only tidies up.
"""

from __future__ import annotations

from datetime import datetime

from ecobid_adapters.aws.dynamodb import keys, reads
from ecobid_adapters.aws.dynamodb.repository import VersionedRepository
from ecobid_core.model.reservation import Reservation, ReservationStatus


class DynamoReservations(VersionedRepository[Reservation]):
    entity_type = Reservation
    entity_name = "Reservation"

    def key_of(self, entity: Reservation) -> keys.Key:
        return keys.reservation(entity.id)

    def indexes_of(self, entity: Reservation) -> keys.Key:
        return keys.reservation_indexes(entity)

    def get(self, reservation_id: str) -> Reservation | None:
        return self._load(keys.reservation(reservation_id))

    def lapsed(self, now: datetime, limit: int) -> list[Reservation]:
        if limit <= 0:
            return []
        request = reads.due_before(self._table, keys.RESERVATIONS_PENDING, now)
        lapsed: list[Reservation] = []
        for reservation in self._decode_all(reads.query(self._client, request, page_size=limit)):
            # The index may lag a settled hold by a moment: keep only what is still pending.
            if reservation.status is ReservationStatus.PENDING and reservation.expires_at <= now:
                lapsed.append(reservation)
            if len(lapsed) == limit:
                break
        return lapsed
