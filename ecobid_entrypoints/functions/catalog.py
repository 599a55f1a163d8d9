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

Deploying a new function is one more row here.
"""

from __future__ import annotations

from attrs import frozen


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
    LambdaFunction("GetUserTransactions", f"{_F}.ratings.get_user_transactions", access=_READS),
    # The ratee's custom:rating copy in the user pool follows a rating.
    LambdaFunction("CreateRating", f"{_F}.ratings.create_rating", access=(*_TABLE, "pool")),
    LambdaFunction("GetUserRatings", f"{_F}.ratings.get_user_ratings", access=_READS),
    # The processors: batches and sweeps may take longer than one request.
    LambdaFunction(
        "ForwardOutbox", f"{_F}.outbox.forward_outbox", timeout_s=30, access=("stream", "bus")
    ),
    LambdaFunction(
        "OnDomainEvent",
        f"{_F}.events.on_domain_event",
        timeout_s=30,
        access=(*_TABLE, "scheduler", "images_tag"),
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
    LambdaFunction("EndAuction", f"{_F}.deadlines.end_auction", access=(*_TABLE, "scheduler")),
    LambdaFunction("ExpireReservation", f"{_F}.deadlines.expire_reservation"),
    LambdaFunction("EndAuctions", f"{_F}.jobs.end_auctions", timeout_s=60),
    LambdaFunction(
        "CancelExpiredReservations", f"{_F}.jobs.cancel_expired_reservations", timeout_s=60
    ),
)


def by_name(name: str) -> LambdaFunction:
    return next(function for function in FUNCTIONS if function.name == name)
