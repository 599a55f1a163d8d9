"""Photos over HTTP: POST /items/{id}/images, the presigned POST, and what the item shows.

On the memory backend the local server is the bucket: it checks the signed policy, stores
the file and runs ProcessImageUpload itself. On the moto backend the form goes to moto's
S3 (a real presigned POST), and the test then delivers the ``ObjectCreated`` event built
from the stored object to the same function, as S3 would.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from benchmarks.photo_corpus import GPS_INFO, ORIENTATION, blank_png, encode, phone_exif
from ecobid_adapters.images.keys import GONE, LISTED, PENDING, PHOTO_TAG, VARIANTS, tagging_xml
from ecobid_adapters.memory.moderation import FLAGGED_COLOUR
from ecobid_core.model.item import MAX_IMAGES
from ecobid_entrypoints.processors.image_upload import object_created_event, process_image_upload
from tests.support.builders import free_item
from tests.support.client import Api, User
from tests.support.uploads import http_get, jpeg_bytes, post_form

pytestmark = pytest.mark.integration
MEMORY_ONLY = pytest.mark.parametrize("api", ["memory"], indirect=True)


@pytest.fixture(scope="module")
def sideways_phone_photo() -> bytes:
    """12 MP as the sensor saw it (landscape, left half red), to be shown rotated 90 degrees
    clockwise (EXIF orientation 6), with where it was taken in its EXIF."""
    stored = Image.new("RGB", (4000, 3000), (220, 30, 30))
    stored.paste((30, 30, 220), (2000, 0, 4000, 3000))
    return encode(stored, "JPEG", quality=90, exif=phone_exif())


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return blank_png(30000, 30000)


def deliver(api: Api, key: str) -> None:
    """What S3's event notification does on AWS; the local server did it already."""
    if api.backend == "memory":
        return
    container = api.container
    s3, bucket = container.aws_clients().s3, container.aws_settings().bucket
    stored = s3.head_object(Bucket=bucket, Key=key)
    event = object_created_event(bucket, key, stored["ContentLength"], stored["ETag"])
    process_image_upload(event, container.image_ports())


def new_item(user: User) -> str:
    reply = user.post("/items", free_item())
    assert reply.status == 201, reply.body
    return str(reply.body["id"])


def grant(user: User, item_id: str, content_type: str = "image/jpeg") -> dict[str, Any]:
    reply = user.post(f"/items/{item_id}/images", {"contentType": content_type})
    assert reply.status == 201, reply.body
    return dict(reply.body)


def upload(api: Api, user: User, item_id: str, data: bytes, content_type: str) -> dict[str, Any]:
    """Upload through the presigned POST; the image as the item then shows it."""
    granted = grant(user, item_id, content_type)
    form = granted["upload"]
    assert post_form(form["url"], form["fields"], data) == 204
    deliver(api, form["fields"]["key"])
    return image_of(user, item_id, granted["imageId"])


def image_of(user: User, item_id: str, image_id: str) -> dict[str, Any]:
    images = user.get(f"/items/{item_id}").body["images"]
    return next(image for image in images if image["id"] == image_id)


def original_exists(api: Api, key: str) -> bool:
    store = api.container.image_store()
    item_id, image_id = key.split("/")[1:3]
    try:
        store.read_original(item_id, image_id)
    except KeyError:
        return False
    return True


def test_a_sideways_phone_photo_becomes_ready_upright_and_without_exif(
    api: Api, new_user, sideways_phone_photo: bytes
) -> None:
    owner = new_user("seller")
    item_id = new_item(owner)
    granted = grant(owner, item_id)
    assert image_of(owner, item_id, granted["imageId"]) == {
        "id": granted["imageId"],
        "status": "pending",
        "thumbUrl": None,
        "url": None,
    }
    form = granted["upload"]
    assert post_form(form["url"], form["fields"], sideways_phone_photo) == 204
    deliver(api, form["fields"]["key"])

    image = image_of(owner, item_id, granted["imageId"])
    assert image["status"] == "ready"
    large = Image.open(io.BytesIO(http_get(image["url"])))
    thumb = Image.open(io.BytesIO(http_get(image["thumbUrl"])))
    assert (large.format, large.size, thumb.size) == ("JPEG", (960, 1280), (240, 320))
    for variant in (large, thumb):
        width, height = variant.size
        # Rotated clockwise, the sensor's left half (red) is now on top.
        top, bottom = (
            variant.getpixel((width // 2, height // 4)),
            variant.getpixel((width // 2, 3 * height // 4)),
        )
        assert top[0] > 180 > top[2] and bottom[2] > 180 > bottom[0], (top, bottom)
        assert not variant.getexif() and "exif" not in variant.info
    assert GPS_INFO not in large.getexif() and ORIENTATION not in large.getexif()


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"plain text, sent as a JPEG", "image/jpeg"),
        (jpeg_bytes((640, 480))[:300], "image/jpeg"),
        (None, "image/png"),  # the 30000 x 30000 PNG bomb
        (jpeg_bytes((800, 600), "#FF00FF"), "image/jpeg"),  # refused by the moderator
    ],
    ids=["text", "truncated-jpeg", "png-bomb", "flagged"],
)
def test_what_cannot_or_must_not_be_shown_ends_rejected_and_its_original_deleted(
    api: Api, new_user, bomb: bytes, content: bytes | None, content_type: str
) -> None:
    assert FLAGGED_COLOUR == (255, 0, 255)
    owner = new_user("seller")
    item_id = new_item(owner)
    granted = grant(owner, item_id, content_type)
    form = granted["upload"]
    assert post_form(form["url"], form["fields"], content or bomb) == 204
    deliver(api, form["fields"]["key"])

    image = image_of(owner, item_id, granted["imageId"])
    assert image == {"id": granted["imageId"], "status": "rejected", "thumbUrl": None, "url": None}
    assert not original_exists(api, form["fields"]["key"])
    notes = owner.get(f"/users/{owner.id}/notifications").body["notifications"]
    assert [(n["type"], n["itemId"]) for n in notes] == [("image_rejected", item_id)]


def test_only_the_owner_adds_photos_of_the_three_types(api: Api, new_user) -> None:
    owner, other = new_user("seller"), new_user("other")
    item_id = new_item(owner)
    forbidden = other.post(f"/items/{item_id}/images", {"contentType": "image/jpeg"})
    assert (forbidden.status, forbidden.code) == (403, "forbidden")
    missing = owner.post("/items/no-such-item/images", {"contentType": "image/jpeg"})
    assert (missing.status, missing.code) == (404, "not_found")
    for body in ({"contentType": "image/gif"}, {}, {"contentType": "image/jpeg", "x": 1}):
        refused = owner.post(f"/items/{item_id}/images", body)
        assert (refused.status, refused.code) == (400, "validation_error"), body
    assert owner.get(f"/items/{item_id}").body["images"] == []


def test_an_item_takes_at_most_ten_photos(api: Api, new_user) -> None:
    owner = new_user("seller")
    item_id = new_item(owner)
    ids = [grant(owner, item_id, "image/webp")["imageId"] for _ in range(MAX_IMAGES)]
    before = owner.get(f"/items/{item_id}").body
    refused = owner.post(f"/items/{item_id}/images", {"contentType": "image/png"})
    assert (refused.status, refused.code) == (409, "too_many_images")
    after = owner.get(f"/items/{item_id}").body
    assert [image["id"] for image in after["images"]] == ids
    assert after["version"] == before["version"]


@MEMORY_ONLY
def test_the_local_bucket_refuses_what_s3_would(api: Api, new_user) -> None:
    # moto stores any presigned POST without checking its policy, so this runs where the
    # local server is the bucket; the policy S3 checks is asserted in the contract tests.
    owner = new_user("seller")
    item_id = new_item(owner)
    granted = grant(owner, item_id)
    form, fields = granted["upload"], granted["upload"]["fields"]
    photo = jpeg_bytes()
    refusals = {
        "forged signature": ({**fields, "x-amz-signature": "0" * 64}, photo, 403),
        "other content type": ({**fields, "Content-Type": "text/html"}, photo, 403),
        "other key": ({**fields, "key": f"items/{item_id}/other/original"}, photo, 403),
        "no policy": ({k: v for k, v in fields.items() if k != "policy"}, photo, 403),
        "over ten megabytes": (fields, b"\xff" * (10 * 1024 * 1024 + 1), 400),
        "empty": (fields, b"", 400),
    }
    for reason, (sent, data, status) in refusals.items():
        assert post_form(form["url"], sent, data) == status, reason
    assert not original_exists(api, fields["key"])
    assert image_of(owner, item_id, granted["imageId"])["status"] == "pending"


@MEMORY_ONLY
def test_local_image_urls_are_signed_and_short_lived(api: Api, new_user) -> None:
    owner = new_user("seller")
    item_id = new_item(owner)
    image = upload(api, owner, item_id, jpeg_bytes((640, 480)), "image/jpeg")
    assert image["status"] == "ready"
    assert http_get(image["thumbUrl"])[:2] == b"\xff\xd8"
    unsigned = image["thumbUrl"].split("?", 1)[0]
    for url in (unsigned, image["thumbUrl"].replace("signature=", "signature=0")):
        with pytest.raises(Exception, match="403"):
            http_get(url)
    api.advance(3601)
    with pytest.raises(Exception, match="403"):
        http_get(image["thumbUrl"])
    fresh = image_of(owner, item_id, image["id"])["thumbUrl"]
    assert http_get(fresh)[:2] == b"\xff\xd8"


def photo_tag(api: Api, key: str) -> str | None:
    """The lifecycle tag the bucket's rules read (terraform/modules/s3)."""
    store = api.container.image_store()
    if api.backend == "memory":
        return store.tag_of(key)  # type: ignore[no-any-return]
    s3, bucket = api.container.aws_clients().s3, api.container.aws_settings().bucket
    tags = s3.get_object_tagging(Bucket=bucket, Key=key)["TagSet"]
    return next((t["Value"] for t in tags if t["Key"] == PHOTO_TAG), None)


def test_a_photo_is_pending_until_accepted_listed_with_its_item_and_gone_after_it(
    api: Api, new_user
) -> None:
    owner = new_user("seller")
    item_id = new_item(owner)
    granted = grant(owner, item_id)
    form = granted["upload"]
    # The POST policy fixes the tag: an upload nobody accepts expires by the rules.
    assert form["fields"]["tagging"] == tagging_xml(PENDING)
    assert post_form(form["url"], form["fields"], jpeg_bytes((640, 480))) == 204
    key = form["fields"]["key"]
    deliver(api, key)
    assert image_of(owner, item_id, granted["imageId"])["status"] == "ready"
    keys = [key.replace("/original", f"/{variant}.jpg") for variant in VARIANTS] + [key]
    assert [photo_tag(api, k) for k in keys] == [LISTED] * 3

    assert owner.delete(f"/items/{item_id}").status == 204
    assert [photo_tag(api, k) for k in keys] == [GONE] * 3


def test_an_upload_for_an_item_already_gone_is_deleted(api: Api, new_user) -> None:
    owner = new_user("seller")
    item_id = new_item(owner)
    form = grant(owner, item_id)["upload"]
    assert owner.delete(f"/items/{item_id}").status == 204
    assert post_form(form["url"], form["fields"], jpeg_bytes((640, 480))) == 204
    deliver(api, form["fields"]["key"])
    assert not original_exists(api, form["fields"]["key"])


def test_the_photos_of_an_item_given_away_are_gone(api: Api, new_user) -> None:
    owner, taker = new_user("giver"), new_user("taker")
    item_id = new_item(owner)
    image = upload(api, owner, item_id, jpeg_bytes((640, 480)), "image/jpeg")
    assert image["status"] == "ready"
    key = f"items/{item_id}/{image['id']}/original"
    assert photo_tag(api, key) == LISTED
    hold = taker.post(f"/items/{item_id}/reserve")
    assert hold.status == 201, hold.body
    assert photo_tag(api, key) == LISTED  # reserved is still listed
    assert owner.post(f"/reservations/{hold.body['id']}/confirm").status == 200
    assert photo_tag(api, key) == GONE


def test_an_item_that_is_gone_takes_no_new_photo(api: Api, new_user) -> None:
    owner = new_user("seller")
    item_id = new_item(owner)
    assert owner.delete(f"/items/{item_id}").status == 204
    refused = owner.post(f"/items/{item_id}/images", {"contentType": "image/jpeg"})
    assert refused.status == 409, refused.body
    assert refused.body["error"]["code"] == "item_not_available"
    assert "withdrawn" in refused.body["error"]["message"]
    assert owner.get(f"/items/{item_id}").body["images"] == []
