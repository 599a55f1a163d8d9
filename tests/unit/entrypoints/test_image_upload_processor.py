"""ProcessImageUpload on the memory backend: at-least-once delivery, poison, the gone.

Events are the S3 shape (``object_created_event``), built from the stored object as S3
builds them; everything runs through the container's real adapters and the Pillow
pipeline.
"""

from __future__ import annotations

import logging
from typing import Any

import attrs
import boto3
import pytest
from botocore.stub import Stubber

from ecobid_adapters.aws.rekognition import RekognitionModerator
from ecobid_adapters.memory.moderation import FLAGGED_COLOUR
from ecobid_core.errors import Unavailable
from ecobid_core.model.item import ImageStatus, Item
from ecobid_core.model.values import Location
from ecobid_core.services.images import ImagePorts, request_upload
from ecobid_core.services.items import CreateItem, create_item
from ecobid_entrypoints.container import Container, build_container
from ecobid_entrypoints.processors.image_upload import (
    RetryLater,
    object_created_event,
    process_image_upload,
)
from tests.support.uploads import jpeg_bytes

BUCKET = "ecobid-test-images"


@pytest.fixture
def container() -> Container:
    return build_container("memory")


def new_item(container: Container, owner: str = "owner-1") -> Item:
    cmd = CreateItem(
        owner_id=owner,
        title="Lamp",
        description="",
        category="furniture",
        location=Location.of(10.0, 10.0),
    )
    return create_item(cmd, container.unit_of_work(), container.clock(), container.ids())


def uploaded(container: Container, item: Item, data: bytes) -> dict[str, Any]:
    """Grant an upload, store ``data`` through it, and return S3's event for it."""
    grant = request_upload(
        item.id,
        item.owner_id,
        "image/jpeg",
        container.unit_of_work(),
        container.clock(),
        container.ids(),
        container.image_store(),
    )
    key = container.image_store().accept_upload(grant.upload.fields, data)
    return object_created_event(BUCKET, key, len(data), etag="0" * 32)


def key_of(event: dict[str, Any]) -> list[str]:
    return str(event["Records"][0]["s3"]["object"]["key"]).split("/")


def item_now(container: Container, item_id: str) -> Item | None:
    with container.unit_of_work() as uow:
        return uow.items.get(item_id)


def notifications(container: Container, user_id: str) -> list[str]:
    return [n.type for n in container.notify().inbox.page(user_id, 50, None).entries]


def test_an_event_delivered_twice_leaves_one_state_and_one_notification(
    container: Container,
) -> None:
    item = new_item(container)
    event = uploaded(container, item, jpeg_bytes((640, 480), "#FF00FF"))
    ports = container.image_ports()
    assert FLAGGED_COLOUR == (255, 0, 255)

    assert process_image_upload(event, ports) == {"rejected": 1}
    after_first = item_now(container, item.id)
    assert process_image_upload(event, ports) == {"already_done": 1}
    assert item_now(container, item.id) == after_first
    assert after_first is not None
    assert [image.status for image in after_first.images] == [ImageStatus.REJECTED]
    assert notifications(container, item.owner_id) == ["image_rejected"]


def test_a_ready_image_is_not_processed_again(container: Container) -> None:
    item = new_item(container)
    event = uploaded(container, item, jpeg_bytes((640, 480)))
    ports = container.image_ports()
    assert process_image_upload(event, ports) == {"ready": 1}
    ready = item_now(container, item.id)
    counting = CountingProcessor(ports)
    assert process_image_upload(event, counting.ports) == {"already_done": 1}
    assert counting.calls == 0
    assert item_now(container, item.id) == ready


def test_poison_and_vanished_records_are_dropped_and_logged_and_the_rest_processed(
    container: Container, caplog: pytest.LogCaptureFixture
) -> None:
    kept, deleted = new_item(container), new_item(container)
    good = uploaded(container, kept, jpeg_bytes((640, 480)))["Records"][0]
    orphan = uploaded(container, deleted, jpeg_bytes((640, 480)))["Records"][0]
    container.memory_store().forget("items", deleted.id)  # its item is gone
    unknown_image = object_created_event(BUCKET, f"items/{kept.id}/img-x/original", 1, "e")
    never_uploaded = uploaded(container, kept, b"x")  # then deleted: S3 has no such object
    container.image_store().delete_original(kept.id, key_of(never_uploaded)[2])
    poison: list[Any] = [
        {"eventSource": "aws:s3", "eventName": "ObjectCreated:Put"},  # no s3 part
        {**good, "eventSource": "aws:sqs"},
        {**good, "eventName": "ObjectRemoved:Delete"},
        "not even a record",
        object_created_event(BUCKET, "items/../x/original", 1, "e")["Records"][0],
    ]
    batch = {
        "Records": [
            *poison,
            orphan,
            unknown_image["Records"][0],
            never_uploaded["Records"][0],
            good,
        ]
    }

    with caplog.at_level(logging.INFO, logger="ecobid.images"):
        tally = process_image_upload(batch, container.image_ports())

    assert tally == {"dropped": len(poison), "gone": 3, "ready": 1}
    stored = item_now(container, kept.id)
    assert stored is not None
    assert [image.status for image in stored.images] == [ImageStatus.READY, ImageStatus.PENDING]
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == len(poison)
    gone = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any(deleted.id in message for message in gone)
    # The orphan's bytes are not kept for an item that no longer exists.
    with pytest.raises(KeyError):
        container.image_store().read_original(deleted.id, key_of({"Records": [orphan]})[2])


def test_a_failure_a_retry_may_mend_fails_the_invocation_after_the_rest(
    container: Container, caplog: pytest.LogCaptureFixture
) -> None:
    first, second = new_item(container), new_item(container)
    events = [uploaded(container, item, jpeg_bytes((64, 48))) for item in (first, second)]
    ports = container.image_ports()
    flaky = FlakyStore(ports, fail_item=first.id)
    batch = {"Records": [events[0]["Records"][0], events[1]["Records"][0]]}

    with caplog.at_level(logging.ERROR, logger="ecobid.images"), pytest.raises(RetryLater):
        process_image_upload(batch, flaky.ports)
    assert any(r.exc_info for r in caplog.records), "the traceback is logged"
    statuses = {
        item.id: [i.status for i in item_now(container, item.id).images]  # type: ignore[union-attr]
        for item in (first, second)
    }
    assert statuses == {first.id: [ImageStatus.PENDING], second.id: [ImageStatus.READY]}
    # Lambda's retry, with the store back: the first is done, the second skipped.
    assert process_image_upload(batch, ports) == {"ready": 1, "already_done": 1}


def test_an_event_without_records_is_dropped(container: Container) -> None:
    assert process_image_upload({"Records": "nope"}, container.image_ports()) == {"dropped": 1}


class CountingProcessor:
    def __init__(self, ports: ImagePorts) -> None:
        self.calls = 0
        self._inner = ports.processor
        self.ports = attrs.evolve(ports, processor=self)

    def variants(self, original: bytes) -> Any:
        self.calls += 1
        return self._inner.variants(original)


class FlakyStore:
    """The image store, throttled for one item's reads."""

    def __init__(self, ports: ImagePorts, fail_item: str) -> None:
        self._inner, self._fail_item = ports.store, fail_item
        self.ports = attrs.evolve(ports, store=self)

    def read_original(self, item_id: str, image_id: str) -> bytes:
        if item_id == self._fail_item:
            raise Unavailable("the image store stayed throttled")
        return self._inner.read_original(item_id, image_id)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def test_rekognition_decides_through_the_moderator_port(container: Container) -> None:
    # moto has no DetectModerationLabels: botocore's Stubber answers as AWS documents.
    client = boto3.client(
        "rekognition",
        region_name="eu-central-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # never sent: the Stubber answers
    )
    explicit = {"Name": "Explicit Nudity", "ParentName": "", "Confidence": 99.1}
    item = new_item(container)
    events = [uploaded(container, item, jpeg_bytes((640, 480))) for _ in range(2)]
    ports = attrs.evolve(container.image_ports(), moderator=RekognitionModerator(client))
    with Stubber(client) as stubber:
        stubber.add_response("detect_moderation_labels", {"ModerationLabels": []})
        stubber.add_response("detect_moderation_labels", {"ModerationLabels": [explicit]})
        assert process_image_upload(events[0], ports) == {"ready": 1}
        assert process_image_upload(events[1], ports) == {"rejected": 1}
        stubber.assert_no_pending_responses()
    stored = item_now(container, item.id)
    assert stored is not None
    assert [image.status for image in stored.images] == [ImageStatus.READY, ImageStatus.REJECTED]
