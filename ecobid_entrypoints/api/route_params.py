"""The parameters of every route, declared here rather than in the views.

The route table needs each route's parameters (the dispatcher refuses an unknown query
parameter, the OpenAPI document publishes them), but a Lambda function runs one view:
were they declared in the view modules, importing the table would import every view and
the services behind them at each cold start. So this module imports no view, and of the
core only the constants the declarations state (categories, the search's limits, the
reservation states, the device id pattern): every API function's unit of work and
presenter load those model modules anyway, and the search service adds only itself.
Each view reads its request by the declaration here.
"""

from __future__ import annotations

from ecobid_core.model.devices import DEVICE_ID_PATTERN
from ecobid_core.model.reservation import ReservationRole, ReservationStatus
from ecobid_core.model.values import CATEGORIES
from ecobid_core.services.search import MAX_LIMIT, MAX_RADIUS_KM
from ecobid_entrypoints.api.params import Param, Params, cursor_param, path_id

ITEM_ID = path_id("The item's id")
USER_ID = path_id("The user's id (the token's sub)")

#: A page of a user's list: at most 100 entries, 20 unless asked.
_PAGE_OF_20 = (
    Param("limit", "query", {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}),
    cursor_param(),
)

ITEM_PARAMS = Params((ITEM_ID,))
ITEM_LIST_PARAMS = Params(
    (
        Param("lat", "query", {"type": "number", "minimum": -90, "maximum": 90}),
        Param("lon", "query", {"type": "number", "minimum": -180, "maximum": 180}),
        Param(
            "radiusKm",
            "query",
            {"type": "number", "exclusiveMinimum": 0, "maximum": MAX_RADIUS_KM, "default": 5},
        ),
        Param("category", "query", {"type": "string", "enum": list(CATEGORIES)}),
        Param("type", "query", {"type": "string", "enum": ["free", "auction"]}),
        Param(
            "limit",
            "query",
            {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": 20},
        ),
        cursor_param(),
        Param(
            "ownerId",
            "query",
            {"type": "string", "minLength": 1},
            description="List this user's items",
        ),
    ),
    together=("lat", "lon"),
    one_of=(("lat", "lon"), ("ownerId",)),
)
_VERSION = r'^\s*(?:W/)?"?(\d{1,18})"?\s*$'
ITEM_UPDATE_PARAMS = Params(
    (
        ITEM_ID,
        Param(
            "If-Match",
            "header",
            {"type": "string", "pattern": _VERSION},
            description='must be an item version in quotes, e.g. "3"',
        ),
    )
)

RESERVATION_PARAMS = Params((path_id("The reservation's id"),))
RESERVATION_LIST_PARAMS = Params(
    (
        USER_ID,
        Param(
            "role",
            "query",
            {"type": "string", "enum": [role.value for role in ReservationRole]},
            description="holder: those you hold; giver: those on your items; both if absent",
        ),
        Param(
            "status",
            "query",
            {"type": "string", "enum": [status.value for status in ReservationStatus]},
            description="Only reservations in this status now (a lapsed hold is expired)",
        ),
        *_PAGE_OF_20,
    )
)

TRANSACTION_PARAMS = Params((path_id("The transaction's id"),))

USER_PARAMS = Params((USER_ID,))
# A user's transactions and the ratings they received.
USER_PAGE_PARAMS = Params(
    (
        USER_ID,
        *_PAGE_OF_20,
    )
)

_DEVICE_ID = Param(
    "deviceId",
    "path",
    {"type": "string", "pattern": DEVICE_ID_PATTERN},
    True,
    "The app's id of this installation: 1-128 letters, digits or _ . -",
)
_ALERT_ID = Param("alertId", "path", {"type": "string", "minLength": 1}, True, "The alert's id")
DEVICE_PARAMS = Params((USER_ID, _DEVICE_ID))
ALERT_PARAMS = Params((USER_ID, _ALERT_ID))
INBOX_PARAMS = Params(
    (
        USER_ID,
        Param("limit", "query", {"type": "integer", "minimum": 1, "maximum": 100, "default": 50}),
        cursor_param(),
    )
)
