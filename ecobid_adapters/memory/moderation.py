"""The local moderator: Rekognition's stand-in on the memory backend and in tests.

It flags one thing on purpose, so that the rejection path can be exercised offline and
deterministically: a photo that is almost entirely magenta (#FF00FF), a colour no
ordinary photo is made of. Everything else is acceptable. It decodes only the ``large``
variant (at most 1280 px, and reduced further on decode), so it costs little memory.
"""

from __future__ import annotations

import io

from PIL import Image, ImageStat

FLAGGED_COLOUR = (255, 0, 255)
#: How far (per channel, on average) a photo may be from the flag colour and still be it.
_TOLERANCE = 24


class LocalModerator:
    """``Moderator`` that refuses the flag colour and accepts every other image."""

    def is_acceptable(self, image: bytes) -> bool:
        with Image.open(io.BytesIO(image)) as picture:
            picture.draft("RGB", (64, 64))
            mean = ImageStat.Stat(picture.convert("RGB")).mean
        distance = sum(abs(m - f) for m, f in zip(mean, FLAGGED_COLOUR, strict=True)) / 3
        return distance > _TOLERANCE
