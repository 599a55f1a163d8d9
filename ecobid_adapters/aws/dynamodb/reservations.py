"""Reservations: by id, each party's by time, and the pending ones whose hold has lapsed.

Only a pending reservation carries a GSI1 key (ordered by ``expires_at``), so the hourly
job reads exactly the candidates: the index empties itself as holds are settled. The
clock, not this index, decides expiry on every read and write; the job only tidies up.

Every reservation is listed for its holder (GSI2 ``HOLDS#``) and its giver (GSI3
``GIVES#``), both by (created_at, id). A user's list with no role is both queries merged:
a cursor is a position in time, the same in either index.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from itertools import islice
from typing import Any

from ecobid_adapters import cursors
from ecobid_adapters.aws.dynamodb import keys, reads, schema
from ecobid_adapters.aws.dynamodb.repository import VersionedRepository
from ecobid_core.model.reservation import Reservation, ReservationRole, ReservationStatus
from ecobid_core.ports import Page


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

    def for_user(
        self,
        user_id: str,
        role: ReservationRole | None,
        limit: int,
        after: str | None,
        keep: Callable[[Reservation], bool],
    ) -> Page[Reservation]:
        bound = None
        if after is not None:
            created, reservation_id = cursors.decode_time_id(after, cursors.USER_RESERVATIONS)
            bound = keys.time_id(created, reservation_id)
        if limit <= 0:
            return Page([], None)
        sides = []
        if role is not ReservationRole.GIVER:
            sides.append((schema.GSI2, keys.reservations_held(user_id)))
        if role is not ReservationRole.HOLDER:
            sides.append((schema.GSI3, keys.reservations_given(user_id)))
        # One more than a page from each side: whatever the merge puts first, it needs no
        # more of either, and the extra one tells whether another page exists.
        found: list[Reservation] = []
        for index, partition in sides:
            request = _newest_first(self._table, index, partition, bound)
            records = reads.query(self._client, request, page_size=limit + 1)
            found += islice(filter(keep, self._decode_all(records)), limit + 1)
        found.sort(key=lambda r: (r.created_at, r.id), reverse=True)
        page = found[:limit]
        cursor = None
        if len(found) > limit:
            last = page[-1]
            cursor = cursors.encode_time_id(cursors.USER_RESERVATIONS, last.created_at, last.id)
        return Page(page, cursor)


def _newest_first(table: str, index: str, partition: str, bound: str | None) -> dict[str, Any]:
    pk, sk = schema.INDEXES[index]
    condition = "#pk = :pk"
    names = {"#pk": pk}
    values: dict[str, Any] = {":pk": {"S": partition}}
    if bound is not None:
        condition += " AND #sk < :after"
        names["#sk"] = sk
        values[":after"] = {"S": bound}
    return {
        "TableName": table,
        "IndexName": index,
        "KeyConditionExpression": condition,
        "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": values,
        "ScanIndexForward": False,
    }
