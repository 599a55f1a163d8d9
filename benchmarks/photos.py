"""Photos: the pipeline against naive Pillow, wall time and peak RSS, each in a new process.

The naive baseline is what one writes first: open, ``exif_transpose``, convert, a resized
copy per variant, save. Both run on the same generated files in the same run, in fresh
interpreters that first load what the image function holds (boto3, an S3 client), so
the peak is comparable with the function's 128 MB. ``python -m benchmarks.photos``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from benchmarks.photo_corpus import in_fresh_process, write_corpus

CASES = {
    "jpeg-12mp-exif": "12 MP JPEG (4000x3000, EXIF orientation 6, GPS)",
    "jpeg-24mp": "24 MP JPEG (6000x4000)",
    "png-5000x5000-gray": "5000x5000 greyscale PNG (25 MP)",
}
LAMBDA_MIB = 128


def measure() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as folder:
        paths = write_corpus(Path(folder), list(CASES))
        for name, label in CASES.items():
            ours = in_fresh_process("pipeline", paths[name])
            naive = in_fresh_process("naive", paths[name])
            within = "within" if ours["peakMiB"] < LAMBDA_MIB else "OVER"
            rows.append(
                _row(
                    f"{label}: peak RSS",
                    ours["peakMiB"],
                    "MiB",
                    naive["peakMiB"],
                    f"{within} the function's {LAMBDA_MIB} MB; baseline = naive Pillow",
                )
            )
            rows.append(
                _row(
                    f"{label}: wall time",
                    ours["seconds"],
                    "s",
                    naive["seconds"],
                    "decode to both JPEG variants; baseline = naive Pillow",
                )
            )
    return rows


def _row(case: str, figure: float, unit: str, baseline: float, note: str) -> dict[str, Any]:
    return {
        "section": "photos",
        "case": case,
        "figure": float(figure),
        "unit": unit,
        "baseline": float(baseline),
        "note": note,
    }


if __name__ == "__main__":
    for row in measure():
        print(
            f"{row['case']:<60} {row['figure']:>8.2f} {row['unit']:<4}"
            f" (naive {row['baseline']:.2f})  {row['note']}"
        )
