"""One contract for the service ports, run against the memory and the moto-backed adapters.

Every test here runs once per backend, so a fake cannot drift from the AWS adapter. Where
moto does less than AWS (it accepts any presigned POST, without checking the policy), the
refusal is tested on the memory store, and a test of the policy document stands in for S3.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import boto3
import jwt
import pytest

from ecobid_adapters.aws.cognito_pool import ensure_app_client, ensure_user_pool
from ecobid_adapters.aws.cognito_tokens import (
    CognitoTokenVerifier,
    cognito_issuer,
    cognito_jwks_url,
)
from ecobid_adapters.aws.event_codec import event_from_detail
from ecobid_adapters.aws.eventbridge import EventBridgePublisher
from ecobid_adapters.aws.provision import ResourceNames, provision
from ecobid_adapters.aws.s3_images import S3ImageStore
from ecobid_adapters.aws.settings import AwsClients
from ecobid_adapters.images.keys import GONE, LISTED, PENDING, PHOTO_TAG, tagging_xml
from ecobid_adapters.memory.events import InProcessEventBus
from ecobid_adapters.memory.images import MemoryImageStore
from ecobid_adapters.memory.tokens import LocalTokens
from ecobid_core.model.events import DomainEvent, ItemCreated
from ecobid_core.model.uploads import MAX_UPLOAD_BYTES
from ecobid_core.ports import EventPublisher, ImageStore, TokenVerifier
from ecobid_core.ports.services import InvalidToken, PresignedUpload
from tests.support.cognito import srp_tokens
from tests.support.moto import REGION
from tests.support.uploads import http_get, jpeg_bytes, post_form

BACKENDS = ["memory", pytest.param("moto", marks=pytest.mark.integration)]


class FakeClock:
    """Starts at the real time (moto stamps tokens with it) and moves only when told."""

    def __init__(self) -> None:
        self._now = datetime.now(UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, seconds: float) -> None:
        self._now += timedelta(seconds=seconds)


@pytest.fixture(scope="module")
def aws(moto_endpoint: str) -> dict[str, Any]:
    names = ResourceNames.for_env(f"contract-{uuid.uuid4().hex[:8]}")
    provisioned = provision(moto_endpoint, REGION, names)
    return {**provisioned, "clients": AwsClients(REGION, moto_endpoint)}


# -- images ------------------------------------------------------------------------------
@attrs.define
class ImageBackend:
    store: ImageStore
    upload: Callable[[PresignedUpload, bytes], object]
    fetch: Callable[[str], bytes]
    enforces_upload_policy: bool


def post_upload(upload: PresignedUpload, data: bytes) -> None:
    assert post_form(upload.url, upload.fields, data) in {200, 201, 204}


def _memory_images(clock: FakeClock | None = None) -> ImageBackend:
    memory = MemoryImageStore("http://localhost:8000", clock or FakeClock())
    # What the local server's /_dev/uploads and /_dev/images routes do.
    return ImageBackend(
        memory, lambda up, data: memory.accept_upload(up.fields, data), memory.read_url, True
    )


@pytest.fixture(params=BACKENDS)
def images(request: pytest.FixtureRequest) -> ImageBackend:
    if request.param == "memory":
        return _memory_images()
    env = request.getfixturevalue("aws")
    store = S3ImageStore(env["clients"].s3, env["bucket"], url_expiry_seconds=300)
    return ImageBackend(store, post_upload, http_get, False)


def new_ids() -> tuple[str, str]:
    return uuid.uuid4().hex, uuid.uuid4().hex


def test_presigned_upload_names_the_key_and_type(images: ImageBackend) -> None:
    item_id, image_id = new_ids()
    upload = images.store.presign_upload(item_id, image_id, "image/png", MAX_UPLOAD_BYTES)
    assert upload.url.startswith("http")
    assert upload.fields["key"] == f"items/{item_id}/{image_id}/original"
    assert upload.fields["Content-Type"] == "image/png"


@pytest.mark.parametrize("content_type", ["image/gif", "text/html", "image/svg+xml", ""])
def test_only_photo_types_are_presigned(images: ImageBackend, content_type: str) -> None:
    with pytest.raises(ValueError, match="content type"):
        images.store.presign_upload("item", "image", content_type, 1024)


def test_no_upload_larger_than_ten_megabytes_is_presigned(images: ImageBackend) -> None:
    with pytest.raises(ValueError, match="max_bytes"):
        images.store.presign_upload("item", "image", "image/jpeg", MAX_UPLOAD_BYTES + 1)


def test_ids_cannot_escape_their_folder(images: ImageBackend) -> None:
    with pytest.raises(ValueError, match="path segments"):
        images.store.presign_upload("../other", "image", "image/jpeg", 1024)
    with pytest.raises(ValueError, match="path segments"):
        images.store.url_for("item", "a/b", "thumb")


def test_upload_then_variants_round_trip(images: ImageBackend) -> None:
    item_id, image_id = new_ids()
    photo = jpeg_bytes()
    upload = images.store.presign_upload(item_id, image_id, "image/jpeg", MAX_UPLOAD_BYTES)
    images.upload(upload, photo)

    assert images.store.read_original(item_id, image_id) == photo
    images.store.write_variant(item_id, image_id, "thumb", b"thumb-jpeg")
    images.store.write_variant(item_id, image_id, "large", b"large-jpeg")
    assert images.fetch(images.store.url_for(item_id, image_id, "thumb")) == b"thumb-jpeg"
    assert images.fetch(images.store.url_for(item_id, image_id, "large")) == b"large-jpeg"


def test_a_missing_original_is_a_key_error(images: ImageBackend) -> None:
    with pytest.raises(KeyError):
        images.store.read_original(*new_ids())


def test_a_variant_never_overwrites_the_original(images: ImageBackend) -> None:
    with pytest.raises(ValueError, match="original"):
        images.store.write_variant("item", "image", "original", b"x")


def test_a_deleted_original_is_gone_and_deleting_again_is_fine(images: ImageBackend) -> None:
    item_id, image_id = new_ids()
    upload = images.store.presign_upload(item_id, image_id, "image/jpeg", MAX_UPLOAD_BYTES)
    images.upload(upload, jpeg_bytes())
    images.store.delete_original(item_id, image_id)
    with pytest.raises(KeyError):
        images.store.read_original(item_id, image_id)
    images.store.delete_original(item_id, image_id)


def _tag_of(images: ImageBackend, key: str) -> str | None:
    store = images.store
    if isinstance(store, MemoryImageStore):
        return store.tag_of(key)
    assert isinstance(store, S3ImageStore)
    tags = store._s3.get_object_tagging(Bucket=store._bucket, Key=key)["TagSet"]
    return next((t["Value"] for t in tags if t["Key"] == PHOTO_TAG), None)


def test_accepted_photos_are_listed_and_released_ones_gone(images: ImageBackend) -> None:
    item_id, image_id = new_ids()
    upload = images.store.presign_upload(item_id, image_id, "image/jpeg", MAX_UPLOAD_BYTES)
    images.upload(upload, jpeg_bytes())
    original = upload.fields["key"]
    if isinstance(images.store, MemoryImageStore):  # moto ignores a POST's tagging field
        assert _tag_of(images, original) == PENDING
    images.store.write_variant(item_id, image_id, "thumb", b"thumb-jpeg")
    images.store.mark_listed(item_id, image_id)
    thumb = original.replace("original", "thumb.jpg")
    assert (_tag_of(images, original), _tag_of(images, thumb)) == (LISTED, LISTED)
    # The large variant was never written: releasing skips it.
    images.store.release(item_id, image_id)
    images.store.release(item_id, image_id)
    assert (_tag_of(images, original), _tag_of(images, thumb)) == (GONE, GONE)


@pytest.mark.parametrize(
    ("size", "declared", "refusal"),
    [
        (2049, "image/jpeg", ValueError),  # over the presigned maximum
        (0, "image/jpeg", ValueError),  # empty
        (100, "image/png", PermissionError),  # not the type that was presigned
    ],
)
def test_uploads_outside_the_policy_are_refused(
    size: int, declared: str, refusal: type[Exception]
) -> None:
    # Only where the store itself enforces the policy: S3 does, but moto stores any
    # presigned POST, so on AWS the policy document is checked instead (next test).
    images = _memory_images()
    item_id, image_id = new_ids()
    upload = images.store.presign_upload(item_id, image_id, "image/jpeg", 2048)
    tampered = PresignedUpload(upload.url, {**upload.fields, "Content-Type": declared})
    with pytest.raises(refusal):
        images.upload(tampered, b"x" * size)
    with pytest.raises(KeyError):
        images.store.read_original(item_id, image_id)


def _tampered(fields: Mapping[str, str], **changes: str) -> PresignedUpload:
    return PresignedUpload("http://localhost:8000/_dev/uploads", {**fields, **changes})


def test_the_memory_store_checks_the_policy_signature_like_s3() -> None:
    images = _memory_images()
    upload = images.store.presign_upload(*new_ids(), "image/jpeg", 2048)
    other = images.store.presign_upload(*new_ids(), "image/jpeg", 2048)
    policy = json.loads(base64.b64decode(upload.fields["policy"]))
    policy["conditions"][-1] = ["content-length-range", 1, MAX_UPLOAD_BYTES]
    widened = base64.b64encode(json.dumps(policy).encode()).decode()
    forged = [
        _tampered(upload.fields, policy=widened),  # a policy it did not sign
        _tampered(upload.fields, **{"x-amz-signature": "0" * 64}),
        _tampered(upload.fields, key=other.fields["key"]),  # another image's key
        _tampered(upload.fields, policy=other.fields["policy"]),  # another image's policy
        _tampered(upload.fields, acl="public-read"),  # a field the policy does not allow
        PresignedUpload(upload.url, {k: v for k, v in upload.fields.items() if k != "policy"}),
    ]
    for attempt in forged:
        with pytest.raises(PermissionError):
            images.upload(attempt, b"x" * 100)
    assert images.upload(upload, b"x" * 100) == upload.fields["key"]


def test_memory_policies_and_urls_expire_like_s3s() -> None:
    clock = FakeClock()
    images = _memory_images(clock)
    item_id, image_id = new_ids()
    upload = images.store.presign_upload(item_id, image_id, "image/jpeg", 2048)
    images.upload(upload, b"x" * 10)
    images.store.write_variant(item_id, image_id, "thumb", b"thumb-jpeg")
    url = images.store.url_for(item_id, image_id, "thumb")
    assert images.fetch(url) == b"thumb-jpeg"
    clock.advance(3601)
    with pytest.raises(PermissionError, match="expired"):
        images.upload(upload, b"x" * 10)
    with pytest.raises(PermissionError, match="expired"):
        images.fetch(url)
    assert images.fetch(images.store.url_for(item_id, image_id, "thumb")) == b"thumb-jpeg"


def test_no_url_reads_an_original() -> None:
    images = _memory_images()
    item_id, image_id = new_ids()
    images.upload(images.store.presign_upload(item_id, image_id, "image/jpeg", 2048), b"x")
    thumb_url = images.store.url_for(item_id, image_id, "thumb")
    with pytest.raises((PermissionError, KeyError)):
        images.fetch(thumb_url.replace("/thumb?", "/original?"))


@pytest.mark.integration
def test_the_s3_post_policy_binds_key_type_and_size(aws: dict[str, Any]) -> None:
    store = S3ImageStore(aws["clients"].s3, aws["bucket"])
    upload = store.presign_upload("item", "image", "image/webp", 5000)
    policy = json.loads(base64.b64decode(upload.fields["policy"]))
    conditions = policy["conditions"]
    assert {"bucket": aws["bucket"]} in conditions
    assert {"key": "items/item/image/original"} in conditions
    assert {"Content-Type": "image/webp"} in conditions
    assert ["content-length-range", 1, 5000] in conditions
    # The upload is tagged pending, so the lifecycle rules expire it unless accepted.
    assert {"tagging": tagging_xml(PENDING)} in conditions
    assert upload.fields["tagging"] == tagging_xml(PENDING)
    expires = datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
    assert expires - datetime.now(UTC) <= timedelta(minutes=15)


# -- identity ----------------------------------------------------------------------------
@attrs.define
class IdentityBackend:
    verifier: TokenVerifier
    clock: FakeClock
    sign_in: Callable[[], tuple[str, str]]  # (ID token, the user id it must carry)
    foreign_token: Callable[[], str]  # valid elsewhere: another pool or key
    wrong_audience_token: Callable[[], str]
    access_token: Callable[[], str]


def memory_identity() -> IdentityBackend:
    clock, secret = FakeClock(), "a-contract-test-secret-of-32-bytes-or-more"
    tokens = LocalTokens(clock, secret=secret)

    def access() -> str:
        now = int(clock.now().timestamp())
        claims = {"sub": "u", "iss": tokens.issuer, "aud": tokens.audience, "exp": now + 60}
        return jwt.encode({**claims, "token_use": "access"}, secret, algorithm="HS256")

    return IdentityBackend(
        verifier=tokens,
        clock=clock,
        sign_in=lambda: tokens.issue("ada@example.com"),
        foreign_token=lambda: LocalTokens(clock).issue("ada@example.com")[0],
        wrong_audience_token=lambda: LocalTokens(clock, secret, audience="x").issue("a@b.c")[0],
        access_token=access,
    )


@pytest.fixture(scope="module")
def moto_pools(aws: dict[str, Any]) -> dict[str, str]:
    cognito = aws["clients"].cognito
    other_pool = ensure_user_pool(cognito, f"other-{uuid.uuid4().hex[:8]}")
    return {
        "other_client": ensure_app_client(cognito, aws["user_pool_id"], "other-app"),
        "other_pool": other_pool,
        "other_pool_client": ensure_app_client(cognito, other_pool, "app"),
    }


def moto_identity(aws: dict[str, Any], pools: dict[str, str]) -> IdentityBackend:
    cognito, pool, client = aws["clients"].cognito, aws["user_pool_id"], aws["client_id"]
    clock = FakeClock()
    verifier = CognitoTokenVerifier(aws["jwks_url"], aws["issuer"], client, clock)

    def sign_in() -> tuple[str, str]:
        token = srp_tokens(cognito, pool, client)["IdToken"]
        return token, str(jwt.decode(token, options={"verify_signature": False})["sub"])

    return IdentityBackend(
        verifier=verifier,
        clock=clock,
        sign_in=sign_in,
        foreign_token=lambda: srp_tokens(cognito, pools["other_pool"], pools["other_pool_client"])[
            "IdToken"
        ],
        wrong_audience_token=lambda: srp_tokens(cognito, pool, pools["other_client"])["IdToken"],
        access_token=lambda: srp_tokens(cognito, pool, client)["AccessToken"],
    )


@pytest.fixture(params=BACKENDS)
def identity(request: pytest.FixtureRequest) -> IdentityBackend:
    if request.param == "memory":
        return memory_identity()
    return moto_identity(request.getfixturevalue("aws"), request.getfixturevalue("moto_pools"))


def test_a_fresh_id_token_yields_its_user(identity: IdentityBackend) -> None:
    token, user_id = identity.sign_in()
    claims = identity.verifier.verify(token)
    assert claims["sub"] == user_id
    assert claims["token_use"] == "id"


def test_a_token_expires_by_the_injected_clock(identity: IdentityBackend) -> None:
    token, _ = identity.sign_in()
    identity.verifier.verify(token)
    identity.clock.advance(timedelta(hours=1, seconds=1).total_seconds())
    with pytest.raises(InvalidToken):
        identity.verifier.verify(token)


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda backend: backend.foreign_token(), id="other-pool"),
        pytest.param(lambda backend: backend.wrong_audience_token(), id="other-audience"),
        pytest.param(lambda backend: backend.access_token(), id="access-token"),
        pytest.param(lambda backend: "not-a-token", id="garbled"),
        pytest.param(lambda backend: "", id="empty"),
        pytest.param(lambda backend: tampered(backend.sign_in()[0]), id="tampered"),
        pytest.param(lambda backend: unsigned(backend.sign_in()[0]), id="alg-none"),
    ],
)
def test_tokens_not_ours_are_refused(
    identity: IdentityBackend, make: Callable[[IdentityBackend], str]
) -> None:
    token = make(identity)
    with pytest.raises(InvalidToken):
        identity.verifier.verify(token)


def tampered(token: str) -> str:
    """The same signature over claims that name another user."""
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["sub"] = "someone-else"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


def unsigned(token: str) -> str:
    claims = jwt.decode(token, options={"verify_signature": False})
    return jwt.encode(claims, key="", algorithm="none")


@pytest.mark.integration
def test_moto_signs_with_the_aws_issuer_and_serves_the_keys(
    aws: dict[str, Any], moto_endpoint: str
) -> None:
    cognito = aws["clients"].cognito
    token = srp_tokens(cognito, aws["user_pool_id"], aws["client_id"])["IdToken"]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["iss"] == cognito_issuer(REGION, aws["user_pool_id"]) == aws["issuer"]
    assert aws["jwks_url"] == cognito_jwks_url(aws["user_pool_id"], REGION, moto_endpoint)
    keys = json.loads(http_get(aws["jwks_url"]))["keys"]
    assert jwt.get_unverified_header(token)["kid"] in {key["kid"] for key in keys}


# -- events ------------------------------------------------------------------------------
@attrs.define
class EventSink:
    publisher: EventPublisher
    delivered: Callable[[], list[DomainEvent]]


def sqs_sink(aws: dict[str, Any]) -> EventSink:
    """A rule on the bus sends every EcoBid event to a fresh SQS queue."""
    clients, name = aws["clients"], f"contract-{uuid.uuid4().hex[:8]}"
    sqs = boto3.client("sqs", endpoint_url=aws["endpoint_url"], region_name=REGION)
    queue_url = sqs.create_queue(QueueName=name)["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])
    clients.events.put_rule(
        Name=name, EventBusName=aws["bus"], EventPattern=json.dumps({"source": ["ecobid"]})
    )
    clients.events.put_targets(
        Rule=name,
        EventBusName=aws["bus"],
        Targets=[{"Id": "queue", "Arn": queue_arn["Attributes"]["QueueArn"]}],
    )

    def delivered() -> list[DomainEvent]:
        events: list[DomainEvent] = []
        while messages := sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get(
            "Messages", []
        ):
            for message in messages:
                envelope = json.loads(message["Body"])
                assert envelope["source"] == "ecobid"
                events.append(event_from_detail(envelope["detail-type"], envelope["detail"]))
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
        return events

    return EventSink(EventBridgePublisher(clients.events, aws["bus"]), delivered)


@pytest.fixture(params=BACKENDS)
def events(request: pytest.FixtureRequest) -> EventSink:
    if request.param == "memory":
        bus = InProcessEventBus()
        return EventSink(bus, lambda: list(bus.published))
    return sqs_sink(request.getfixturevalue("aws"))


def item_created(n: int) -> ItemCreated:
    return ItemCreated(
        event_id=f"ItemCreated:item-{n}:1",
        occurred_at=datetime(2030, 1, 2, 3, 4, 5, 678901, tzinfo=UTC),
        item_id=f"item-{n}",
        owner_id="owner",
        item_type="free",
        category="books",
        lat=52.52,
        lon=13.0,
        geohash="u33dc0",
        title=f"Book {n}",
    )


def test_every_event_arrives_intact_beyond_one_batch(events: EventSink) -> None:
    sent = [item_created(n) for n in range(23)]
    events.publisher.publish(sent)
    received = events.delivered()
    assert sorted(received, key=lambda e: e.event_id) == sorted(sent, key=lambda e: e.event_id)


def test_publishing_nothing_delivers_nothing(events: EventSink) -> None:
    events.publisher.publish([])
    assert events.delivered() == []
