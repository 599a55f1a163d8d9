"""The Lambda functions to package and deploy, and what each may touch.

``FUNCTIONS`` lists every function: its plan name, handler, size and layers. ``ACCESS``
says which resources each kind of function reaches; Terraform turns that into the
function's own IAM policy, so a function's rights follow from what its code does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
from attrs import frozen

LAMBDA_MODULE = "ecobid_entrypoints.aws_lambda"

#: What a function may reach, by name; the Terraform lambda module maps each to actions.
#: table_read/table_write: the table and its indexes; stream: the table's stream;
#: images_read/images_write: the bucket's ``items/`` prefix; bus: PutEvents on the bus;
#: pool: the user pool's attribute writes; scheduler: one-time schedules in the group;
#: moderation: Rekognition's image moderation (an action no resource can narrow).
ACCESS_NAMES = (
    "moderation",
    "table_read",
    "table_write",
    "stream",
    "images_read",
    "images_write",
    "bus",
    "pool",
    "scheduler",
)


@frozen(kw_only=True)
class LambdaFunction:
    name: str
    handler: str  # dotted path: module.function
    memory: int = 128
    timeout: int = 10
    layers: tuple[str, ...] = ("core",)
    access: tuple[str, ...] = ("table_read",)


def normalise(functions: Iterable[Any]) -> list[LambdaFunction]:
    """Accept a table of records, dicts or objects with the same fields (or the
    ``memory_mb``/``timeout_s`` spellings), sorted by name."""
    rows = []
    for entry in functions:
        data: Mapping[str, Any] = entry if isinstance(entry, Mapping) else _fields(entry)
        rows.append(
            LambdaFunction(
                name=data["name"],
                handler=data["handler"],
                memory=int(data.get("memory") or data.get("memory_mb") or 128),
                timeout=int(data.get("timeout") or data.get("timeout_s") or 10),
                layers=tuple(data.get("layers") or ()),
                access=tuple(data.get("access") or ACCESS_BY_NAME.get(data["name"], TABLE_ONLY)),
            )
        )
    unknown = {a for row in rows for a in row.access} - set(ACCESS_NAMES)
    if unknown:
        raise ValueError(f"unknown access names: {sorted(unknown)}")
    return sorted(rows, key=lambda row: row.name)


def _fields(entry: Any) -> dict[str, Any]:
    names = ("name", "handler", "memory", "memory_mb", "timeout", "timeout_s", "layers", "access")
    return {name: getattr(entry, name) for name in names if hasattr(entry, name)}


def _api_functions() -> list[LambdaFunction]:
    from ecobid_entrypoints.api.routes import ROUTES

    return [
        LambdaFunction(
            name=route.name,
            handler=f"{LAMBDA_MODULE}.{route.handler}",
            layers=CURRENT_LAYERS,
            access=API_ACCESS.get(route.name, TABLE_ONLY),
        )
        for route in ROUTES
    ]


TABLE_ONLY = ("table_read", "table_write")

#: Every function imports the whole container today, PyJWT included (the verifier's
#: module), so every function needs the auth layer until the imports are split per
#: function; Pillow is imported by the image function alone.
CURRENT_LAYERS = ("auth", "core")

#: Routes beyond plain table access: profile edits and ratings copy to the pool (the
#: ratee's ``custom:rating``); item reads and writes sign image URLs and uploads.
API_ACCESS: Mapping[str, tuple[str, ...]] = {
    "GetItem": ("table_read", "table_write", "images_read"),
    "GetItems": ("table_read", "table_write", "images_read"),
    "CreateItem": ("table_read", "table_write", "images_read", "images_write"),
    "UpdateItem": ("table_read", "table_write", "images_read", "images_write"),
    "UpdateUserProfile": ("table_read", "table_write", "pool"),
    "CreateRating": ("table_read", "table_write", "pool"),
    # Presigns the photo's upload to the bucket.
    "CreateImageUpload": ("table_read", "table_write", "images_write"),
}

_PROCESSORS: Sequence[LambdaFunction] = (
    LambdaFunction(
        name="PublishOutbox",
        handler=f"{LAMBDA_MODULE}.forward_outbox",
        timeout=30,
        layers=CURRENT_LAYERS,
        access=("stream", "bus"),
    ),
    *(
        LambdaFunction(
            name=name,
            handler=f"{LAMBDA_MODULE}.on_domain_event",
            timeout=30,
            layers=CURRENT_LAYERS,
            access=("table_read", "table_write"),
        )
        for name in ("ProcessNewItem", "ProcessReservation", "NotifyAuctionEnded")
    ),
    LambdaFunction(
        name="EndAuction",
        handler=f"{LAMBDA_MODULE}.end_auctions",
        timeout=60,
        layers=CURRENT_LAYERS,
        access=("table_read", "table_write"),
    ),
    LambdaFunction(
        name="CancelExpiredReservations",
        handler=f"{LAMBDA_MODULE}.cancel_expired_reservations",
        timeout=60,
        layers=CURRENT_LAYERS,
        access=("table_read", "table_write"),
    ),
    LambdaFunction(
        name="ProcessImageUpload",
        handler=f"{LAMBDA_MODULE}.process_image_upload",
        timeout=60,
        layers=(*CURRENT_LAYERS, "images"),
        access=(*TABLE_ONLY, "images_read", "images_write", "moderation"),
    ),
    LambdaFunction(
        name="CreateUserProfile",
        handler="ecobid_entrypoints.cognito_triggers.post_confirmation",
        layers=CURRENT_LAYERS,
        access=("table_read", "table_write"),
    ),
)

ACCESS_BY_NAME: Mapping[str, tuple[str, ...]] = {
    **{row.name: row.access for row in _PROCESSORS},
    **API_ACCESS,
    # The function catalog's names for the same work.
    "ForwardOutbox": ("stream", "bus"),
    # The bus's consumer also arranges the one-time schedules (end an auction, expire a hold).
    "OnDomainEvent": (*TABLE_ONLY, "scheduler"),
    "ProcessReservation": (*TABLE_ONLY, "scheduler"),
    "EndAuctions": TABLE_ONLY,
    "ExpireReservation": TABLE_ONLY,
    "ProcessImageUpload": (*TABLE_ONLY, "images_read", "images_write", "moderation"),
}


def project_functions() -> list[LambdaFunction]:
    """The project's functions: the code's function catalog where it has one, else every
    API route and every processor; the pool's trigger is added where the table lacks it."""
    try:
        from ecobid_entrypoints.functions.catalog import (  # type: ignore[import-not-found]
            FUNCTIONS,
        )
    except ImportError:
        return normalise([*_api_functions(), *_PROCESSORS])
    table = normalise(FUNCTIONS)
    names = {function.name for function in table}
    # With the catalog the imports are split per function: the trigger needs core alone.
    extra = [
        attrs.evolve(row, layers=("core",))
        for row in _PROCESSORS
        if row.name == "CreateUserProfile" and row.name not in names
    ]
    return normalise([*table, *extra])


#: What invokes the non-API functions, by the first name the table has: each plan name,
#: then the catalog's shared consumer or sweep that does the same work.
WIRING_CANDIDATES: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "stream": {"outbox": ("PublishOutbox", "ForwardOutbox")},
    "rules": {
        "ItemCreated": ("ProcessNewItem", "OnDomainEvent"),
        "ReservationCreated": ("ProcessReservation", "OnDomainEvent"),
        "AuctionEnded": ("NotifyAuctionEnded", "OnDomainEvent"),
    },
    "periodic": {
        "rate(1 hour)": ("CancelExpiredReservations",),
        # The safety net behind each auction's own one-time schedule.
        "rate(15 minutes)": ("EndAuction", "EndAuctions"),
    },
    "scheduled": {
        "end_auction": ("EndAuction", "EndAuctions"),
        "expire_reservation": ("ExpireReservation", "CancelExpiredReservations"),
    },
    "post_confirmation": {"profile": ("CreateUserProfile",)},
    "image_upload": {"processor": ("ProcessImageUpload",)},
}


def wiring(functions: Sequence[LambdaFunction]) -> dict[str, dict[str, str]]:
    """Which function each trigger invokes; a trigger with no function is left out."""
    names = {function.name for function in functions}
    return {
        kind: {
            key: next(name for name in candidates if name in names)
            for key, candidates in entries.items()
            if any(name in names for name in candidates)
        }
        for kind, entries in WIRING_CANDIDATES.items()
    }
