"""Photos in S3: the app uploads straight to the bucket, never through a Lambda.

A presigned POST (not PUT) is used because its policy can bind the upload to one key, one
exact content type and a size range, all enforced by S3 itself: API Gateway's 10 MB
payload limit and Lambda's 6 MB one never see the bytes. Reads for display go through
short-lived presigned GETs, so the bucket stays private behind its public access block.

Every object carries a photo tag (``images.keys.PHOTO_TAG``) that the bucket's lifecycle
rules read: an upload is ``pending`` (its POST policy fixes the tag), an accepted photo
and its variants are ``listed`` and never expire, and the photos of an item that is gone
are retagged ``gone``, so S3 deletes them, versions included, within 90 days.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from ecobid_adapters.aws.failures import error_code, unavailable_when_transient
from ecobid_adapters.images.keys import (
    GONE,
    LISTED,
    ORIGINAL,
    PENDING,
    VARIANTS,
    check_upload,
    image_key,
    tag_set,
    tagging_header,
    tagging_xml,
)
from ecobid_core.model.uploads import MAX_UPLOAD_BYTES
from ecobid_core.ports.services import PresignedUpload


class S3ImageStore:
    """``ImageStore`` on one private S3 bucket, with keys from ``images.keys.image_key``."""

    def __init__(
        self,
        client: Any,
        bucket: str,
        url_expiry_seconds: int = 3600,
        upload_expiry_seconds: int = 900,
    ) -> None:
        # A presigned URL also dies with the credentials that signed it: in Lambda a
        # role session lasts hours, so longer expiries would promise more than they give.
        self._s3 = client
        self._bucket = bucket
        self._url_expiry = url_expiry_seconds
        self._upload_expiry = upload_expiry_seconds

    def presign_upload(
        self, item_id: str, image_id: str, content_type: str, max_bytes: int
    ) -> PresignedUpload:
        check_upload(content_type, max_bytes)
        key = image_key(item_id, image_id)
        # boto3 adds the bucket and exact-key conditions itself; the rest bind the
        # declared type (the app cannot swap in e.g. text/html), the size, and the
        # ``pending`` tag, so an upload nobody accepts expires by the lifecycle rules.
        tagging = tagging_xml(PENDING)
        post = self._s3.generate_presigned_post(
            Bucket=self._bucket,
            Key=key,
            Fields={"Content-Type": content_type, "tagging": tagging},
            Conditions=[
                {"Content-Type": content_type},
                {"tagging": tagging},
                ["content-length-range", 1, max_bytes],
            ],
            ExpiresIn=self._upload_expiry,
        )
        return PresignedUpload(url=post["url"], fields=dict(post["fields"]))

    def read_original(self, item_id: str, image_id: str) -> bytes:
        key = image_key(item_id, image_id)
        with unavailable_when_transient("the image store"):
            try:
                response = self._s3.get_object(Bucket=self._bucket, Key=key)
            except ClientError as error:
                if error_code(error) in {"NoSuchKey", "404"}:
                    raise KeyError(key) from None
                raise
            # The upload policy caps the size, but a pipeline must not trust that whatever
            # sits under the key went through it.
            if int(response["ContentLength"]) > MAX_UPLOAD_BYTES:
                response["Body"].close()
                raise ValueError("the stored original is larger than an upload may be")
            data: bytes = response["Body"].read()
            return data

    def delete_original(self, item_id: str, image_id: str) -> None:
        # S3 answers a delete of an absent key with success: nothing to tell apart.
        with unavailable_when_transient("the image store"):
            self._s3.delete_object(Bucket=self._bucket, Key=image_key(item_id, image_id))

    def write_variant(self, item_id: str, image_id: str, variant: str, data: bytes) -> None:
        if variant == ORIGINAL:
            raise ValueError("variants never overwrite the original")
        with unavailable_when_transient("the image store"):
            self._s3.put_object(
                Bucket=self._bucket,
                Key=image_key(item_id, image_id, variant),
                Body=data,
                ContentType="image/jpeg",
                # A variant's key never gets other bytes: caches may keep it for good.
                CacheControl="private, max-age=31536000, immutable",
                # Written only for an image accepted onto a listed item.
                Tagging=tagging_header(LISTED),
            )

    def mark_listed(self, item_id: str, image_id: str) -> None:
        self._tag([image_key(item_id, image_id)], LISTED)

    def release(self, item_id: str, image_id: str) -> None:
        keys = [image_key(item_id, image_id, v) for v in (ORIGINAL, *VARIANTS)]
        self._tag(keys, GONE)

    def _tag(self, keys: list[str], state: str) -> None:
        with unavailable_when_transient("the image store"):
            for key in keys:
                try:
                    self._s3.put_object_tagging(
                        Bucket=self._bucket, Key=key, Tagging={"TagSet": tag_set(state)}
                    )
                except ClientError as error:
                    # A variant never written, an original already deleted: nothing to tag.
                    if error_code(error) not in {"NoSuchKey", "404"}:
                        raise

    def url_for(self, item_id: str, image_id: str, variant: str) -> str:
        url: str = self._s3.generate_presigned_url(
            "get_object",
            Params={"Bucket": self._bucket, "Key": image_key(item_id, image_id, variant)},
            ExpiresIn=self._url_expiry,
        )
        return url
