"""Photos in memory: the local server's stand-in for the private S3 bucket.

It hands out the same kind of presigned POST as S3, pointing at the local server's
``/_dev/uploads``, so the app's upload code runs unchanged against it, and
``accept_upload`` refuses what S3 would refuse (``signed_forms``). Reading is through
signed URLs to ``/_dev/images/...`` that expire by the store's clock, as S3's presigned
GETs do; nothing is ever readable without one.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Mapping
from datetime import timedelta
from urllib.parse import parse_qsl, urlsplit

from ecobid_adapters.images.keys import (
    GONE,
    LISTED,
    ORIGINAL,
    PENDING,
    VARIANTS,
    check_upload,
    image_key,
    parse_image_key,
    state_from_tagging_xml,
    tagging_xml,
)
from ecobid_adapters.memory.signed_forms import FormSigner
from ecobid_core.ports import Clock
from ecobid_core.ports.services import PresignedUpload

UPLOAD_PATH = "/_dev/uploads"
IMAGES_PATH = "/_dev/images/"


class MemoryImageStore:
    """``ImageStore`` in a dict; thread-safe like the other memory adapters."""

    def __init__(
        self,
        base_url: str,
        clock: Clock,
        url_expiry_seconds: int = 3600,
        upload_expiry_seconds: int = 900,
    ) -> None:
        self._base_url = base_url.rstrip("/")
        self._clock = clock
        self._url_expiry = timedelta(seconds=url_expiry_seconds)
        self._upload_expiry = timedelta(seconds=upload_expiry_seconds)
        self._signer = FormSigner(secrets.token_bytes(32))
        self._objects: dict[str, bytes] = {}
        # Each object's photo tag, as S3 keeps it for the lifecycle rules.
        self._tags: dict[str, str] = {}
        self._lock = threading.Lock()

    def presign_upload(
        self, item_id: str, image_id: str, content_type: str, max_bytes: int
    ) -> PresignedUpload:
        check_upload(content_type, max_bytes)
        fields = {
            "key": image_key(item_id, image_id),
            "Content-Type": content_type,
            "tagging": tagging_xml(PENDING),
        }
        expires_at = self._clock.now() + self._upload_expiry
        return PresignedUpload(
            url=f"{self._base_url}{UPLOAD_PATH}",
            fields=self._signer.post_fields(fields, max_bytes, expires_at),
        )

    def accept_upload(self, fields: Mapping[str, str], data: bytes) -> str:
        """Store a form upload that its signed policy allows; returns the key.

        Raises ``PermissionError`` for a policy this store did not sign, an expired one, or
        fields it does not allow, and ``ValueError`` for a size outside its range.
        """
        self._signer.check_post(fields, len(data), self._clock.now())
        key = fields["key"]
        parse_image_key(key)  # a policy only ever fixes keys of originals
        state = state_from_tagging_xml(fields.get("tagging", ""))
        with self._lock:
            self._objects[key] = bytes(data)
            if state is None:
                self._tags.pop(key, None)
            else:
                self._tags[key] = state
        return key

    def tag_of(self, key: str) -> str | None:
        """The photo tag the object carries (what the lifecycle rules would read)."""
        with self._lock:
            return self._tags.get(key)

    def size_of(self, key: str) -> int:
        """For the ``ObjectCreated`` event; raises ``KeyError`` when absent."""
        return len(self._read(key))

    def read_original(self, item_id: str, image_id: str) -> bytes:
        return self._read(image_key(item_id, image_id))

    def delete_original(self, item_id: str, image_id: str) -> None:
        key = image_key(item_id, image_id)
        with self._lock:
            self._objects.pop(key, None)
            self._tags.pop(key, None)

    def write_variant(self, item_id: str, image_id: str, variant: str, data: bytes) -> None:
        if variant == ORIGINAL:
            raise ValueError("variants never overwrite the original")
        key = image_key(item_id, image_id, variant)
        with self._lock:
            self._objects[key] = bytes(data)
            self._tags[key] = LISTED

    def mark_listed(self, item_id: str, image_id: str) -> None:
        self._tag([image_key(item_id, image_id)], LISTED)

    def release(self, item_id: str, image_id: str) -> None:
        self._tag([image_key(item_id, image_id, v) for v in (ORIGINAL, *VARIANTS)], GONE)

    def _tag(self, keys: list[str], state: str) -> None:
        with self._lock:
            for key in keys:
                if key in self._objects:  # as S3: an absent key has nothing to tag
                    self._tags[key] = state

    def url_for(self, item_id: str, image_id: str, variant: str) -> str:
        image_key(item_id, image_id, variant)  # the same id checks as the S3 store
        path = f"{IMAGES_PATH}{item_id}/{image_id}/{variant}"
        query = self._signer.url_query(path, self._clock.now() + self._url_expiry)
        return f"{self._base_url}{path}?{query}"

    def read_url(self, url: str) -> bytes:
        """The variant a signed URL names (a full URL or its path and query).

        Raises ``PermissionError`` for a URL not signed here or expired, ``KeyError`` for
        a variant that does not exist; originals are never readable.
        """
        parts = urlsplit(url)
        self._signer.check_url(parts.path, dict(parse_qsl(parts.query)), self._clock.now())
        segments = parts.path.removeprefix(IMAGES_PATH).split("/")
        if len(segments) != 3 or segments[2] == ORIGINAL:
            raise KeyError(parts.path)
        return self._read(image_key(*segments))

    def _read(self, key: str) -> bytes:
        with self._lock:
            return self._objects[key]
