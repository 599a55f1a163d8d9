"""Moderation on Rekognition's answers (moto has no DetectModerationLabels).

botocore's Stubber answers instead of AWS and checks every request against the service
model, so a misspelt parameter fails here rather than in production.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from ecobid_adapters.aws.rekognition import RekognitionModerator
from ecobid_core.errors import Unavailable

PHOTO = b"\xff\xd8\xff\xe0 a small jpeg"


@pytest.fixture
def rekognition() -> Iterator[tuple[Any, Stubber]]:
    client = boto3.client(
        "rekognition",
        region_name="eu-central-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # never sent: the Stubber answers
    )
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def label(name: str, confidence: float, parent: str = "") -> dict[str, Any]:
    return {"Name": name, "ParentName": parent, "Confidence": confidence}


def answer(stubber: Stubber, labels: list[dict[str, Any]], min_confidence: float = 80.0) -> None:
    stubber.add_response(
        "detect_moderation_labels",
        {"ModerationLabels": labels},
        {"Image": {"Bytes": PHOTO}, "MinConfidence": min_confidence},
    )


def test_an_image_without_labels_is_acceptable(rekognition: tuple[Any, Stubber]) -> None:
    client, stubber = rekognition
    answer(stubber, [])
    assert RekognitionModerator(client).is_acceptable(PHOTO)


def test_a_confident_label_rejects_the_image(rekognition: tuple[Any, Stubber]) -> None:
    client, stubber = rekognition
    answer(stubber, [label("Violence", 97.0), label("Weapons", 96.0, "Violence")])
    assert not RekognitionModerator(client).is_acceptable(PHOTO)


def test_the_threshold_is_passed_on_and_applied(rekognition: tuple[Any, Stubber]) -> None:
    client, stubber = rekognition
    answer(stubber, [label("Alcohol", 61.0)], min_confidence=90.0)
    assert RekognitionModerator(client, min_confidence=90.0).is_acceptable(PHOTO)


def test_a_tolerated_category_tolerates_everything_below_it(
    rekognition: tuple[Any, Stubber],
) -> None:
    client, stubber = rekognition
    labels = [
        label("Swimwear or Underwear", 95.0),
        label("Female Swimwear or Underwear", 94.0, "Swimwear or Underwear"),
        label("Bikini", 93.0, "Female Swimwear or Underwear"),
    ]
    answer(stubber, labels)
    answer(stubber, [*labels, label("Explicit", 90.0)])
    moderator = RekognitionModerator(client, tolerated_labels=["Swimwear or Underwear"])
    assert moderator.is_acceptable(PHOTO)
    assert not moderator.is_acceptable(PHOTO)


def test_throttling_that_outlasts_retries_is_unavailable(
    rekognition: tuple[Any, Stubber],
) -> None:
    client, stubber = rekognition
    stubber.add_client_error(
        "detect_moderation_labels", "ProvisionedThroughputExceededException", http_status_code=400
    )
    with pytest.raises(Unavailable):
        RekognitionModerator(client).is_acceptable(PHOTO)


def test_an_image_rekognition_cannot_read_is_a_value_error(
    rekognition: tuple[Any, Stubber],
) -> None:
    client, stubber = rekognition
    stubber.add_client_error("detect_moderation_labels", "InvalidImageFormatException")
    with pytest.raises(ValueError, match="cannot read"):
        RekognitionModerator(client).is_acceptable(PHOTO)


def test_more_than_five_megabytes_is_not_sent(rekognition: tuple[Any, Stubber]) -> None:
    client, _ = rekognition
    with pytest.raises(ValueError, match="large variant"):
        RekognitionModerator(client).is_acceptable(b"\0" * (5 * 1024 * 1024 + 1))
