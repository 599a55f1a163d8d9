"""The versions a unit of work read: what its updates are conditioned on.

Aggregates advance their own version as they change, so the version an entity carries
when it is stored is the new one. The write's condition needs the one storage held when
the entity was read; the repositories of both backends remember it here, per unit of work.
"""

from __future__ import annotations

from typing import Protocol


class Stored(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def version(self) -> int: ...


class ReadVersions:
    def __init__(self, kind: str) -> None:
        self._kind = kind
        self._versions: dict[str, int] = {}

    def saw(self, entity: Stored) -> None:
        self._versions[entity.id] = entity.version

    def of(self, entity: Stored) -> int:
        """The version ``entity`` was read at; refusing one this unit of work never read."""
        try:
            return self._versions[entity.id]
        except KeyError:
            # A programming error, not a race: an update must follow a read in the same
            # unit of work, or there is no version to guard it with.
            raise ValueError(
                f"{self._kind} {entity.id} was not read by this unit of work, so it cannot "
                "be updated by it"
            ) from None
