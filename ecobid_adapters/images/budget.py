"""How much memory decoding a photo takes, judged from its header before any pixel.

The image function runs at 128 MB, and an upload is untrusted: a 160 KB PNG can declare a
7000 x 7000 canvas that decodes to 196 MB. So every format's limit follows from what
fits: what the function holds anyway (``RESERVED``), the upload's bytes, and the decode's
own cost, which differs by format:

- JPEG is decoded at a reduced scale (``draft``), so a baseline photo costs little at
  any size. A progressive one cannot be: libjpeg keeps every DCT coefficient of the full
  image (two bytes per sample) until the last scan.
- PNG has no reduced decode: the full canvas is held, at Pillow's bytes per pixel for its
  mode (four for RGB, which Pillow stores as RGBX), plus the reduced copy made from it.
- WebP goes through libwebp's animation decoder: two RGBA canvases inside it, the frame
  copied out as bytes, and Pillow's image of it: sixteen bytes per pixel (measured), and
  the plugin reads a second copy of the file.

The figures were measured with ``benchmarks/photos.py`` and hold with headroom.
"""

from __future__ import annotations

import struct

MiB = 1024 * 1024
FUNCTION_MEMORY = 128 * MiB
#: What the function holds before it reads a photo: Python, boto3 with its S3 and
#: DynamoDB clients, dependency-injector, Pillow and our code: 71 MiB measured in a fresh
#: process (``benchmarks/photo_child.py``), and the Lambda runtime's own few MiB.
RESERVED = 76 * MiB

# Pillow's bytes per pixel, doubled for alpha: resampling premultiplies it in a copy.
_BYTES_PER_PIXEL = {"1": 1, "L": 1, "P": 1, "I;16": 2, "LA": 8, "PA": 8, "RGBA": 8}
_WEBP_BYTES_PER_PIXEL = 16
#: Shrinking first averages boxes of an integer size down to this many times the target,
#: then resamples: the one copy made from the full canvas is small.
REDUCING_GAP = 1.5
LARGE_BOX = (1280, 1280)
#: What the variants take once the canvas is gone: the large picture resized, flattened
#: and rotated (two of them alive at once), and the encoders' buffers.
WORKING_SET = 2 * 1280 * 1280 * 4 + 2 * MiB


def affordable(cost: int, budget: int = FUNCTION_MEMORY) -> bool:
    return RESERVED + cost <= budget


def jpeg_cost(
    size: tuple[int, int],
    decoded: tuple[int, int],
    progressive: bool,
    sampling: list[tuple[int, int]],
    upload: int,
) -> int:
    """``decoded`` is the size ``draft`` will decode to; ``sampling`` each component's
    (horizontal, vertical) factors."""
    width, height = size
    cost = upload + WORKING_SET + decoded[0] * decoded[1] * 4
    if progressive and sampling:
        widest = max(h for h, _ in sampling) * max(v for _, v in sampling)
        samples_per_pixel = sum(h * v for h, v in sampling) / widest
        cost += int(width * height * samples_per_pixel * 2)
    return cost


def png_cost(size: tuple[int, int], mode: str, upload: int) -> int:
    canvas = size[0] * size[1] * _BYTES_PER_PIXEL.get(mode, 4)
    return upload + WORKING_SET + int(canvas * (1 + _shrink_copy(size)))


def _shrink_copy(size: tuple[int, int]) -> float:
    """The first copy shrinking makes, as a share of the canvas: the box-reduced image,
    or without one, the resampler's first pass (target width by full height)."""
    ratio = max(1.0, min(size[0] / LARGE_BOX[0], size[1] / LARGE_BOX[1]))
    factor = int(ratio / REDUCING_GAP)
    return 1 / factor**2 if factor >= 2 else 1 / ratio


def webp_cost(size: tuple[int, int], upload: int) -> int:
    return 2 * upload + WORKING_SET + size[0] * size[1] * _WEBP_BYTES_PER_PIXEL


def webp_size(data: bytes) -> tuple[int, int] | None:
    """The canvas a WebP file declares, read from its first chunk; None if unreadable.

    Needed before Pillow opens the file: its WebP plugin allocates the canvas at open.
    """
    if len(data) < 30 or data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        return None
    chunk = data[12:16]
    if chunk == b"VP8X":  # extended: 24-bit canvas width and height, minus one
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return width, height
    if chunk == b"VP8L":  # lossless: 14-bit width and height, minus one, after 0x2f
        bits = struct.unpack("<I", data[21:25])[0]
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8 ":  # lossy: 14-bit width and height after the frame's start code
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    return None
