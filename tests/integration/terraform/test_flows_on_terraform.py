"""The product's flows through the real Lambda handlers, in-process (moto cannot invoke
Lambda), against exactly the resources Terraform created: names from ``terraform output``,
each function run with the environment Terraform deployed it with.

Every hop between functions is the one Terraform wired: the table's stream mapping, the
bus's rules, the Scheduler schedules the code makes in the Terraform-made group, the
bucket's notification. moto records what it would have invoked (``MotoDeliveries``) and
the test runs the real handler of the function it was meant for.
"""

from __future__ import annotations

import io
import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import unquote_plus

import pytest
from PIL import Image

from deploy.local import REGION
from ecobid_adapters.aws.settings import AwsSettings
from ecobid_core.timefmt import utc_iso
from tests.support.auction_reference import Reference
from tests.support.builders import auction_item, free_item
from tests.support.deployed_functions import (
    Elapsed,
    Handler,
    MotoDeliveries,
    requests_arrive_over_tls,
)
from tests.support.lambda_events import proxy_event
from tests.support.uploads import http_get, jpeg_bytes, post_form

# The session's one apply and destroy run inside the first and last test here.
pytestmark = [pytest.mark.integration, pytest.mark.timeout(1200)]

BERLIN = {"lat": 52.52, "lon": 13.405}
JPEG = b"\xff\xd8\xff"


def call(handler: Handler, method: str, resource: str, body=None, sub="", **params):
    path = resource.format(**params)
    reply = handler(proxy_event(method, resource, path, body, sub=sub, params=params or None), None)
    return reply["statusCode"], json.loads(reply["body"]) if reply["body"] else None


def relay(deployed, handlers, deliveries: MotoDeliveries) -> list[tuple[str, dict[str, Any]]]:
    """Hand on what moto recorded since the last relay, as AWS would: the table's new
    stream records to the function the stream mapping invokes, then each event the bus's
    rules matched to the function its rule targets. Answers (function name, event) of
    each rule delivery."""
    names = {arn: name for name, arn in deployed.function_arns().items()}
    publisher = deployed.manifest["wiring"]["stream"]["outbox"]
    batches = deliveries.take_stream_records()
    assert set(batches) <= {deployed.function_arns()[publisher]}
    for arn, records in batches.items():
        assert handlers[names[arn]]({"Records": records}, None) == {"batchItemFailures": []}
    delivered = [(names[arn], event) for arn, event in deliveries.take_rule_events()]
    for name, event in delivered:
        handlers[name](event, None)
    return delivered


def about(item_id: str, delivered: list[tuple[str, dict[str, Any]]]) -> list[tuple[str, str]]:
    """(function, event type) of each delivery concerning the item."""
    return [
        (name, event["detail-type"])
        for name, event in delivered
        if event["detail"].get("itemId") == item_id
    ]


def test_a_signed_up_user_gets_a_profile_from_the_pool_trigger(deployed, handlers) -> None:
    sub = f"new-{uuid.uuid4().hex[:8]}"
    event = {
        "triggerSource": "PostConfirmation_ConfirmSignUp",
        "userPoolId": deployed.outputs["user_pool_id"],
        "userName": sub,
        "request": {"userAttributes": {"sub": sub, "email": f"{sub}@example.com"}},
        "response": {},
    }
    trigger = deployed.manifest["wiring"]["post_confirmation"]["profile"]
    assert handlers[trigger](event, None) is event
    status, profile = call(handlers["GetUserProfile"], "GET", "/users/{id}", sub=sub, id=sub)
    assert (status, profile["id"]) == (200, sub)


def test_functions_that_schedule_are_told_the_terraform_group_role_and_targets(
    deployed, function_environments
) -> None:
    wiring = deployed.manifest["wiring"]
    arns = deployed.function_arns()
    schedulers = {
        name
        for name, spec in deployed.manifest["functions"].items()
        if "scheduler" in spec["access"]
    } | set(wiring["scheduled"].values())
    assert {"OnDomainEvent", "EndAuction", "ExpireReservation"} <= schedulers
    for name, environment in function_environments.items():
        settings = AwsSettings.from_env({**environment, "AWS_REGION": REGION})
        told = (
            settings.schedule_group,
            settings.scheduler_role_arn,
            settings.end_auction_arn,
            settings.expire_reservation_arn,
        )
        if name in schedulers:
            assert told == (
                deployed.outputs["schedule_group"],
                deployed.outputs["scheduler_role_arn"],
                arns[wiring["scheduled"]["end_auction"]],
                arns[wiring["scheduled"]["expire_reservation"]],
            ), name
        else:
            assert told == (None, None, None, None), name


def test_free_item_offered_reserved_and_handed_over(deployed, handlers, deliveries) -> None:
    giver, taker = f"giver-{uuid.uuid4().hex[:6]}", f"taker-{uuid.uuid4().hex[:6]}"
    status, item = call(handlers["CreateItem"], "POST", "/items", free_item(BERLIN), sub=giver)
    assert status == 201
    status, hold = call(
        handlers["ReserveItem"], "POST", "/items/{id}/reserve", sub=taker, id=item["id"]
    )
    assert (status, hold["status"]) == (201, "pending")
    status, done = call(
        handlers["ConfirmReservation"],
        "POST",
        "/reservations/{id}/confirm",
        sub=giver,
        id=hold["id"],
    )
    assert (status, done["transaction"]["kind"]) == (200, "gift")
    status, given = call(handlers["GetItem"], "GET", "/items/{id}", sub=taker, id=item["id"])
    assert (status, given["status"]) == (200, "given")

    # The table's stream -> the mapped publisher -> the bus -> the plan's rules -> the
    # functions they target: each hop as Terraform wired it, each function's real handler.
    rules = deployed.manifest["wiring"]["rules"]
    delivered = about(item["id"], relay(deployed, handlers, deliveries))
    for detail_type in ("ItemCreated", "ReservationCreated", "ReservationConfirmed"):
        assert delivered.count((rules[detail_type], detail_type)) == 1, delivered
    status, notes = call(
        handlers["GetNotifications"], "GET", "/users/{id}/notifications", sub=giver, id=giver
    )
    assert status == 200
    assert item["id"] in {note.get("itemId") for note in notes["notifications"]}
    # The hold's expiry was scheduled on ReservationCreated and dropped on confirmation.
    schedules = deployed.client("scheduler").list_schedules(
        GroupName=deployed.outputs["schedule_group"]
    )["Schedules"]
    assert not [s for s in schedules if hold["id"] in s["Name"]]


def test_an_auction_ends_by_its_schedule_sold_to_the_highest_maximum(
    deployed, handlers, deliveries: MotoDeliveries, elapsed: Elapsed
) -> None:
    seller, alice, bob = (f"{who}-{uuid.uuid4().hex[:6]}" for who in ("seller", "alice", "bob"))
    ends_at = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=10)
    body = auction_item(utc_iso(ends_at), start_price=100, location=BERLIN)
    status, item = call(handlers["CreateItem"], "POST", "/items", body, sub=seller)
    assert status == 201

    # Proxy bidding: each amount is a hidden maximum; the reference model says what the
    # visible price and the leader must be after each bid.
    reference = Reference(start_price=100, reserve_price=None, ends_at=ends_at)
    for bidder, maximum in ((bob, 200), (alice, 300), (bob, 250)):
        status, placed = call(
            handlers["CreateBid"],
            "POST",
            "/items/{id}/bids",
            {"amount": maximum},
            sub=bidder,
            id=item["id"],
        )
        assert status == 201, placed
        assert reference.bid(bidder, maximum, datetime.now(UTC)) is None
        auction = placed["auction"]
        assert (auction["currentPrice"], auction["leadingBidderId"]) == (
            reference.price,
            reference.leader,
        )
    assert (reference.leader, reference.price) == (alice, 275)

    # ItemCreated and each BidPlaced reach OnDomainEvent, which puts the auction's end
    # on a one-time schedule in the group Terraform made.
    rules = deployed.manifest["wiring"]["rules"]
    delivered = about(item["id"], relay(deployed, handlers, deliveries))
    assert delivered.count((rules["ItemCreated"], "ItemCreated")) == 1
    assert delivered.count((rules["BidPlaced"], "BidPlaced")) == 3
    scheduler = deployed.client("scheduler")
    group = deployed.outputs["schedule_group"]
    (summary,) = [
        s for s in scheduler.list_schedules(GroupName=group)["Schedules"] if item["id"] in s["Name"]
    ]
    schedule = scheduler.get_schedule(Name=summary["Name"], GroupName=group)
    target = schedule["Target"]
    arns = deployed.function_arns()
    assert target["Arn"] == arns[deployed.manifest["wiring"]["scheduled"]["end_auction"]]
    assert target["RoleArn"] == deployed.outputs["scheduler_role_arn"]
    assert schedule["ScheduleExpression"] == f"at({ends_at:%Y-%m-%dT%H:%M:%S})"

    # moto stores schedules but never fires them: at the schedule's time, run the real
    # handler of its target function with its input, as Scheduler would invoke it.
    fires_at = datetime.strptime(schedule["ScheduleExpression"], "at(%Y-%m-%dT%H:%M:%S)")
    elapsed.until(fires_at.replace(tzinfo=UTC))
    function = {arn: name for name, arn in arns.items()}[target["Arn"]]
    payload = json.loads(target["Input"])
    assert handlers[function](payload, None) == {"itemId": item["id"], "ended": True}
    # Scheduler delivers at least once: a second firing settles nothing twice.
    assert handlers[function](payload, None)["ended"] is False

    status, sold = call(handlers["GetItem"], "GET", "/items/{id}", sub=bob, id=item["id"])
    assert (status, sold["status"]) == (200, "sold")
    ledgers = {}
    for user in (seller, alice, bob):
        status, listed = call(
            handlers["GetUserTransactions"],
            "GET",
            "/users/{id}/transactions",
            sub=user,
            id=user,
        )
        assert status == 200
        ledgers[user] = [
            (t["kind"], t["itemId"], t["sellerId"], t["buyerId"], t["amount"])
            for t in listed["transactions"]
        ]
    sale = ("sale", item["id"], seller, alice, 275)
    assert ledgers == {seller: [sale], alice: [sale], bob: []}

    # AuctionEnded: stream -> publisher -> bus -> its rule -> OnDomainEvent -> notices.
    delivered = relay(deployed, handlers, deliveries)
    (ended,) = [
        event
        for name, event in delivered
        if event["detail-type"] == "AuctionEnded" and event["detail"]["itemId"] == item["id"]
    ]
    assert about(item["id"], delivered).count((rules["AuctionEnded"], "AuctionEnded")) == 1
    detail = ended["detail"]
    assert (detail["sold"], detail["winnerId"], detail["price"]) == (True, alice, 275)
    for user, kind in ((alice, "auction_won"), (seller, "auction_sold")):
        status, notes = call(
            handlers["GetNotifications"], "GET", "/users/{id}/notifications", sub=user, id=user
        )
        assert status == 200
        assert (kind, item["id"]) in {(n["type"], n.get("itemId")) for n in notes["notifications"]}


def test_a_photo_posted_to_the_bucket_is_processed_by_the_function_it_notifies(
    deployed, handlers, deliveries: MotoDeliveries, monkeypatch: pytest.MonkeyPatch
) -> None:
    tls_only = requests_arrive_over_tls(monkeypatch)
    owner = f"owner-{uuid.uuid4().hex[:6]}"
    status, item = call(handlers["CreateItem"], "POST", "/items", free_item(BERLIN), sub=owner)
    assert status == 201
    status, grant = call(
        handlers["CreateImageUpload"],
        "POST",
        "/items/{id}/images",
        {"contentType": "image/jpeg"},
        sub=owner,
        id=item["id"],
    )
    assert status == 201, grant
    bucket = deployed.outputs["bucket_name"]
    upload = grant["upload"]
    assert upload["url"] == f"{deployed.endpoint}/{bucket}"
    assert post_form(upload["url"], upload["fields"], jpeg_bytes((800, 600), "teal")) == 204

    # The notification Terraform configured names the function; moto matches the new
    # object against it (the prefix and suffix filters too) and sends the ObjectCreated
    # event it would invoke that function with. moto cannot run a function: the test
    # runs its real handler with that event.
    s3 = deployed.client("s3")
    config = s3.get_bucket_notification_configuration(Bucket=bucket)
    (notification,) = config["LambdaFunctionConfigurations"]
    processor = deployed.manifest["wiring"]["image_upload"]["processor"]
    assert notification["LambdaFunctionArn"] == deployed.function_arns()[processor]
    (sent,) = deliveries.take_s3_events()
    assert sent[0] == notification["LambdaFunctionArn"]
    (record,) = sent[1]["Records"]
    assert record["eventName"].startswith("ObjectCreated:")
    assert unquote_plus(record["s3"]["object"]["key"]) == upload["fields"]["key"]
    assert handlers[processor](sent[1], None) == {"ready": 1}

    status, shown = call(handlers["GetItem"], "GET", "/items/{id}", sub=owner, id=item["id"])
    assert status == 200
    (photo,) = shown["images"]
    assert (photo["id"], photo["status"]) == (grant["imageId"], "ready")
    stored = s3.list_objects_v2(Bucket=bucket, Prefix=f"items/{item['id']}/{photo['id']}/")
    assert {"thumb.jpg", "large.jpg"} <= {o["Key"].rsplit("/", 1)[1] for o in stored["Contents"]}
    # The variants, as the app fetches them through the item's presigned URLs.
    sizes = {}
    for url in (photo["thumbUrl"], photo["url"]):
        data = http_get(url)
        assert data.startswith(JPEG)
        with Image.open(io.BytesIO(data)) as variant:
            sizes[url] = variant.size
    assert sizes == {photo["thumbUrl"]: (320, 240), photo["url"]: (800, 600)}
    # The bucket's TLS-only statement was there and was all that moto was spared.
    assert set(tls_only) == {"DenyInsecureTransport"}
