"""Photos in memory, for tests and the local server (``/_dev/uploads``, ``/_dev/images``).

It hands out the same kind of presigned POST as S3, so the app's upload code runs
unchanged against the local server, and ``accept_upload`` enforces what S3 would enforce
from the POST policy: the key, the exact content type and the size range. The opaque
``policy`` field stands in for S3's signed policy: only uploads this store presigned are
accepted. Nothing expires: the local server's uploads live as long as the process.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Mapping

from attrs import frozen

from ecobid_adapters.images import ORIGINAL, check_upload, image_key, parse_image_key
from ecobid_core.ports.services import PresignedUpload


@frozen
class _Grant:
    key: str
    content_type: str
    max_bytes: int


class MemoryImageStore:
    """``ImageStore`` in a dict; thread-safe like the other memory adapters."""

    def __init__(self, base_url: str) -> None:
        self._base_url = base_url.rstrip("/")
        self._objects: dict[str, bytes] = {}
        self._grants: dict[str, _Grant] = {}
        self._lock = threading.Lock()

    def presign_upload(
        self, item_id: str, image_id: str, content_type: str, max_bytes: int
    ) -> PresignedUpload:
        check_upload(content_type, max_bytes)
        key = image_key(item_id, image_id)
        policy = secrets.token_urlsafe(24)
        with self._lock:
            self._grants[policy] = _Grant(key, content_type, max_bytes)
        return PresignedUpload(
            url=f"{self._base_url}/_dev/uploads",
            fields={"key": key, "Content-Type": content_type, "policy": policy},
        )

    def accept_upload(self, fields: Mapping[str, str], data: bytes) -> tuple[str, str]:
        """Store a form upload if its presigned policy allows it; ``(item_id, image_id)``.

        Raises ``PermissionError`` for a policy this store never issued or fields that
        differ from it, and ``ValueError`` for a size outside the allowed range.
        """
        with self._lock:
            grant = self._grants.get(fields.get("policy", ""))
        if grant is None or fields.get("key") != grant.key:
            raise PermissionError("the upload does not match a presigned policy")
        if fields.get("Content-Type") != grant.content_type:
            raise PermissionError("the upload's content type differs from the presigned one")
        if not 1 <= len(data) <= grant.max_bytes:
            raise ValueError(f"an upload must have 1 to {grant.max_bytes} bytes")
        with self._lock:
            self._objects[grant.key] = bytes(data)
        item_id, image_id, _ = parse_image_key(grant.key)
        return item_id, image_id

    def read_original(self, item_id: str, image_id: str) -> bytes:
        return self._read(image_key(item_id, image_id))

    def read_variant(self, item_id: str, image_id: str, variant: str) -> bytes:
        """For the local server's ``/_dev/images``; raises ``KeyError`` when absent."""
        return self._read(image_key(item_id, image_id, variant))

    def write_variant(self, item_id: str, image_id: str, variant: str, data: bytes) -> None:
        if variant == ORIGINAL:
            raise ValueError("variants never overwrite the original")
        with self._lock:
            self._objects[image_key(item_id, image_id, variant)] = bytes(data)

    def url_for(self, item_id: str, image_id: str, variant: str) -> str:
        image_key(item_id, image_id, variant)  # the same id checks as the S3 store
        return f"{self._base_url}/_dev/images/{item_id}/{image_id}/{variant}"

    def _read(self, key: str) -> bytes:
        with self._lock:
            return self._objects[key]
