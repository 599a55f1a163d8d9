"""Photo uploads as the app makes them: a presigned POST as multipart/form-data."""

from __future__ import annotations

import io
import urllib.error
import urllib.request
import uuid
from collections.abc import Mapping

from PIL import Image


def multipart(fields: Mapping[str, str], data: bytes) -> tuple[bytes, str]:
    """A form as browsers send it; S3 wants the file as the last part."""
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="photo"\r\n'
        f"Content-Type: {fields.get('Content-Type', 'application/octet-stream')}\r\n\r\n".encode()
        + data
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def post_form(url: str, fields: Mapping[str, str], data: bytes) -> int:
    """POST the form; the HTTP status (S3 answers 204 by default)."""
    body, content_type = multipart(fields, data)
    request = urllib.request.Request(url, data=body, method="POST")
    request.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def http_get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        body: bytes = response.read()
        return body


def jpeg_bytes(size: tuple[int, int] = (40, 30), colour: str = "green") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()
