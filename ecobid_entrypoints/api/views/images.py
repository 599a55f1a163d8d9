"""POST /items/{id}/images: the owner asks to upload a photo.

The answer is a presigned POST: the app sends the bytes straight to the image store,
never through this function (no Pillow here either: photos are processed elsewhere).
"""

from __future__ import annotations

from ecobid_core.services import images as use
from ecobid_entrypoints.api.deps import AppDeps
from ecobid_entrypoints.api.http import ApiRequest, ApiResponse, ok


def request_upload(req: ApiRequest, deps: AppDeps) -> ApiResponse:
    data = req.json("ImageUploadRequest")
    store = deps.images
    if store is None:
        raise LookupError("no image store is configured")
    grant = deps.run(
        lambda uow: use.request_upload(
            req.param("id"), req.user_id, data["contentType"], uow, deps.clock, deps.ids, store
        )
    )
    upload = {"url": grant.upload.url, "fields": dict(grant.upload.fields)}
    return ok({"imageId": grant.image_id, "upload": upload}, 201)
