"""One photo, processed in this (fresh) process: ``python -m benchmarks.photo_child
pipeline|naive PATH`` prints ``{"peakMiB", "seconds", "accepted"}`` as JSON.

Before the photo, the process loads what the image function holds anyway (boto3 with
its S3 and DynamoDB clients, dependency-injector, our adapters), so the peak is the
function's, not a bare interpreter's.
"""

from __future__ import annotations

import io
import json
import resource
import sys
import time
from pathlib import Path


def naive(data: bytes) -> dict[str, bytes]:
    """What one writes first: open, rotate, convert, a resized copy per variant."""
    from PIL import Image, ImageOps

    image = ImageOps.exif_transpose(Image.open(io.BytesIO(data))).convert("RGB")
    out = {}
    for name, box in {"large": (1280, 1280), "thumb": (320, 320)}.items():
        variant = image.copy()
        variant.thumbnail(box)
        buffer = io.BytesIO()
        variant.save(buffer, "JPEG", quality=85)
        out[name] = buffer.getvalue()
    return out


def pipeline(data: bytes) -> dict[str, bytes]:
    from ecobid_adapters.images.pipeline import PillowImageProcessor

    return PillowImageProcessor().variants(data)


def load_the_function() -> None:
    """Import and make what the image function has by the time it decodes a photo."""
    import importlib

    import boto3

    for module in (
        "dependency_injector.containers",
        "ecobid_adapters.aws.dynamodb",
        "ecobid_adapters.aws.s3_images",
        "ecobid_entrypoints.processors.image_upload",
    ):
        importlib.import_module(module)
    session = boto3.session.Session(
        region_name="eu-central-1",
        aws_access_key_id="unused",
        aws_secret_access_key="unused",  # noqa: S106 - never sent
    )
    session.client("s3")
    session.client("dynamodb")


def main(how: str, path: str) -> None:
    load_the_function()
    process = {"pipeline": pipeline, "naive": naive}[how]
    data = Path(path).read_bytes()
    started = time.perf_counter()
    try:
        accepted = bool(process(data))
    except ValueError:
        accepted = False
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(
        json.dumps({"peakMiB": round(peak, 1), "seconds": round(seconds, 3), "accepted": accepted})
    )


if __name__ == "__main__":
    main(*sys.argv[1:3])
