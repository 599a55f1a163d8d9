"""A fixed corpus of photos, and peak memory of processing one in a fresh process.

The corpus is generated, not stored: photo-like pixels (gradients and smooth noise, so
JPEGs come out at phone-like sizes), the worst cases the issue names (a 24 MP JPEG, a
7000 x 7000 PNG that compresses to almost nothing) and the canvases around each format's
limit. Each measurement runs ``benchmarks.photo_child`` in a new interpreter, because peak
RSS only ever grows within a process.
"""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PIL import Image

ORIENTATION, ROTATE_CW, GPS_INFO = 0x0112, 6, 0x8825


def photo(width: int, height: int) -> Image.Image:
    noise = Image.effect_noise((width // 4, height // 4), 60)
    noise = noise.resize((width, height), Image.Resampling.BILINEAR)
    gradient = Image.linear_gradient("L").resize((width, height))
    mirrored = gradient.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    return Image.merge("RGB", [gradient, noise, mirrored])


def phone_exif() -> Image.Exif:
    """What a phone writes: where the photo was taken, and that it was held upright."""
    exif = Image.Exif()
    exif[ORIENTATION] = ROTATE_CW
    exif[0x010F] = "PhoneMaker"
    exif[GPS_INFO] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)}
    return exif


def encode(image: Image.Image, fmt: str, **params: Any) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **params)
    return out.getvalue()


def blank_png(width: int, height: int, mode: str = "1") -> bytes:
    """A PNG of ``mode`` 1, L or RGB declaring ``width`` x ``height`` (a multiple of 100),
    all black: a few hundred KB at most that decode to a huge canvas.

    Written chunk by chunk, so making it never holds the canvas it declares.
    """

    def chunk(kind: bytes, payload: bytes) -> bytes:
        crc = zlib.crc32(kind + payload) & 0xFFFFFFFF
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)

    depth, colour_type, row_bytes = {
        "1": (1, 0, (width + 7) // 8),
        "L": (8, 0, width),
        "RGB": (8, 2, 3 * width),
    }[mode]
    header = struct.pack(">IIBBBBB", width, height, depth, colour_type, 0, 0, 0)
    packer = zlib.compressobj(6)
    rows = bytes(1 + row_bytes) * 100  # each: filter byte 0, then the row's samples
    idat = b"".join(packer.compress(rows) for _ in range(height // 100)) + packer.flush()
    signature = b"\x89PNG\r\n\x1a\n"
    return signature + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


#: name -> (how to make it, whether the pipeline must accept it)
CORPUS: dict[str, tuple[Callable[[], bytes], bool]] = {
    "jpeg-12mp-exif": (
        lambda: encode(photo(4000, 3000), "JPEG", quality=90, exif=phone_exif()),
        True,
    ),
    "jpeg-24mp": (lambda: encode(photo(6000, 4000), "JPEG", quality=88), True),
    # Refused from their headers alone, so their pixels need not look like a photo.
    "jpeg-24mp-progressive": (
        lambda: encode(Image.new("RGB", (6000, 4000), "olive"), "JPEG", progressive=True),
        False,
    ),
    "png-5000x5000-gray": (lambda: blank_png(5000, 5000, "L"), True),
    "png-7000x7000-gray": (lambda: blank_png(7000, 7000, "L"), False),
    "png-7000x7000-rgb": (lambda: blank_png(7000, 7000, "RGB"), False),
    "webp-2mp": (lambda: encode(photo(1600, 1200), "WEBP", quality=85, method=0), True),
    "webp-12mp": (lambda: encode(Image.new("RGB", (4000, 3000), "olive"), "WEBP", method=0), False),
}


def write_corpus(folder: Path, names: list[str] | None = None) -> dict[str, Path]:
    paths = {}
    for name in names or list(CORPUS):
        path = folder / name
        if not path.exists():
            path.write_bytes(CORPUS[name][0]())
        paths[name] = path
    return paths


_LAUNCHER = "import subprocess, sys; sys.exit(subprocess.run(sys.argv[1:]).returncode)"


def in_fresh_process(how: str, path: Path) -> dict[str, Any]:
    """``{"peakMiB", "seconds", "accepted"}`` of ``how`` (pipeline or naive) on ``path``."""
    # Through a small launcher: Linux carries a process's peak RSS over into the program
    # it execs, so a child started straight from a big process (pytest) would report the
    # parent's peak. The launcher's child starts from the launcher's few MB instead.
    child = [sys.executable, "-m", "benchmarks.photo_child", how, str(path)]
    done = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-c", _LAUNCHER, *child],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result
