"""The Lambda functions to package and deploy, and what each may touch.

``FUNCTIONS`` lists every function: its plan name, handler, size and layers. ``ACCESS``
says which resources each kind of function reaches; Terraform turns that into the
function's own IAM policy, so a function's rights follow from what its code does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from attrs import frozen

LAMBDA_MODULE = "ecobid_entrypoints.aws_lambda"

#: What a function may reach, by name; the Terraform lambda module maps each to actions.
#: table_read/table_write: the table and its indexes; stream: the table's stream;
#: images_read/images_write: the bucket's ``items/`` prefix; bus: PutEvents on the bus;
#: pool: the user pool's attribute writes; scheduler: one-time schedules in the group.
ACCESS_NAMES = (
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

#: Every function imports the whole container today, Pillow and PyJWT included, so every
#: function needs both layers until the imports are split per function.
CURRENT_LAYERS = ("core", "images")

#: Routes beyond plain table access: profile edits copy to the pool; item reads and
#: writes sign image URLs and uploads.
API_ACCESS: Mapping[str, tuple[str, ...]] = {
    "GetItem": ("table_read", "table_write", "images_read"),
    "GetItems": ("table_read", "table_write", "images_read"),
    "CreateItem": ("table_read", "table_write", "images_read", "images_write"),
    "UpdateItem": ("table_read", "table_write", "images_read", "images_write"),
    "UpdateUserProfile": ("table_read", "table_write", "pool"),
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
        name="CreateUserProfile",
        handler="ecobid_entrypoints.cognito_triggers.post_confirmation",
        layers=CURRENT_LAYERS,
        access=("table_read", "table_write"),
    ),
)

ACCESS_BY_NAME: Mapping[str, tuple[str, ...]] = {
    **{row.name: row.access for row in _PROCESSORS},
    **API_ACCESS,
}


def project_functions() -> list[LambdaFunction]:
    """The project's functions: every API route and every processor."""
    return normalise([*_api_functions(), *_PROCESSORS])
