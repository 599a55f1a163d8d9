"""Every Lambda function of a stage, in one table: packaging and Terraform read it.

One row per function: its name in the plan, the dotted path of its handler, memory (MB),
timeout (s), the dependency layers its code needs beside the project's own zip
(``core``: attrs, cattrs, dependency-injector and the rest every function imports;
``images``: Pillow, for the image pipeline only; boto3 is the runtime's own), and what
its code reaches (``access``), from which Terraform writes the function's own policy:

- ``table_read`` / ``table_write``: the table and its indexes;
- ``stream``: the table's stream; ``bus``: PutEvents on the bus;
- ``images_read`` / ``images_write``: the bucket's ``items/`` prefix (a presigned URL is
  only as good as its signer's rights; writing includes the photo's tag);
  ``images_delete``: deleting there; ``images_tag``: retagging a photo whose item is gone;
- ``pool``: attribute writes in the user pool; ``scheduler``: one-time schedules;
- ``moderation``: Rekognition's image moderation.

Deploying a new function is one more row here. Memory is set apart, in ``MEMORY_MB``.
"""

from __future__ import annotations

from attrs import evolve, frozen


@frozen
class LambdaFunction:
    name: str
    handler: str
    memory_mb: int = 128
    timeout_s: int = 10
    layers: tuple[str, ...] = ("core",)
    access: tuple[str, ...] = ("table_read", "table_write")


_F = "ecobid_entrypoints.functions"
_TABLE = ("table_read", "table_write")
#: A route that only answers what is stored: its role may read the table, never write.
_READS = ("table_read",)
#: Items carry presigned image URLs; the consumer also arranges schedules.
_SHOWS_IMAGES = (*_TABLE, "images_read")
_READS_IMAGES = (*_READS, "images_read")

FUNCTIONS: tuple[LambdaFunction, ...] = (
    # The API: API Gateway gives up at 29 s, so a request must end well before.
    LambdaFunction("CreateItem", f"{_F}.items.create_item", access=_SHOWS_IMAGES),
    LambdaFunction("GetItems", f"{_F}.items.get_items", access=_READS_IMAGES),
    LambdaFunction("GetItem", f"{_F}.items.get_item", access=_READS_IMAGES),
    LambdaFunction("UpdateItem", f"{_F}.items.update_item", access=_SHOWS_IMAGES),
    LambdaFunction("DeleteItem", f"{_F}.items.delete_item"),
    LambdaFunction("ReserveItem", f"{_F}.reservations.reserve_item"),
    LambdaFunction("GetReservation", f"{_F}.reservations.get_reservation"),
    LambdaFunction("ConfirmReservation", f"{_F}.reservations.confirm_reservation"),
    LambdaFunction("CancelReservation", f"{_F}.reservations.cancel_reservation"),
    LambdaFunction("CreateBid", f"{_F}.bids.create_bid"),
    LambdaFunction("GetBids", f"{_F}.bids.get_bids", access=_READS),
    LambdaFunction(
        "CreateImageUpload", f"{_F}.images.create_image_upload", access=(*_TABLE, "images_write")
    ),
    LambdaFunction("GetUserProfile", f"{_F}.users.get_user_profile", access=_READS),
    LambdaFunction(
        "UpdateUserProfile", f"{_F}.users.update_user_profile", access=(*_TABLE, "pool")
    ),
    LambdaFunction("GetNotifications", f"{_F}.users.get_notifications", access=_READS),
    LambdaFunction(
        "GetUserReservations", f"{_F}.reservations.get_user_reservations", access=_READS
    ),
    # Devices are SNS platform endpoints, made, renewed and deleted with them.
    LambdaFunction("PutDevice", f"{_F}.notify.put_device", access=(*_TABLE, "push_register")),
    LambdaFunction("GetDevices", f"{_F}.notify.get_devices", access=_READS),
    LambdaFunction("DeleteDevice", f"{_F}.notify.delete_device", access=(*_TABLE, "push_register")),
    LambdaFunction("CreateAlert", f"{_F}.notify.create_alert"),
    LambdaFunction("GetAlerts", f"{_F}.notify.get_alerts", access=_READS),
    LambdaFunction("UpdateAlert", f"{_F}.notify.update_alert"),
    LambdaFunction("DeleteAlert", f"{_F}.notify.delete_alert"),
    LambdaFunction("GetPreferences", f"{_F}.notify.get_preferences", access=_READS),
    LambdaFunction("UpdatePreferences", f"{_F}.notify.update_preferences"),
    LambdaFunction("MarkNotificationsRead", f"{_F}.notify.mark_notifications_read"),
    LambdaFunction("GetUserTransactions", f"{_F}.ratings.get_user_transactions", access=_READS),
    # The ratee's custom:rating copy in the user pool follows a rating.
    LambdaFunction("CreateRating", f"{_F}.ratings.create_rating", access=(*_TABLE, "pool")),
    LambdaFunction("GetUserRatings", f"{_F}.ratings.get_user_ratings", access=_READS),
    # The processors: batches and sweeps may take longer than one request.
    LambdaFunction(
        "ForwardOutbox", f"{_F}.outbox.forward_outbox", timeout_s=30, access=("stream", "bus")
    ),
    # It pushes, and hands a fan-out too large for one invocation on to another of itself.
    LambdaFunction(
        "OnDomainEvent",
        f"{_F}.events.on_domain_event",
        timeout_s=30,
        access=(*_TABLE, "scheduler", "push_publish", "self_invoke", "images_tag"),
    ),
    # 128 MB: the pipeline keeps to its memory budget (ecobid_adapters/images/budget.py).
    LambdaFunction(
        "ProcessImageUpload",
        f"{_F}.images.process_image_upload",
        timeout_s=60,
        layers=("core", "images"),
        access=(*_TABLE, "images_read", "images_write", "images_delete", "moderation"),
    ),
    # The user pool's post-confirmation trigger: the profile exists from the sign-up on.
    LambdaFunction("CreateUserProfile", f"{_F}.cognito.post_confirmation"),
    # The one-time schedules' targets: one record each. EndAuction sets its schedule
    # again when a soft close moved the end past the firing.
    # 30 s like the other processors: nobody waits on them, and a cold start at 128 MB
    # takes 6-7 s by the CPU-share model (cpu_share.py), more than half of 10 s.
    LambdaFunction(
        "EndAuction",
        f"{_F}.deadlines.end_auction",
        timeout_s=30,
        access=(*_TABLE, "scheduler"),
    ),
    LambdaFunction("ExpireReservation", f"{_F}.deadlines.expire_reservation", timeout_s=30),
    LambdaFunction("EndAuctions", f"{_F}.jobs.end_auctions", timeout_s=60),
    LambdaFunction(
        "CancelExpiredReservations", f"{_F}.jobs.cancel_expired_reservations", timeout_s=60
    ),
)


#: Memory (MB) of every function that 128 MB does not serve. Lambda's CPU share is memory
#: / 1,769 MB (``cpu_share``), and a Python cold start is CPU-bound: at 128 MB even bare
#: boto3's cold start (about 0.3-0.4 s of one core) takes over 5 s, half an API function's
#: timeout. The figures follow the bench's memory rows (BENCHMARKS.md, "memory"): each is
#: the least 64 MB step that fits the measured CPU, with about a third more for a noisy
#: measuring machine. GetItems needs no more than the others since a nearby page costs a
#: few merged range queries (it had 1,536 MB while a page took about 300).
#: Terraform gives each function this memory (deploy/functions.py writes it to the
#: manifest); the cost tool bills it.
_API_MB = 256
MEMORY_MB: dict[str, int] = {
    "CreateItem": _API_MB,
    "GetItems": _API_MB,
    "GetItem": _API_MB,
    "UpdateItem": _API_MB,
    "DeleteItem": _API_MB,
    "ReserveItem": _API_MB,
    "ConfirmReservation": _API_MB,
    "CancelReservation": _API_MB,
    "CreateBid": _API_MB,
    "GetBids": _API_MB,
    "CreateImageUpload": _API_MB,
    "GetUserProfile": _API_MB,
    "UpdateUserProfile": _API_MB,
    "GetNotifications": _API_MB,
    "GetReservation": _API_MB,
    "GetUserReservations": _API_MB,
    "PutDevice": _API_MB,
    "GetDevices": _API_MB,
    "DeleteDevice": _API_MB,
    "CreateAlert": _API_MB,
    "GetAlerts": _API_MB,
    "UpdateAlert": _API_MB,
    "DeleteAlert": _API_MB,
    "GetPreferences": _API_MB,
    "UpdatePreferences": _API_MB,
    "MarkNotificationsRead": _API_MB,
    "GetUserTransactions": _API_MB,
    "CreateRating": _API_MB,
    "GetUserRatings": _API_MB,
    # Cognito waits at most 5 s for a trigger, while the user who signs up waits too.
    "CreateUserProfile": _API_MB,
}
FUNCTIONS = tuple(evolve(f, memory_mb=MEMORY_MB.get(f.name, f.memory_mb)) for f in FUNCTIONS)


def by_name(name: str) -> LambdaFunction:
    return next(function for function in FUNCTIONS if function.name == name)
