"""The local server's stand-in for the S3 bucket: presigned POSTs in, signed GETs out.

``POST /_dev/uploads`` takes the multipart form the app sends to S3, lets the memory
store check its signed policy as S3 would (403 for a forged, altered or expired policy,
400 for a size outside its range), stores the file and hands the same ``ObjectCreated``
event S3 would send to the same ``process_image_upload``, before answering 204 as S3
does. ``GET /_dev/images/...`` serves a variant to whoever holds its signed URL.
Only on the memory backend: on the others the store is S3 (or moto) itself.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any, BinaryIO

from ecobid_adapters.memory.images import IMAGES_PATH, UPLOAD_PATH, MemoryImageStore
from ecobid_core.model.uploads import MAX_UPLOAD_BYTES
from ecobid_entrypoints.api.cors import cors_headers
from ecobid_entrypoints.api.errors import ApiError
from ecobid_entrypoints.api.http import error_response
from ecobid_entrypoints.container import Container
from ecobid_entrypoints.processors.image_upload import object_created_event, process_image_upload

log = logging.getLogger("ecobid.local")

LOCAL_BUCKET = "ecobid-local-images"
#: The form's own fields and boundaries, beyond the file.
FORM_OVERHEAD = 64 * 1024


class LocalUploads:
    def __init__(self, container: Container) -> None:
        self._container = container
        store = container.image_store()
        self._store = store if isinstance(store, MemoryImageStore) else None

    @property
    def serves_images(self) -> bool:
        return self._store is not None

    def handles(self, method: str, path: str) -> bool:
        if self._store is None:
            return False
        route = path.split("?", 1)[0]
        return (method == "POST" and route == UPLOAD_PATH) or (
            method == "GET" and route.startswith(IMAGES_PATH)
        )

    def respond(
        self, method: str, path: str, headers: Mapping[str, str], body: BinaryIO
    ) -> dict[str, Any]:
        assert self._store is not None
        try:
            if method == "GET":
                return self._image(self._store, path)
            return self._upload(self._store, headers, body)
        except ApiError as error:
            return error_response(error)

    def _upload(
        self, store: MemoryImageStore, headers: Mapping[str, str], body: BinaryIO
    ) -> dict[str, Any]:
        length = str(headers.get("Content-Length", ""))
        if not length.isdigit():
            raise ApiError(411, "length_required", "send the form with a Content-Length")
        if int(length) > MAX_UPLOAD_BYTES + FORM_OVERHEAD:
            raise ApiError(400, "entity_too_large", "the upload is larger than any policy allows")
        fields, data = _form(str(headers.get("Content-Type", "")), body.read(int(length)))
        try:
            key = store.accept_upload(fields, data)
        except PermissionError as error:
            raise ApiError(403, "access_denied", str(error)) from None
        except ValueError as error:
            raise ApiError(400, "invalid_upload", str(error)) from None
        etag = hashlib.md5(data, usedforsecurity=False).hexdigest()  # S3's ETag of a PUT/POST
        event = object_created_event(LOCAL_BUCKET, key, len(data), etag)
        del data
        try:
            process_image_upload(event, self._container.image_ports())
        except Exception as error:
            # S3 would retry the function; the uploader hears nothing of it either way.
            log.error("processing the upload %s failed: %s", key, type(error).__name__)
        return {"statusCode": 204, "headers": cors_headers(), "body": ""}

    def _image(self, store: MemoryImageStore, path: str) -> dict[str, Any]:
        try:
            data = store.read_url(path)
        except PermissionError as error:
            raise ApiError(403, "access_denied", str(error)) from None
        except (KeyError, ValueError):
            raise ApiError(404, "not_found", "no such image") from None
        headers = {**cors_headers(), "Content-Type": "image/jpeg", "Cache-Control": "private"}
        return {"statusCode": 200, "headers": headers, "body": data}


def _form(content_type: str, payload: bytes) -> tuple[dict[str, str], bytes]:
    """The text fields and the file of a multipart/form-data body."""
    if not content_type.lower().startswith("multipart/form-data"):
        raise ApiError(400, "invalid_upload", "send the upload as multipart/form-data")
    message = BytesParser(policy=HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode("latin-1") + payload
    )
    fields: dict[str, str] = {}
    data: bytes | None = None
    if not isinstance(message, EmailMessage) or not message.is_multipart():
        raise ApiError(400, "invalid_upload", "the form has no parts")
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        content = part.get_payload(decode=True)
        if not isinstance(name, str) or not isinstance(content, bytes):
            raise ApiError(400, "invalid_upload", "every form part needs a name")
        if name == "file":
            data = content
        else:
            fields[name] = content.decode("utf-8", errors="replace")
    if data is None:
        raise ApiError(400, "invalid_upload", "the form has no field named file")
    return fields, data
