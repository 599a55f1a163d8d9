"""Photos: the upload rules both image stores share, and the Pillow pipeline.

Uploads come straight from phones, so the bytes are untrusted. The pipeline only lets the
three accepted formats' decoders near them, refuses pixel counts that would exhaust a
Lambda's memory before decoding a single pixel (a small file can declare a huge canvas:
a decompression bomb), and re-encodes what survives as plain RGB JPEG. Re-encoding from
pixels drops all metadata, so EXIF GPS positions never reach other users; the EXIF
orientation is applied first, or phone photos would show up sideways.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

from PIL import Image, ImageOps

#: The content types an upload may declare, and the Pillow format each must decode as.
UPLOAD_FORMATS: Mapping[str, str] = {
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/webp": "WEBP",
}
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
ORIGINAL = "original"
#: Variant name -> the box it must fit in. Never upscaled.
VARIANT_BOXES: Mapping[str, tuple[int, int]] = {"thumb": (320, 320), "large": (1280, 1280)}


class UnacceptableImage(ValueError):
    """The bytes are not an image the pipeline will process."""


def check_upload(content_type: str, max_bytes: int) -> None:
    """Refuse an upload request the stores must not presign."""
    if content_type not in UPLOAD_FORMATS:
        raise ValueError(f"content type must be one of {', '.join(sorted(UPLOAD_FORMATS))}")
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


class PillowImageProcessor:
    """``ImageProcessor``: untrusted upload in, metadata-free JPEG variants out."""

    def __init__(self, max_pixels: int = 50_000_000, quality: int = 85) -> None:
        # 50 MP admits the largest photos phones save by default while bounding a decode
        # to about 200 MB, which a 1 GB Lambda can afford.
        self._max_pixels = max_pixels
        self._quality = quality

    def variants(self, original: bytes) -> dict[str, bytes]:
        if len(original) > MAX_UPLOAD_BYTES:
            raise UnacceptableImage("the image is larger than an upload may be")
        picture = self._decode(original)
        return {name: self._encode(picture, box) for name, box in VARIANT_BOXES.items()}

    def _decode(self, data: bytes) -> Image.Image:
        try:
            # verify() checks the file's structure and then leaves the image unusable, so
            # the image is opened a second time to actually decode it.
            with self._open(data) as probe:
                probe.verify()
            with self._open(data) as image:
                largest = max(VARIANT_BOXES.values())
                # For JPEG, decode at the smallest scale that still covers the largest
                # variant: far less memory and time for big phone photos.
                image.draft("RGB", largest)
                image.load()
                upright = ImageOps.exif_transpose(image)
                return _flatten(upright)
        except UnacceptableImage:
            raise
        except Image.DecompressionBombError as error:
            # Pillow's own, process-wide guard, for canvases beyond twice its default.
            raise UnacceptableImage("the image has too many pixels") from error
        except Exception as error:
            # Pillow's decoders answer hostile input with many exception types (OSError,
            # SyntaxError, struct.error, IndexError, ...): all mean the same here.
            raise UnacceptableImage("the upload is not a readable image") from error

    def _open(self, data: bytes) -> Image.Image:
        image = Image.open(io.BytesIO(data), formats=list(UPLOAD_FORMATS.values()))
        # Opening reads only the header: refuse a huge canvas before decoding any of it.
        width, height = image.size
        if width * height > self._max_pixels:
            image.close()
            raise UnacceptableImage("the image has too many pixels")
        return image

    def _encode(self, picture: Image.Image, box: tuple[int, int]) -> bytes:
        variant = picture.copy()
        variant.thumbnail(box, Image.Resampling.LANCZOS)
        out = io.BytesIO()
        variant.save(out, "JPEG", quality=self._quality, optimize=True, progressive=True)
        return out.getvalue()


def _flatten(image: Image.Image) -> Image.Image:
    """RGB pixels without metadata; transparency becomes a white background."""
    if image.mode in {"RGBA", "LA", "PA", "P"} or "transparency" in image.info:
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
    else:
        flat = image.convert("RGB")
    # convert() copies EXIF, ICC and XMP along; variants must carry none of them.
    flat.info.clear()
    return flat
