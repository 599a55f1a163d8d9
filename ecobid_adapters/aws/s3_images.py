"""Photos in S3: the app uploads straight to the bucket, never through a Lambda.

A presigned POST (not PUT) is used because its policy can bind the upload to one key, one
exact content type and a size range, all enforced by S3 itself: API Gateway's 10 MB
payload limit and Lambda's 6 MB one never see the bytes. Reads for display go through
short-lived presigned GETs, so the bucket stays private behind its public access block.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from ecobid_adapters.aws.failures import error_code, unavailable_when_transient
from ecobid_adapters.images.keys import ORIGINAL, check_upload, image_key
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
        # declared type (the app cannot swap in e.g. text/html) and the size.
        post = self._s3.generate_presigned_post(
            Bucket=self._bucket,
            Key=key,
            Fields={"Content-Type": content_type},
            Conditions=[
                {"Content-Type": content_type},
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
            )

    def url_for(self, item_id: str, image_id: str, variant: str) -> str:
        url: str = self._s3.generate_presigned_url(
            "get_object",
            Params={"Bucket": self._bucket, "Key": image_key(item_id, image_id, variant)},
            ExpiresIn=self._url_expiry,
        )
        return url
