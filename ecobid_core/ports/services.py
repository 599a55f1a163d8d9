"""Ports to the world outside storage: time, ids, events, images and identity."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from attrs import frozen

from ecobid_core.model.events import DomainEvent
from ecobid_core.model.user import RatingSummary
from ecobid_core.model.values import Location


class Clock(Protocol):
    """Now, in UTC. Injected so tests and the local server can move time."""

    def now(self) -> datetime: ...


class IdGenerator(Protocol):
    def new_id(self) -> str: ...


class EventPublisher(Protocol):
    """Hands committed domain events on to their consumers (at least once)."""

    def publish(self, events: Sequence[DomainEvent]) -> None: ...


class TokenVerifier(Protocol):
    """Checks a bearer token and returns its claims (``sub``, ``email``, ...).

    Raises ``InvalidToken`` for anything that is not a valid, current token of ours.
    """

    def verify(self, token: str) -> Mapping[str, Any]: ...


class ProfileCopies(Protocol):
    """The identity provider's copies of profile fields (location, rating) for tokens.

    The profile store is the truth; a failed copy is repaired by the next change.
    """

    def sync(self, username: str, location: Location | None, rating: RatingSummary) -> None: ...


class InvalidToken(Exception):
    """The token is missing, malformed, expired, wrongly signed or not meant for us."""


@frozen
class PresignedUpload:
    url: str
    fields: Mapping[str, str]


class ImageStore(Protocol):
    """Where photos live, kept private: the app uploads straight to it through a presigned
    POST (no function carries the bytes), the pipeline reads the original and writes the
    variants, and readers get short-lived URLs, never a public object."""

    def presign_upload(
        self, item_id: str, image_id: str, content_type: str, max_bytes: int
    ) -> PresignedUpload: ...

    def read_original(self, item_id: str, image_id: str) -> bytes:
        """The uploaded bytes; ``KeyError`` when there are none (never uploaded, or gone)."""
        ...

    def delete_original(self, item_id: str, image_id: str) -> None:
        """Forget the upload (a rejected photo must not stay); absent is not an error."""
        ...

    def write_variant(self, item_id: str, image_id: str, variant: str, data: bytes) -> None:
        """Store a display variant of an accepted photo (kept while its item is listed)."""
        ...

    def mark_listed(self, item_id: str, image_id: str) -> None:
        """Keep the accepted original while its item is listed (an upload not accepted
        is deleted by the store's own expiry)."""
        ...

    def release(self, item_id: str, image_id: str) -> None:
        """The photo's item is gone: let the store delete the original and its variants
        (the bucket's lifecycle rules do, within 90 days); absent objects are fine."""
        ...

    def url_for(self, item_id: str, image_id: str, variant: str) -> str: ...


class ImageProcessor(Protocol):
    """Turns an untrusted upload into display variants (``thumb``, ``large``).

    Raises ``ValueError`` for anything it will not show: not an image, a broken one, or one
    too big to process within the function's memory.
    """

    def variants(self, original: bytes) -> Mapping[str, bytes]: ...


class Moderator(Protocol):
    """Decides whether a photo may be shown to other users; sees the ``large`` variant."""

    def is_acceptable(self, image: bytes) -> bool: ...
