"""The authorization matrix: every API operation by every kind of caller, on both backends.

Rows come from the route table (a new operation without a row fails
``test_every_operation_has_a_row``). Columns: the owner of the resource the operation acts
on, a signed-in stranger, and bad tokens. Each bad token is the owner's own token with one
thing wrong (so accepting it would act as the owner): none at all, expired, signed by
another key, ``alg: none``, another algorithm, another pool's issuer, another app client's
audience, plus a few malformed headers. Every refusal must change nothing, read back
through the API by every party of the case; every bad token gets the contract's 401 body
(which never says which check failed), and no log line carries a token.

"owner": the item's owner; for ``CancelReservation`` and ``CreateRating`` the holder /
buyer (the giver is also allowed, tested elsewhere); for user resources the user themself.
"""

from __future__ import annotations

import base64
import copy
import json
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from moto.utilities.utils import load_resource

from ecobid_adapters.memory.tokens import LocalTokens
from ecobid_entrypoints.api.openapi import document
from ecobid_entrypoints.api.routes import ROUTES, by_name
from tests.support.builders import auction_item, free_item
from tests.support.client import Api, Reply, User, raw
from tests.support.cognito import expired, resigned

pytestmark = pytest.mark.integration

OWNER, OTHER = "owner", "other user"
BAD_TOKENS = (
    "no token",
    "expired",
    "other key",
    "alg none",
    "other algorithm",
    "other pool",
    "other audience",
    "not bearer",
    "empty bearer",
    "garbled",
)
COLUMNS = (OWNER, OTHER, *BAD_TOKENS)

# The expected table. Every bad-token column is 401 for every operation.
#   operation               owner  other user
EXPECTED_SIGNED_IN: dict[str, tuple[int, int]] = {
    "CreateItem":           (201, 201),  # anyone signed in may offer an item
    "GetItems":             (200, 200),
    "GetItem":              (200, 200),
    "UpdateItem":           (200, 403),
    "DeleteItem":           (204, 403),
    "ReserveItem":          (409, 201),  # own_item: nobody reserves their own item
    "GetReservation":       (200, 404),  # owner: the holder; nobody else learns it exists
    "ConfirmReservation":   (200, 403),  # owner: the giver
    "CancelReservation":    (200, 403),  # owner: the holder
    "CreateBid":            (409, 201),  # own_item: nobody bids on their own auction
    "GetBids":              (200, 200),
    "CreateImageUpload":    (201, 403),
    "GetUserProfile":       (200, 200),  # a stranger sees the profile without the email
    "UpdateUserProfile":    (200, 403),
    "GetNotifications":     (200, 403),
    "GetUserReservations":  (200, 403),
    "GetUserTransactions":  (200, 403),
    "CreateRating":         (201, 403),  # owner: the buyer of the transaction
    "GetUserRatings":       (200, 200),
    "PutDevice":            (200, 403),
    "GetDevices":           (200, 403),
    "DeleteDevice":         (204, 403),
    "CreateAlert":          (201, 403),
    "GetAlerts":            (200, 403),
    "UpdateAlert":          (200, 403),
    "DeleteAlert":          (204, 403),
    "GetPreferences":       (200, 403),
    "UpdatePreferences":    (200, 403),
    "MarkNotificationsRead": (200, 403),
}  # fmt: skip


def expected_row(operation: str) -> dict[str, int]:
    owner, other = EXPECTED_SIGNED_IN[operation]
    return {OWNER: owner, OTHER: other, **dict.fromkeys(BAD_TOKENS, 401)}


# --- the cast and the cases ----------------------------------------------------------


@dataclass
class Cast:
    api: Api
    giver: User
    taker: User
    stranger: User


@pytest.fixture(scope="module")
def cast(api: Api) -> Cast:
    # Module-scoped: signing up is the slow part on moto; each case makes fresh resources.
    tag = datetime.now(UTC).strftime("%H%M%S%f")
    return Cast(api, *(api.user(f"authz-{role}-{tag}@example.com") for role in ("g", "t", "s")))


@dataclass
class Case:
    """One operation on one fresh resource: who owns it, and every party to watch."""

    owner: User
    path: str
    body: Any = None
    item_id: str | None = None
    parties: list[User] = field(default_factory=list)


def _item(cast: Cast, auction: bool = False) -> dict[str, Any]:
    if auction:
        now = datetime.fromisoformat(cast.api.advance(0).replace("Z", "+00:00"))
        ends = (now + timedelta(days=2)).isoformat().replace("+00:00", "Z")
        reply = cast.giver.post("/items", auction_item(ends))
    else:
        reply = cast.giver.post("/items", free_item())
    assert reply.status == 201, reply.body
    return dict(reply.body)


def _hold(cast: Cast) -> tuple[dict[str, Any], dict[str, Any]]:
    item = _item(cast)
    reply = cast.taker.post(f"/items/{item['id']}/reserve")
    assert reply.status == 201, reply.body
    return item, dict(reply.body)


def _on_item(path: str, body: Any = None, auction: bool = False) -> Callable[[Cast], Case]:
    def build(cast: Cast) -> Case:
        item = _item(cast, auction)
        return Case(cast.giver, path.format(id=item["id"]), body, item["id"])

    return build


def _on_user(path: str, body: Any = None) -> Callable[[Cast], Case]:
    return lambda cast: Case(cast.giver, path.format(id=cast.giver.id), body)


def _confirm(cast: Cast) -> Case:
    item, hold = _hold(cast)
    return Case(cast.giver, f"/reservations/{hold['id']}/confirm", None, item["id"])


def _read_hold(cast: Cast) -> Case:
    item, hold = _hold(cast)
    return Case(cast.taker, f"/reservations/{hold['id']}", None, item["id"])


def _cancel(cast: Cast) -> Case:
    item, hold = _hold(cast)
    return Case(cast.taker, f"/reservations/{hold['id']}/cancel", None, item["id"])


def _rate(cast: Cast) -> Case:
    item, hold = _hold(cast)
    reply = cast.giver.post(f"/reservations/{hold['id']}/confirm")
    assert reply.status == 200, reply.body
    deal = reply.body["transaction"]
    return Case(cast.taker, f"/transactions/{deal['id']}/ratings", {"score": 5}, item["id"])


_ALERT = {"location": {"lat": 52.52, "lon": 13.405}, "radiusKm": 2}


def _device(cast: Cast) -> Case:
    device_id = f"phone-{uuid.uuid4().hex[:8]}"
    path = f"/users/{cast.giver.id}/devices/{device_id}"
    reply = cast.giver.put(path, {"platform": "ios", "token": f"token-{uuid.uuid4().hex}"})
    assert reply.status == 200, reply.body
    return Case(cast.giver, path)


def _alert(body: Any = None) -> Callable[[Cast], Case]:
    def build(cast: Cast) -> Case:
        reply = cast.giver.post(f"/users/{cast.giver.id}/alerts", _ALERT)
        assert reply.status == 201, reply.body
        return Case(cast.giver, f"/users/{cast.giver.id}/alerts/{reply.body['id']}", body)

    return build


def _new_device(cast: Cast) -> Case:
    path = f"/users/{cast.giver.id}/devices/phone-{uuid.uuid4().hex[:8]}"
    return Case(cast.giver, path, {"platform": "android", "token": f"token-{uuid.uuid4().hex}"})


CASES: dict[str, Callable[[Cast], Case]] = {
    "CreateItem": lambda cast: Case(cast.giver, "/items", free_item()),
    "GetItems": _on_user("/items?ownerId={id}"),
    "GetItem": _on_item("/items/{id}"),
    "UpdateItem": _on_item("/items/{id}", {"title": "Renamed"}),
    "DeleteItem": _on_item("/items/{id}"),
    "ReserveItem": _on_item("/items/{id}/reserve"),
    "GetReservation": _read_hold,
    "ConfirmReservation": _confirm,
    "CancelReservation": _cancel,
    "CreateBid": _on_item("/items/{id}/bids", {"amount": 150}, auction=True),
    "GetBids": _on_item("/items/{id}/bids", auction=True),
    "CreateImageUpload": _on_item("/items/{id}/images", {"contentType": "image/jpeg"}),
    "GetUserProfile": _on_user("/users/{id}"),
    "UpdateUserProfile": _on_user("/users/{id}", {"bio": "Changed"}),
    "GetNotifications": _on_user("/users/{id}/notifications"),
    "GetUserReservations": _on_user("/users/{id}/reservations"),
    "GetUserTransactions": _on_user("/users/{id}/transactions"),
    "CreateRating": _rate,
    "GetUserRatings": _on_user("/users/{id}/ratings"),
    "PutDevice": _new_device,
    "GetDevices": _on_user("/users/{id}/devices"),
    "DeleteDevice": _device,
    "CreateAlert": _on_user("/users/{id}/alerts", _ALERT),
    "GetAlerts": _on_user("/users/{id}/alerts"),
    "UpdateAlert": _alert({**_ALERT, "radiusKm": 3}),
    "DeleteAlert": _alert(),
    "GetPreferences": _on_user("/users/{id}/preferences"),
    "UpdatePreferences": _on_user("/users/{id}/preferences", {"push": {"outbid": False}}),
    "MarkNotificationsRead": _on_user("/users/{id}/notifications/read", {}),
}


def snapshot(cast: Cast, case: Case) -> dict[str, Any]:
    """Everything a refused call could have changed, as each party reads it."""
    state: dict[str, Any] = {}
    if case.item_id:
        state["item"] = cast.giver.get(f"/items/{case.item_id}").body
        state["bids"] = cast.giver.get(f"/items/{case.item_id}/bids").body
    for user in (cast.giver, cast.taker, cast.stranger):
        for part in (
            "",
            "/notifications",
            "/transactions",
            "/ratings",
            "/devices",
            "/alerts",
            "/preferences",
        ):
            state[f"{user.email}{part}"] = user.get(f"/users/{user.id}{part}").body
        state[f"{user.email} items"] = user.get(f"/items?ownerId={user.id}").body
    return state


# --- the bad tokens --------------------------------------------------------------------


def _unsigned(claims: dict[str, Any]) -> str:
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


def _local_forgeries(api: Api, user: User) -> dict[str, str]:
    tokens: LocalTokens = api.container.tokens()
    now = api.container.wall_clock().now()  # what tokens are judged by

    def changed(**attributes: str) -> str:
        other = copy.copy(tokens)  # the server's own key, another issuer or audience
        vars(other).update(attributes)
        return other.issue(user.email, now=now)[0]

    foreign_key = LocalTokens(api.container.clock(), secret="another-key-" * 4)
    return {
        "expired": tokens.issue(user.email, now=now - timedelta(hours=2))[0],
        "other key": foreign_key.issue(user.email, now=now)[0],
        "other pool": changed(issuer="another-pool"),
        "other audience": changed(audience="another-app"),
        "good": tokens.issue(user.email, now=now)[0],
    }


_FOREIGN_RSA = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _cognito_forgeries(user: User) -> dict[str, str]:
    # moto signs every pool's tokens with one key: a foreign pool differs by issuer only.
    claims = jwt.decode(user.token, options={"verify_signature": False})
    pool_base, _, pool_id = claims["iss"].rpartition("/")
    moto_kid = jwt.PyJWK(load_resource("cognitoidp/resources/jwks-private.json")).key_id
    return {
        "expired": expired(user.token),
        "other key": jwt.encode(claims, _FOREIGN_RSA, algorithm="RS256", headers={"kid": moto_kid}),
        "other pool": resigned(user.token, iss=f"{pool_base}/{pool_id.split('_')[0]}_Another1"),
        "other audience": resigned(user.token, aud="another-app-client-id"),
        "good": resigned(user.token),
    }


def forgeries(api: Api, user: User) -> dict[str, str]:
    """The owner's token with one thing wrong each, plus ``good``: the same recipe unchanged."""
    made = _local_forgeries(api, user) if api.backend == "memory" else _cognito_forgeries(user)
    claims = jwt.decode(user.token, options={"verify_signature": False})
    return {
        **made,
        "alg none": _unsigned(claims),
        "other algorithm": jwt.encode(claims, "a-guessed-key-" * 8, algorithm="HS512"),
    }


def bad_headers(api: Api, user: User) -> dict[str, dict[str, str]]:
    forged = forgeries(api, user)
    return {
        "no token": {},
        **{kind: {"Authorization": f"Bearer {forged[kind]}"} for kind in BAD_TOKENS[1:7]},
        "not bearer": {"Authorization": "Basic dXNlcjpwYXNz"},
        "empty bearer": {"Authorization": "Bearer "},
        "garbled": {"Authorization": "Bearer not.a.jwt"},
    }


# --- the tests -------------------------------------------------------------------------


def test_every_operation_has_a_row() -> None:
    operations = {route.name for route in ROUTES}
    documented = {
        op["operationId"]
        for path in document()["paths"].values()
        for op in path.values()
        if isinstance(op, dict) and "operationId" in op
    }
    assert set(EXPECTED_SIGNED_IN) == operations
    assert set(CASES) == operations
    assert documented >= operations


def test_the_forgeries_are_faithful(api: Api, cast: Cast) -> None:
    """Made the same way with nothing changed, a token is accepted: each 401 below is for
    the one thing its forgery changed, not for the way it was made."""
    good = forgeries(api, cast.giver)["good"]
    reply = raw(
        api.url, "GET", f"/users/{cast.giver.id}", headers={"Authorization": f"Bearer {good}"}
    )
    assert reply.status == 200, reply.body
    assert reply.body["email"] == cast.giver.email


def _call(api: Api, method: str, case: Case, headers: dict[str, str]) -> Reply:
    body = case.body if method in ("POST", "PUT") else None
    return raw(api.url, method, case.path, body, headers)


@pytest.mark.parametrize("operation", sorted(EXPECTED_SIGNED_IN))
def test_authorization_matrix(
    api: Api, cast: Cast, operation: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    method = by_name(operation).method
    expected = expected_row(operation)
    got: dict[str, int] = {}
    changed: dict[str, list[str]] = {}
    refusals: dict[str, Reply] = {}
    secrets: list[str] = []

    def attempt(column: str, case: Case, headers: dict[str, str]) -> None:
        before = snapshot(cast, case) if expected[column] >= 400 else None
        reply = _call(api, method, case, headers)
        got[column] = reply.status
        if reply.status >= 400:
            refusals[column] = reply
        if before is not None:
            after = snapshot(cast, case)
            diff = sorted(k for k in after if after[k] != before.get(k))
            if diff:
                changed[column] = diff

    # A stranger, on a case of its own (a success there would spoil the owner's case).
    case = CASES[operation](cast)
    attempt(OTHER, case, {"Authorization": f"Bearer {cast.stranger.token}"})

    # Bad tokens first, then the owner, all on one fresh case: the refusals must leave it
    # exactly as the owner then finds it.
    case = CASES[operation](cast)
    before = snapshot(cast, case)
    for column, headers in bad_headers(api, case.owner).items():
        secrets.extend(v.partition(" ")[2] for v in headers.values() if v.partition(" ")[2])
        reply = _call(api, method, case, headers)
        got[column] = reply.status
        refusals[column] = reply
    after = snapshot(cast, case)
    assert after == before, f"{operation}: a bad token changed state"
    attempt(OWNER, case, {"Authorization": f"Bearer {case.owner.token}"})

    assert {c: got[c] for c in COLUMNS} == expected
    assert changed == {}, f"{operation}: refused calls changed {changed}"
    _assert_bad_token_replies({c: refusals[c] for c in BAD_TOKENS})
    for column, reply in refusals.items():
        assert set(reply.body["error"]) == {"code", "message", "details", "requestId"}, column
    logged = caplog.text
    for secret in {*secrets, cast.giver.token, cast.taker.token, cast.stranger.token}:
        assert secret not in logged


#: The only things a 401 may say: that no token came, that the header is not a bearer
#: token, or that the token failed, never which check it failed.
UNAUTHORIZED_MESSAGES = {
    "no token": "a valid bearer token is required",
    "not bearer": "use Authorization: Bearer <ID token>",
    "empty bearer": "use Authorization: Bearer <ID token>",
}
TOKEN_FAILED = "the token is invalid or expired"


def _assert_bad_token_replies(replies: dict[str, Reply]) -> None:
    for kind, reply in replies.items():
        message = UNAUTHORIZED_MESSAGES.get(kind, TOKEN_FAILED)
        error = dict(reply.body["error"])
        assert set(reply.body) == {"error"}, kind
        assert error.pop("requestId"), kind  # every error names its request
        assert error == {"code": "unauthorized", "message": message, "details": []}, kind
        assert "www-authenticate" not in reply.headers, kind


def test_the_holder_is_not_the_owner(api: Api, cast: Cast) -> None:
    """The third party of a reservation: the holder may cancel it, nothing more."""
    item, hold = _hold(cast)
    case = Case(cast.giver, f"/items/{item['id']}", item_id=item["id"])
    before = snapshot(cast, case)
    attempts = {
        "confirm": cast.taker.post(f"/reservations/{hold['id']}/confirm"),
        "edit": cast.taker.put(f"/items/{item['id']}", {"title": "Mine now"}),
        "withdraw": cast.taker.delete(f"/items/{item['id']}"),
        "add a photo": cast.taker.post(f"/items/{item['id']}/images", {"contentType": "image/png"}),
    }
    assert {k: (r.status, r.code) for k, r in attempts.items()} == dict.fromkeys(
        attempts, (403, "forbidden")
    )
    assert snapshot(cast, case) == before
    # The giver may cancel the hold too (the holder's cancel is the matrix's owner cell).
    assert cast.giver.post(f"/reservations/{hold['id']}/cancel").status == 200
