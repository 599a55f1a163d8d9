"""JSON Schemas of the API's bodies: one source for validation and the OpenAPI document.

Requests are validated against exactly the schemas the OpenAPI document publishes, so the
document cannot promise what the API does not check.
"""

from __future__ import annotations

from typing import Any

from ecobid_core.errors import Conflict
from ecobid_core.model import text
from ecobid_core.model.money import CURRENCIES
from ecobid_core.model.uploads import CONTENT_TYPES
from ecobid_core.model.values import CATEGORIES
from ecobid_entrypoints.api.notify_schemas import NOTIFY_REQUESTS, NOTIFY_RESOURCES

Schema = dict[str, Any]

_ID: Schema = {"type": "string", "minLength": 1}
_TIME: Schema = {"type": "string", "format": "date-time", "examples": ["2026-05-01T12:00:00Z"]}
_MONEY: Schema = {"type": "integer", "minimum": 1, "maximum": 100_000_000_00}


def free_text(max_length: int, *, required: bool = False, multiline: bool = False) -> Schema:
    """A text field people type, with the model's rule for it (``ecobid_core.model.text``).

    Its pattern publishes which characters are refused; the length is counted after NFC
    normalisation (the API normalises before it validates).
    """
    schema: Schema = {"type": "string", "maxLength": max_length}
    if required:
        schema["minLength"] = 1
    schema["pattern"] = text.pattern(multiline=multiline, non_blank=required)
    return schema


_TITLE = free_text(120, required=True)
_DESCRIPTION = free_text(2000, multiline=True)

LOCATION: Schema = {
    "type": "object",
    "required": ["lat", "lon"],
    "additionalProperties": False,
    "properties": {
        "lat": {"type": "number", "minimum": -90, "maximum": 90},
        "lon": {"type": "number", "minimum": -180, "maximum": 180},
    },
}

AUCTION_TERMS: Schema = {
    "type": "object",
    # Rules between values and the clock, which JSON Schema cannot state (400 if broken).
    "description": "endsAt lies 5 minutes to 14 days from now; reservePrice, if given,"
    " is at least startPrice.",
    "required": ["startPrice", "currency", "endsAt"],
    "additionalProperties": False,
    "properties": {
        "startPrice": _MONEY,
        "reservePrice": _MONEY,
        "currency": {
            "type": "string",
            "enum": sorted(CURRENCIES),
            # Also the refusal's message (``problems``): the list is too long to repeat.
            "description": "must be an ISO 4217 currency code, e.g. EUR",
        },
        "endsAt": _TIME,
    },
}

REQUESTS: dict[str, Schema] = {
    "CreateItemRequest": {
        "type": "object",
        "description": "An auction item carries `auction` terms; a free item carries none"
        " (400 validation_error otherwise).",
        "required": ["title", "category", "type", "location"],
        "additionalProperties": False,
        "properties": {
            "title": _TITLE,
            "description": _DESCRIPTION,
            "category": {"type": "string", "enum": list(CATEGORIES)},
            "type": {"type": "string", "enum": ["free", "auction"]},
            "location": {"$ref": "#/components/schemas/Location"},
            "auction": {"$ref": "#/components/schemas/AuctionTerms"},
        },
        # An auction has terms and a free item has none: said here so that the document
        # admits no request the server refuses for it. JSON Schema draft 4 (API Gateway's
        # models) cannot say it: the AWS document leaves it to the description and the
        # function (deploy/openapi_aws.py).
        "if": {"properties": {"type": {"const": "free"}}},
        "then": {"properties": {"auction": {"not": {}}}},  # no auction member at all
        "else": {"required": ["auction"]},
    },
    "UpdateItemRequest": {
        "type": "object",
        "minProperties": 1,
        "additionalProperties": False,
        "properties": {
            "title": _TITLE,
            "description": _DESCRIPTION,
            "category": {"type": "string", "enum": list(CATEGORIES)},
            "location": {"$ref": "#/components/schemas/Location"},
            "auction": {
                "type": "object",
                "description": "Terms not named are kept; the terms after the change must"
                " hold (400 otherwise), and none may change once a bid exists (409).",
                "minProperties": 1,
                "additionalProperties": False,
                "properties": AUCTION_TERMS["properties"],
            },
        },
    },
    "UpdateProfileRequest": {
        "type": "object",
        "minProperties": 1,
        "additionalProperties": False,
        "properties": {
            "displayName": free_text(50, required=True),
            "bio": free_text(500, multiline=True),
            "location": {"oneOf": [{"$ref": "#/components/schemas/Location"}, {"type": "null"}]},
        },
    },
    "PlaceBidRequest": {
        "type": "object",
        "required": ["amount"],
        "additionalProperties": False,
        "properties": {"amount": _MONEY},
    },
    "CreateRatingRequest": {
        "type": "object",
        "required": ["score"],
        "additionalProperties": False,
        "properties": {
            "score": {"type": "integer", "minimum": 1, "maximum": 5},
            "comment": free_text(500, multiline=True),
        },
    },
    "ImageUploadRequest": {
        "type": "object",
        "required": ["contentType"],
        "additionalProperties": False,
        "properties": {"contentType": {"type": "string", "enum": list(CONTENT_TYPES)}},
    },
}


def _conflict_codes() -> list[str]:
    """Every code a 409 can carry, from the domain's errors themselves."""
    codes, kinds = set(), [Conflict]
    while kinds:
        kind = kinds.pop()
        codes.add(kind.code)
        kinds += kind.__subclasses__()
    return sorted(codes)


_AUCTION_VIEW: Schema = {
    "type": "object",
    "required": ["startPrice", "currency", "endsAt", "currentPrice", "bidCount", "reserveMet"],
    "properties": {
        "startPrice": {"type": "integer"},
        "currency": {"type": "string"},
        "endsAt": _TIME,
        "currentPrice": {"type": "integer"},
        "bidCount": {"type": "integer"},
        "leadingBidderId": {"type": ["string", "null"]},
        "reserveMet": {"type": "boolean"},
        "reservePrice": {"type": ["integer", "null"], "description": "Shown to the owner only."},
    },
}

_TRANSACTION: Schema = {
    "type": "object",
    "required": ["id", "itemId", "sellerId", "buyerId", "amount", "kind", "createdAt"],
    "properties": {
        "id": _ID,
        "itemId": _ID,
        "sellerId": _ID,
        "buyerId": _ID,
        "amount": {"type": "integer"},
        "currency": {"type": ["string", "null"]},
        "kind": {"type": "string", "enum": ["gift", "sale"]},
        "createdAt": _TIME,
    },
}

# One entry of an error's details: the field it is about, and what is wrong with it.
_ERROR_DETAIL: Schema = {
    "type": "object",
    "required": ["field"],
    "properties": {
        "field": {"type": "string", "description": "The field, parameter or header at fault."},
        "message": {"type": "string"},
        "minimum": {
            "type": "integer",
            "description": "With bid_too_low: the least amount accepted now.",
        },
    },
}

RESOURCES: dict[str, Schema] = {
    "Location": LOCATION,
    "AuctionTerms": AUCTION_TERMS,
    "Auction": _AUCTION_VIEW,
    "Image": {
        "type": "object",
        "required": ["id", "status"],
        "properties": {
            "id": _ID,
            "status": {"type": "string", "enum": ["pending", "ready", "rejected"]},
            "thumbUrl": {"type": ["string", "null"]},
            "url": {"type": ["string", "null"]},
        },
    },
    "Item": {
        "type": "object",
        "required": ["id", "ownerId", "title", "category", "type", "status", "location"],
        "properties": {
            "id": _ID,
            "ownerId": _ID,
            "title": {"type": "string"},
            "description": {"type": "string"},
            "category": {"type": "string", "enum": list(CATEGORIES)},
            "type": {"type": "string", "enum": ["free", "auction"]},
            "status": {
                "type": "string",
                "enum": ["available", "reserved", "given", "active", "ended", "sold", "withdrawn"],
            },
            "location": {"$ref": "#/components/schemas/Location"},
            "geohash": {"type": "string"},
            "images": {"type": "array", "items": {"$ref": "#/components/schemas/Image"}},
            "createdAt": _TIME,
            "updatedAt": _TIME,
            "version": {"type": "integer"},
            "auction": {"$ref": "#/components/schemas/Auction"},
            "reservation": {
                "type": "object",
                "description": "The pending reservation, shown to the owner and the holder only.",
                "required": ["id", "userId", "status", "expiresAt"],
                "properties": {
                    "id": _ID,
                    "userId": _ID,
                    "status": {"type": "string", "enum": ["pending"]},
                    "expiresAt": _TIME,
                },
            },
            "distanceKm": {"type": "number", "description": "In nearby searches only."},
        },
    },
    "ItemPage": {
        "type": "object",
        "required": ["items", "nextCursor"],
        "properties": {
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}},
            "nextCursor": {"type": ["string", "null"]},
        },
    },
    "Reservation": {
        "type": "object",
        "required": ["id", "itemId", "userId", "ownerId", "status", "createdAt", "expiresAt"],
        "properties": {
            "id": _ID,
            "itemId": _ID,
            "userId": _ID,
            "ownerId": _ID,
            "status": {"type": "string", "enum": ["pending", "confirmed", "cancelled", "expired"]},
            "createdAt": _TIME,
            "expiresAt": _TIME,
        },
    },
    "ReservationPage": {
        "type": "object",
        "required": ["reservations", "nextCursor"],
        "properties": {
            "reservations": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/Reservation"},
            },
            "nextCursor": {"type": ["string", "null"]},
        },
    },
    "Transaction": _TRANSACTION,
    "Rating": {
        "type": "object",
        "required": ["id", "transactionId", "raterId", "rateeId", "score", "comment", "createdAt"],
        "properties": {
            "id": _ID,
            "transactionId": _ID,
            "raterId": _ID,
            "rateeId": _ID,
            "score": {"type": "integer", "minimum": 1, "maximum": 5},
            "comment": {"type": "string"},
            "createdAt": _TIME,
        },
    },
    "RatingPage": {
        "type": "object",
        "required": ["ratings", "nextCursor"],
        "properties": {
            "ratings": {"type": "array", "items": {"$ref": "#/components/schemas/Rating"}},
            "nextCursor": {"type": ["string", "null"]},
        },
    },
    "TransactionPage": {
        "type": "object",
        "required": ["transactions", "nextCursor"],
        "properties": {
            "transactions": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/TransactionWithMyRating"},
            },
            "nextCursor": {"type": ["string", "null"]},
        },
    },
    # A transaction as its party lists it: one schema of its own, not an allOf with
    # members beside it, which generated clients read as the Transaction alone.
    "TransactionWithMyRating": {
        "type": "object",
        "required": [*_TRANSACTION["required"], "myRating"],
        "properties": {
            **_TRANSACTION["properties"],
            "myRating": {
                "oneOf": [{"$ref": "#/components/schemas/Rating"}, {"type": "null"}],
                "description": "Your rating of this transaction, or null if you gave none.",
            },
        },
    },
    "Confirmation": {
        "type": "object",
        "required": ["reservation", "transaction"],
        "properties": {
            "reservation": {"$ref": "#/components/schemas/Reservation"},
            "transaction": {"$ref": "#/components/schemas/Transaction"},
        },
    },
    "UserProfile": {
        "type": "object",
        "required": ["id", "displayName", "bio", "location", "rating", "createdAt"],
        "properties": {
            "id": _ID,
            "displayName": {"type": "string"},
            "bio": {"type": "string"},
            "location": {"oneOf": [{"$ref": "#/components/schemas/Location"}, {"type": "null"}]},
            "rating": {
                "type": "object",
                "required": ["average", "count"],
                "properties": {
                    "average": {
                        "type": ["number", "null"],
                        "description": "null while count is 0: no rating yet.",
                    },
                    "count": {"type": "integer"},
                },
            },
            "createdAt": _TIME,
            "email": {"type": "string", "description": "Only when you read yourself."},
        },
    },
    "Bid": {
        "type": "object",
        "required": ["id", "itemId", "bidderId", "amount", "createdAt"],
        "properties": {
            "id": _ID,
            "itemId": _ID,
            "bidderId": _ID,
            "amount": {"type": "integer", "description": "Your maximum; shown to you only."},
            "createdAt": _TIME,
        },
    },
    "BidAccepted": {
        "type": "object",
        "required": ["bid", "auction"],
        "properties": {
            "bid": {"$ref": "#/components/schemas/Bid"},
            "auction": {"$ref": "#/components/schemas/Auction"},
        },
    },
    "BidHistory": {
        "type": "object",
        "required": ["bids"],
        "properties": {
            "bids": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["bidderId", "price", "createdAt"],
                    "properties": {
                        "bidderId": {"type": "string", "description": "Who placed the bid."},
                        "price": {"type": "integer", "description": "The price after it."},
                        "leaderId": {"type": "string", "description": "Who led after it."},
                        "createdAt": _TIME,
                    },
                },
            }
        },
    },
    "NotificationList": {
        "type": "object",
        "required": ["notifications", "unreadCount", "nextCursor"],
        "properties": {
            "unreadCount": {"type": "integer", "minimum": 0},
            "nextCursor": {"type": ["string", "null"]},
            "notifications": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "type", "itemId", "message", "createdAt"],
                    "properties": {
                        "id": _ID,
                        "type": {"type": "string"},
                        "itemId": {"type": ["string", "null"]},
                        "reservationId": {
                            "type": "string",
                            "description": "On every notification about a reservation.",
                        },
                        "message": {"type": "string"},
                        "createdAt": _TIME,
                        "read": {"type": "boolean"},
                    },
                },
            },
        },
    },
    "ImageUpload": {
        "type": "object",
        "required": ["imageId", "upload"],
        "properties": {
            "imageId": _ID,
            "upload": {
                "type": "object",
                "required": ["url", "fields"],
                "description": "POST these fields and then the photo as the form field"
                " `file` (multipart/form-data) to `url`; the item then shows the image"
                " as `pending`, later `ready` or `rejected`.",
                "properties": {
                    "url": {"type": "string"},
                    "fields": {"type": "object", "additionalProperties": {"type": "string"}},
                },
            },
        },
    },
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message", "details", "requestId"],
                "properties": {
                    "code": {
                        "type": "string",
                        "description": "Stable, for programs. With 409: "
                        + ", ".join(_conflict_codes()),
                    },
                    "message": {"type": "string"},
                    "details": {"type": "array", "items": _ERROR_DETAIL},
                    "requestId": {
                        "type": "string",
                        "description": "API Gateway's id of the request, also in the logs:"
                        " quote it when reporting a problem.",
                    },
                },
            }
        },
    },
}

COMPONENTS: dict[str, Schema] = {**RESOURCES, **REQUESTS, **NOTIFY_REQUESTS, **NOTIFY_RESOURCES}
