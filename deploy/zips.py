"""Deterministic zip files: the same inputs give the same bytes, so Terraform sees no
change (and uploads nothing) when nothing changed."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path

_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry

#: Never shipped to Lambda: tests, caches, compiled bytecode of this machine, C sources.
_SKIPPED_DIRS = {"__pycache__", "tests", ".pytest_cache", ".mypy_cache"}
_SKIPPED_SUFFIXES = {".pyc", ".pyo", ".c", ".h", ".pyx", ".pxd", ".pyi"}


def shipped(path: Path) -> bool:
    return not (_SKIPPED_DIRS & set(path.parts) or path.suffix in _SKIPPED_SUFFIXES)


def files_under(root: Path) -> list[Path]:
    """The shipped files below ``root``, relative to it, sorted."""
    return sorted(
        path.relative_to(root)
        for path in root.rglob("*")
        if path.is_file() and shipped(path.relative_to(root))
    )


def write_zip(target: Path, entries: Iterable[tuple[str, Path]]) -> Path:
    """Write ``(name in zip, file on disk)`` pairs, sorted by name, with fixed times and
    modes; executables keep their bit (a shared library needs none, a script might)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, source in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            executable = source.stat().st_mode & 0o111
            info.external_attr = (0o100755 if executable else 0o100644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # unix, so the mode bits above are read
            archive.writestr(info, source.read_bytes(), compresslevel=9)
    return target
