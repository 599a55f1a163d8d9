"""Image moderation in AWS: Rekognition DetectModerationLabels.

Rekognition takes JPEG or PNG of at most 5 MB as inline bytes, so the pipeline hands it
the ``large`` variant (a re-encoded JPEG of at most 1280 px), not the upload: that also
costs no S3 read. Every label at or above the confidence threshold rejects the
photo, unless it or a category above it is in ``tolerated_labels``: a marketplace with a
clothing category may well want to tolerate e.g. "Swimwear or Underwear".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from botocore.exceptions import ClientError

from ecobid_adapters.aws.failures import error_code, unavailable_when_transient

MAX_INLINE_BYTES = 5 * 1024 * 1024  # DetectModerationLabels' limit for Image.Bytes


class RekognitionModerator:
    """``Moderator`` backed by Rekognition DetectModerationLabels."""

    def __init__(
        self,
        client: Any,
        min_confidence: float = 80.0,
        tolerated_labels: Iterable[str] = (),
    ) -> None:
        self._rekognition = client
        self._min_confidence = min_confidence
        self._tolerated = frozenset(tolerated_labels)

    def is_acceptable(self, image: bytes) -> bool:
        if len(image) > MAX_INLINE_BYTES:
            raise ValueError("moderate the large variant: the image exceeds 5 MB")
        with unavailable_when_transient("image moderation"):
            try:
                response = self._rekognition.detect_moderation_labels(
                    Image={"Bytes": image}, MinConfidence=self._min_confidence
                )
            except ClientError as error:
                if error_code(error) in {"InvalidImageFormatException", "ImageTooLargeException"}:
                    raise ValueError("Rekognition cannot read this image") from error
                raise
        labels = response.get("ModerationLabels", [])
        parents = {label.get("Name"): label.get("ParentName") for label in labels}
        flagged = [
            label
            for label in labels
            if float(label.get("Confidence", 0.0)) >= self._min_confidence
            and not self._is_tolerated(label.get("Name"), parents)
        ]
        return not flagged

    def _is_tolerated(self, name: str | None, parents: dict[Any, Any]) -> bool:
        # Labels form a taxonomy up to three levels deep; tolerating a category
        # tolerates everything below it.
        for _ in range(4):
            if not name:
                return False
            if name in self._tolerated:
                return True
            name = parents.get(name)
        return False
