"""The code's function catalog as Terraform deploys it: sizes, layers, rights, triggers.

``ecobid_entrypoints/functions/catalog.py`` is the one table of functions; each row says
what its code reaches (``access``), which Terraform turns into the function's own IAM
policy. ``TRIGGERS`` says which function each trigger invokes; the bus's rules are the
event types some consumer acts on, read from the consumers themselves, so a new consumer
is routed without a second list to keep.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from attrs import frozen

#: What a function may reach; the Terraform lambda module maps each name to actions on
#: the resources of the stage (see the catalog's docstring for their meaning).
ACCESS_NAMES = (
    "moderation",
    "table_read",
    "table_write",
    "stream",
    "images_read",
    "images_write",
    "images_delete",
    "images_tag",
    "bus",
    "pool",
    "scheduler",
    "push_register",
    "push_publish",
    "self_invoke",
)


@frozen(kw_only=True)
class LambdaFunction:
    name: str
    handler: str  # dotted path: module.function
    memory: int = 128
    timeout: int = 10
    layers: tuple[str, ...] = ("core",)
    access: tuple[str, ...] = ("table_read", "table_write")


def normalise(functions: Iterable[Any]) -> list[LambdaFunction]:
    """Catalog rows (or dicts of the same fields, for tests), sorted by name."""
    rows = []
    for entry in functions:
        if isinstance(entry, LambdaFunction):
            rows.append(entry)
            continue
        data: Mapping[str, Any] = entry if isinstance(entry, Mapping) else _fields(entry)
        rows.append(
            LambdaFunction(
                name=data["name"],
                handler=data["handler"],
                memory=int(data.get("memory_mb", 128)),
                timeout=int(data.get("timeout_s", 10)),
                layers=tuple(data.get("layers", ("core",))),
                access=tuple(data.get("access", ("table_read", "table_write"))),
            )
        )
    unknown = {a for row in rows for a in row.access} - set(ACCESS_NAMES)
    if unknown:
        raise ValueError(f"unknown access names: {sorted(unknown)}")
    return sorted(rows, key=lambda row: row.name)


def _fields(entry: Any) -> dict[str, Any]:
    names = ("name", "handler", "memory_mb", "timeout_s", "layers", "access")
    return {name: getattr(entry, name) for name in names}


def project_functions() -> list[LambdaFunction]:
    from ecobid_entrypoints.functions.catalog import FUNCTIONS

    return normalise(FUNCTIONS)


def consumed_events() -> tuple[str, ...]:
    from ecobid_entrypoints.processors.consumers import consumed_event_names

    return tuple(sorted(consumed_event_names()))


def triggers() -> dict[str, dict[str, str]]:
    """Which function each trigger invokes, by kind of trigger."""
    return {
        "stream": {"outbox": "ForwardOutbox"},
        "rules": dict.fromkeys(consumed_events(), "OnDomainEvent"),
        "periodic": {
            "rate(1 hour)": "CancelExpiredReservations",
            # The safety net behind each auction's own one-time schedule.
            "rate(15 minutes)": "EndAuctions",
        },
        "scheduled": {"end_auction": "EndAuction", "expire_reservation": "ExpireReservation"},
        "post_confirmation": {"profile": "CreateUserProfile"},
        "image_upload": {"processor": "ProcessImageUpload"},
    }


def wiring(functions: Sequence[LambdaFunction]) -> dict[str, dict[str, str]]:
    """The triggers whose function is in ``functions``; one that is not is left out."""
    names = {function.name for function in functions}
    return {
        kind: {key: name for key, name in targets.items() if name in names}
        for kind, targets in triggers().items()
    }
