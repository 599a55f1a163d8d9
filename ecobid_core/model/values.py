"""Small value objects shared by several aggregates."""

from __future__ import annotations

from enum import StrEnum

from attrs import frozen

from ecobid_core.errors import ValidationFailed

CATEGORIES: tuple[str, ...] = (
    "furniture",
    "electronics",
    "clothing",
    "books",
    "kitchen",
    "garden",
    "toys",
    "sports",
    "other",
)


class ItemType(StrEnum):
    FREE = "free"
    AUCTION = "auction"


class ItemStatus(StrEnum):
    AVAILABLE = "available"
    RESERVED = "reserved"
    GIVEN = "given"
    ACTIVE = "active"
    ENDED = "ended"
    SOLD = "sold"
    WITHDRAWN = "withdrawn"


#: Statuses of an item still on offer; from any other (given, sold, ended, withdrawn)
#: there is no way back, and its photos may go.
LISTED_STATUSES = frozenset({ItemStatus.AVAILABLE, ItemStatus.RESERVED, ItemStatus.ACTIVE})

#: Statuses an item can be found by in a nearby search. A reserved item stays indexed
#: because its hold can lapse without any write: it is filtered on read instead.
SEARCHABLE = frozenset({ItemStatus.AVAILABLE, ItemStatus.ACTIVE, ItemStatus.RESERVED})


@frozen
class Location:
    lat: float
    lon: float

    @classmethod
    def of(cls, lat: float, lon: float, field: str = "location") -> Location:
        if not -90.0 <= lat <= 90.0:
            raise ValidationFailed.on(f"{field}.lat", "must be between -90 and 90")
        if not -180.0 <= lon <= 180.0:
            raise ValidationFailed.on(f"{field}.lon", "must be between -180 and 180")
        return cls(float(lat), float(lon))


def category(value: str) -> str:
    if value not in CATEGORIES:
        raise ValidationFailed.on("category", f"must be one of {', '.join(CATEGORIES)}")
    return value
