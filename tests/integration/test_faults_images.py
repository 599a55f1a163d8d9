"""An uploaded object gone (deleted, or the read says so) before its ``ObjectCreated``
event is processed: no crash, no retry, logged, and the item left as it was.

On both backends: S3 on moto (the object really deleted, or a ``NoSuchKey`` injected into
the store's own client) and the memory image store.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest

from ecobid_adapters.images.keys import image_key
from ecobid_core.model.item import Item
from ecobid_core.model.values import Location
from ecobid_core.services.images import request_upload
from ecobid_core.services.items import CreateItem, create_item
from ecobid_entrypoints.container import Container, build_container
from ecobid_entrypoints.local.moto_backend import moto_container, provision_moto
from ecobid_entrypoints.processors.image_upload import (
    RetryLater,
    object_created_event,
    process_image_upload,
)
from tests.support.faults import faults, recorded_backoff
from tests.support.uploads import jpeg_bytes


@pytest.fixture(scope="module", params=["memory", "moto"])
def container(request: pytest.FixtureRequest) -> Iterator[Container]:
    if request.param == "memory":
        yield build_container("memory")
    else:
        endpoint = request.getfixturevalue("moto_endpoint")
        yield moto_container(provision_moto(endpoint, env="faults-img"))


@pytest.fixture(scope="module")
def on_moto(moto_endpoint: str) -> Container:
    """For faults of S3's own (its answers, its outages): the memory store has neither."""
    return moto_container(provision_moto(moto_endpoint, env="faults-img-s3"))


def is_moto(container: Container) -> bool:
    return container.config.backend() == "aws"


def upload(container: Container) -> tuple[Item, str, dict[str, Any], dict[str, str]]:
    """An item with a pending photo whose bytes are stored; S3's event for them, and the
    upload's form fields (to send other bytes under the same grant)."""
    cmd = CreateItem(
        owner_id="owner-1",
        title="Lamp",
        description="",
        category="furniture",
        location=Location.of(10.0, 10.0),
    )
    item = create_item(cmd, container.unit_of_work(), container.clock(), container.ids())
    grant = request_upload(
        item.id,
        item.owner_id,
        "image/jpeg",
        container.unit_of_work(),
        container.clock(),
        container.ids(),
        container.image_store(),
    )
    data = jpeg_bytes((64, 48))
    key = store_original(container, grant.upload.fields, item.id, grant.image_id, data)
    with container.unit_of_work() as uow:
        stored = uow.items.get(item.id)
    assert stored is not None
    event = object_created_event("bucket", key, len(data), "0" * 32)
    return stored, grant.image_id, event, dict(grant.upload.fields)


def store_original(
    container: Container, fields: dict[str, str], item_id: str, image_id: str, data: bytes
) -> str:
    """Put ``data`` where the phone's upload puts it, as that upload would."""
    if not is_moto(container):
        return str(container.image_store().accept_upload(fields, data))
    key = image_key(item_id, image_id)
    bucket = container.aws_settings().bucket
    container.aws_clients().s3.put_object(Bucket=bucket, Key=key, Body=data)
    return key


def item_now(container: Container, item_id: str) -> Item | None:
    with container.unit_of_work() as uow:
        return uow.items.get(item_id)


def test_an_object_deleted_before_its_event_is_dropped_and_logged(
    container: Container, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A tool run earlier in the session may have configured logging with
    # ``disable_existing_loggers``; this test is about what the processor logs.
    monkeypatch.setattr(logging.getLogger("ecobid.images"), "disabled", False)
    item, image_id, event, _ = upload(container)
    container.image_store().delete_original(item.id, image_id)
    with caplog.at_level(logging.INFO, logger="ecobid.images"):
        # No exception: Lambda would retry a raised invocation, and no retry brings it back.
        assert process_image_upload(event, container.image_ports()) == {"gone": 1}
    assert item_now(container, item.id) == item  # same photos, statuses and version
    assert any(r.levelno == logging.WARNING and image_id in r.getMessage() for r in caplog.records)


def test_a_read_answering_no_such_key_is_gone_after_one_call(on_moto: Container) -> None:
    container = on_moto
    item, _, event, _ = upload(container)
    with faults(container.aws_clients().s3) as injected:
        injected.fail("GetObject", "NoSuchKey", 404)
        assert process_image_upload(event, container.image_ports()) == {"gone": 1}
    assert injected.sent["GetObject"] == 1, "a missing object is not retried"
    assert item_now(container, item.id) == item


def test_an_overwritten_object_is_processed_once_whatever_the_events(
    container: Container,
) -> None:
    item, image_id, event, fields = upload(container)
    ports = container.image_ports()
    assert process_image_upload(event, ports) == {"ready": 1}
    processed = item_now(container, item.id)
    # The key is written again (not even a photo now) and its event comes: the outcome
    # recorded first stands, nothing is read or changed.
    store_original(container, fields, item.id, image_id, b"not a photo")
    assert process_image_upload(event, ports) == {"already_done": 1}
    assert item_now(container, item.id) == processed


def test_a_store_that_stays_down_fails_the_invocation_for_lambda_to_retry(
    on_moto: Container,
) -> None:
    container = on_moto
    item, _, event, _ = upload(container)
    with recorded_backoff() as pauses, faults(container.aws_clients().s3) as injected:
        injected.fail("GetObject", "SlowDown", 503)
        with pytest.raises(RetryLater):
            process_image_upload(event, container.image_ports())
    assert injected.sent["GetObject"] == len(pauses) + 1 == 4  # botocore's retries, bounded
    assert item_now(container, item.id) == item
