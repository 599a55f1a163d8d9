"""Where an image and its variants are stored, and what an upload may be presigned for.

One layout for both stores, and the S3 event handler reads ids back out of a key, so it
lives in one place. No Pillow here: the API's upload route imports this module.
"""

from __future__ import annotations

from ecobid_core.model.uploads import CONTENT_TYPES, MAX_UPLOAD_BYTES

ORIGINAL = "original"
#: The variants the pipeline writes, JPEG each.
VARIANTS = ("thumb", "large")

#: The object tag that says where a photo is in its life; the bucket's lifecycle rules
#: (terraform/modules/s3) expire ``pending`` and ``gone`` photos and never ``listed`` ones.
PHOTO_TAG = "ecobid-photo"
#: Uploaded, not (yet) accepted onto a listed item.
PENDING = "pending"
#: Accepted, of an item still listed.
LISTED = "listed"
#: Of an item given, sold, ended or withdrawn, or deleted.
GONE = "gone"


def tag_set(state: str) -> list[dict[str, str]]:
    """The TagSet of PutObjectTagging for a photo in ``state``."""
    return [{"Key": PHOTO_TAG, "Value": state}]


def tagging_header(state: str) -> str:
    """PutObject's ``Tagging`` (URL query form)."""
    return f"{PHOTO_TAG}={state}"


def tagging_xml(state: str) -> str:
    """A POST upload's ``tagging`` form field: the tag set as XML
    (https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html)."""
    return (
        "<Tagging><TagSet><Tag>"
        f"<Key>{PHOTO_TAG}</Key><Value>{state}</Value>"
        "</Tag></TagSet></Tagging>"
    )


def state_from_tagging_xml(xml: str) -> str | None:
    """The photo state a POST's ``tagging`` field sets, or None (for the memory store)."""
    for state in (PENDING, LISTED, GONE):
        if xml == tagging_xml(state):
            return state
    return None


def check_upload(content_type: str, max_bytes: int) -> None:
    """Refuse an upload request the stores must not presign."""
    if content_type not in CONTENT_TYPES:
        raise ValueError(f"content type must be one of {', '.join(sorted(CONTENT_TYPES))}")
    if not 0 < max_bytes <= MAX_UPLOAD_BYTES:
        raise ValueError(f"max_bytes must be between 1 and {MAX_UPLOAD_BYTES}")


def image_key(item_id: str, image_id: str, variant: str = ORIGINAL) -> str:
    """The one place that lays out where an image and its variants are stored."""
    for segment in (item_id, image_id, variant):
        # Ids become path segments: one with a slash could reach another item's photos.
        if not segment or "/" in segment or segment in {".", ".."}:
            raise ValueError("ids and variant names must be plain path segments")
    suffix = ORIGINAL if variant == ORIGINAL else f"{variant}.jpg"
    return f"items/{item_id}/{image_id}/{suffix}"


def parse_image_key(key: str) -> tuple[str, str, str]:
    """``(item_id, image_id, variant)`` of a key ``image_key`` built (e.g. from an S3 event)."""
    parts = key.split("/")
    if len(parts) != 4 or parts[0] != "items":
        raise ValueError("not an image key")
    _, item_id, image_id, name = parts
    variant = ORIGINAL if name == ORIGINAL else name.removesuffix(".jpg")
    if image_key(item_id, image_id, variant) != key:
        raise ValueError("not an image key")
    return item_id, image_id, variant
