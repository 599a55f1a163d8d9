"""The local moderator: deterministic, so tests and app developers can get a rejection."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from ecobid_adapters.memory.moderation import FLAGGED_COLOUR, LocalModerator


def jpeg(colour: tuple[int, int, int], size: tuple[int, int] = (1280, 960)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG", quality=85)
    return out.getvalue()


@pytest.mark.parametrize("colour", [(20, 120, 40), (255, 0, 0), (250, 250, 250), (200, 0, 200)])
def test_ordinary_photos_are_acceptable(colour: tuple[int, int, int]) -> None:
    assert LocalModerator().is_acceptable(jpeg(colour))


def test_the_flag_colour_is_rejected_every_time() -> None:
    flagged = jpeg(FLAGGED_COLOUR)
    assert [LocalModerator().is_acceptable(flagged) for _ in range(3)] == [False] * 3


def test_a_small_flagged_patch_does_not_reject_a_photo() -> None:
    photo = Image.new("RGB", (400, 300), (30, 90, 160))
    photo.paste(Image.new("RGB", (40, 30), FLAGGED_COLOUR), (10, 10))
    out = io.BytesIO()
    photo.save(out, "JPEG")
    assert LocalModerator().is_acceptable(out.getvalue())
