"""The Pillow pipeline: an untrusted upload in, metadata-free JPEG variants out.

Uploads come straight from phones, so the bytes are untrusted. Only the three accepted
formats' decoders see them; the header's canvas is priced (``budget``) before a pixel is
decoded, so a photo that cannot be processed within the function's 128 MB is refused
instead of killing the function. Memory is spent once: a JPEG is decoded at the smallest
scale that still covers the large variant in its own aspect, any other format is reduced
right after decoding and the full-size canvas dropped, and everything after that (EXIF
rotation, flattening, the variants) works on the small copy.

Re-encoding from pixels drops all metadata, so EXIF GPS positions never reach other users;
the EXIF orientation is applied first, or phone photos would show up sideways.
"""

from __future__ import annotations

import io
import math

from PIL import Image

from ecobid_adapters.images import budget
from ecobid_adapters.images.keys import VARIANTS
from ecobid_core.model.uploads import MAX_UPLOAD_BYTES

FORMATS = ("JPEG", "PNG", "WEBP")
#: Variant name -> the box it must fit in. Never upscaled.
VARIANT_BOXES: dict[str, tuple[int, int]] = {"thumb": (320, 320), "large": (1280, 1280)}
assert tuple(VARIANT_BOXES) == VARIANTS
LARGE = VARIANT_BOXES["large"]
assert budget.LARGE_BOX == LARGE

_ORIENTATION = 0x0112
# EXIF orientation -> the transposition that shows the photo upright (EXIF 2.3, 4.6.4).
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_SAMPLED_MODES = {"P", "1"}
_LANCZOS, _NEAREST = Image.Resampling.LANCZOS, Image.Resampling.NEAREST


class UnacceptableImage(ValueError):
    """The bytes are not an image the pipeline will process."""


class PillowImageProcessor:
    """``ImageProcessor`` within a memory budget (the function's, by default)."""

    def __init__(self, memory: int = budget.FUNCTION_MEMORY, quality: int = 85) -> None:
        self._memory = memory
        self._quality = quality

    def variants(self, original: bytes) -> dict[str, bytes]:
        if len(original) > MAX_UPLOAD_BYTES:
            raise UnacceptableImage("the image is larger than an upload may be")
        large = self._large_picture(original)
        # The thumbnail comes from the large picture: nothing full-size is left by now.
        return {name: self._encode(large, box) for name, box in VARIANT_BOXES.items()}

    def _large_picture(self, data: bytes) -> Image.Image:
        """The upright, flat RGB picture at most the large variant's size."""
        self._check_webp_canvas(data)
        try:
            image = Image.open(io.BytesIO(data), formats=list(FORMATS))
            try:
                self._check_cost(image, len(data))
                if image.format == "JPEG":
                    image.draft("RGB", _fit(image.size, LARGE))
                image.load()
                orientation = image.getexif().get(_ORIENTATION, 1)
                small = _shrink(image, LARGE)
            finally:
                image.close()  # the full-size canvas goes before any further copy
            flat = _flatten(small)
        except UnacceptableImage:
            raise
        except Image.DecompressionBombError as error:
            # Pillow's own, process-wide guard, for canvases beyond twice its default.
            raise UnacceptableImage("the image has too many pixels") from error
        except Exception as error:
            # Pillow's decoders answer hostile input with many exception types (OSError,
            # SyntaxError, struct.error, IndexError, ...): all mean the same here.
            raise UnacceptableImage("the upload is not a readable image") from error
        return flat.transpose(_UPRIGHT[orientation]) if orientation in _UPRIGHT else flat

    def _check_webp_canvas(self, data: bytes) -> None:
        size = budget.webp_size(data)
        if size is not None and not budget.affordable(
            budget.webp_cost(size, len(data)), self._memory
        ):
            raise UnacceptableImage("the image has too many pixels to process")

    def _check_cost(self, image: Image.Image, upload: int) -> None:
        if image.format == "JPEG":
            sampling = [(h, v) for _, h, v, _ in getattr(image, "layer", [])]
            cost = budget.jpeg_cost(
                image.size,
                _draft_size(image.size, _fit(image.size, LARGE)),
                bool(image.info.get("progressive") or image.info.get("progression")),
                sampling,
                upload,
            )
        elif image.format == "PNG":
            cost = budget.png_cost(image.size, image.mode, upload)
        else:
            cost = budget.webp_cost(image.size, upload)
        if not budget.affordable(cost, self._memory):
            raise UnacceptableImage("the image has too many pixels to process")

    def _encode(self, picture: Image.Image, box: tuple[int, int]) -> bytes:
        size = _fit(picture.size, box)
        variant = picture if size == picture.size else picture.resize(size, _LANCZOS)
        out = io.BytesIO()
        variant.save(out, "JPEG", quality=self._quality, optimize=True, progressive=True)
        return out.getvalue()


def _fit(size: tuple[int, int], box: tuple[int, int]) -> tuple[int, int]:
    """``size`` scaled down (never up) to fit ``box``, keeping its aspect."""
    scale = min(1.0, box[0] / size[0], box[1] / size[1])
    return max(1, math.ceil(size[0] * scale)), max(1, math.ceil(size[1] * scale))


def _draft_size(size: tuple[int, int], target: tuple[int, int]) -> tuple[int, int]:
    """What libjpeg decodes to for ``draft(target)``: the largest of 1/8, 1/4, 1/2, 1 that
    still covers ``target``, as Pillow picks it."""
    ratio = min(size[0] // target[0], size[1] // target[1])
    scale = next(s for s in (8, 4, 2, 1) if ratio >= s)
    return -(-size[0] // scale), -(-size[1] // scale)


def _shrink(image: Image.Image, box: tuple[int, int]) -> Image.Image:
    """A new image that fits ``box``, made from the decoded canvas with one smaller copy
    on the way at most."""
    target = _fit(image.size, box)
    if image.mode in _SAMPLED_MODES:
        # Indices and bilevel pixels cannot be averaged: sample them down to twice the
        # target, then average the colours.
        sampled = image.resize(_fit(image.size, (2 * box[0], 2 * box[1])), _NEAREST)
        image = sampled.convert("RGBA" if image.mode == "P" else "L")
    # Pillow first reduces by an integer factor (box averaging) down to 1.5 times the
    # target, then resamples: a copy of a ninth of the canvas for a 7000 px PNG.
    return image.resize(target, _LANCZOS, reducing_gap=budget.REDUCING_GAP)


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
