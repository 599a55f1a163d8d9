"""Photos of an item: an upload is granted, then processed; both only through ports.

The API grants an upload and nothing more: the image is on the item as ``pending`` at
once, and the phone sends the bytes straight to the image store. When the store reports
the new object, ``process_upload`` turns it into variants, asks the moderator and records
the outcome with a conditional write. That report comes at least once, so every step may
run twice: an image that is no longer pending is never processed again, and the outcome
(with its one ``ImageProcessed`` event) is recorded once.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from attrs import frozen

from ecobid_core.model.item import ImageStatus
from ecobid_core.model.uploads import MAX_UPLOAD_BYTES
from ecobid_core.model.values import LISTED_STATUSES
from ecobid_core.ports import (
    Clock,
    IdGenerator,
    ImageProcessor,
    ImageStore,
    Moderator,
    UnitOfWork,
    UnitOfWorkFactory,
)
from ecobid_core.ports.services import PresignedUpload
from ecobid_core.services.items import load_visible
from ecobid_core.services.retry import with_retries


@frozen
class UploadGrant:
    image_id: str
    upload: PresignedUpload


class Outcome(StrEnum):
    READY = "ready"
    REJECTED = "rejected"
    ALREADY_DONE = "already_done"  # a redelivery: the outcome was recorded before
    GONE = "gone"  # the item, the image or the uploaded object is no longer there


@frozen(kw_only=True)
class ImagePorts:
    """What processing an upload needs; built once per process."""

    uow_factory: UnitOfWorkFactory
    clock: Clock
    store: ImageStore
    processor: ImageProcessor
    moderator: Moderator


def request_upload(
    item_id: str,
    user_id: str,
    content_type: str,
    uow: UnitOfWork,
    clock: Clock,
    ids: IdGenerator,
    store: ImageStore,
) -> UploadGrant:
    """Add a pending image to the owner's item and presign the upload of its bytes."""
    image_id = ids.new_id()
    with uow:
        item = load_visible(uow, item_id, user_id)
        item.add_image(user_id, image_id, content_type, clock.now())
        uow.items.update(item)
        uow.commit()
    # Presigned only once the image is on the item: no grant exists for an image that
    # the item does not know.
    upload = store.presign_upload(item_id, image_id, content_type, MAX_UPLOAD_BYTES)
    return UploadGrant(image_id, upload)


def process_upload(item_id: str, image_id: str, ports: ImagePorts) -> Outcome:
    """Variants, moderation and the recorded outcome of one uploaded original."""
    listed, status = _image_state(item_id, image_id, ports.uow_factory())
    if status is None or status is ImageStatus.REJECTED or not listed:
        # Nobody will ever show it: an orphan, a photo of an item that is gone, or a
        # rejection whose delete did not happen.
        ports.store.delete_original(item_id, image_id)
        return Outcome.ALREADY_DONE if status is ImageStatus.REJECTED else Outcome.GONE
    if status is ImageStatus.READY:
        return Outcome.ALREADY_DONE
    try:
        # Passed straight on, so the original is freed as soon as the variants exist.
        variants = _judge(ports.store.read_original(item_id, image_id), ports)
    except KeyError:
        return Outcome.GONE
    if variants is not None:
        for name, data in variants.items():
            ports.store.write_variant(item_id, image_id, name, data)
        # Before the record: if this fails, the redelivery finds the image pending again.
        ports.store.mark_listed(item_id, image_id)
    accepted = variants is not None
    recorded, still_listed = with_retries(
        lambda: record_processed(item_id, image_id, accepted, ports.uow_factory(), ports.clock)
    )
    if not accepted:
        # After the record: a redelivery that finds the image rejected deletes again.
        ports.store.delete_original(item_id, image_id)
    elif not still_listed:
        # The item went while this ran, perhaps after its photos were released: the
        # variants just written must go with the rest. (Once recorded on a listed item,
        # the photo is released with the item's others when it goes.)
        ports.store.release(item_id, image_id)
    if not recorded:
        return Outcome.ALREADY_DONE
    return Outcome.READY if accepted else Outcome.REJECTED


def record_processed(
    item_id: str, image_id: str, accepted: bool, uow: UnitOfWork, clock: Clock
) -> tuple[bool, bool]:
    """Mark the image ``ready`` or ``rejected``. Answers whether this recorded it (not if
    it is gone or already decided) and whether the item is still listed."""
    with uow:
        item = uow.items.get(item_id)
        if item is None:
            return False, False
        listed = item.status in LISTED_STATUSES
        status = ImageStatus.READY if accepted else ImageStatus.REJECTED
        if not item.image_processed(image_id, status, clock.now()):
            return False, listed
        uow.items.update(item)  # conditional on the version read: a race retries
        uow.commit()
    return True, listed


def _image_state(item_id: str, image_id: str, uow: UnitOfWork) -> tuple[bool, ImageStatus | None]:
    """Whether the item is still listed, and the image's status (None: no such image)."""
    with uow:
        item = uow.items.get(item_id)
    if item is None:
        return False, None
    status = next((image.status for image in item.images if image.id == image_id), None)
    return item.status in LISTED_STATUSES, status


def _judge(original: bytes, ports: ImagePorts) -> Mapping[str, bytes] | None:
    """The variants to show, or None when the photo must not be shown."""
    try:
        variants = ports.processor.variants(original)
        if ports.moderator.is_acceptable(variants["large"]):
            return variants
    except ValueError:
        pass  # not an image, a broken one, or one too big to process within budget
    return None
