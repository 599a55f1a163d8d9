"""Photos: the upload grant (an API route) and the processing of each uploaded object."""

from __future__ import annotations

from typing import Any

from ecobid_entrypoints.functions.runtime import container, invocation, serve


def create_image_upload(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """CreateImageUpload: POST /items/{id}/images."""
    return serve("CreateImageUpload", event)


def process_image_upload(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """ProcessImageUpload: S3 ObjectCreated records -> variants, moderation, the outcome.

    Imports the photo pipeline (Pillow) on its first call, in this function only.
    """
    from ecobid_entrypoints.processors import image_upload

    with invocation(context):
        return dict(image_upload.process_image_upload(event, container().image_ports()))
