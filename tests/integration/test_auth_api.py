"""401 for every bad token; 403 (and no change) for every mutation by the wrong user."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

import jwt
import pytest

from ecobid_adapters.memory.tokens import LocalTokens
from ecobid_adapters.system import SystemClock
from tests.support.builders import free_item
from tests.support.client import raw
from tests.support.cognito import expired

pytestmark = pytest.mark.integration


def _unsigned(claims: dict) -> str:
    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


def _bad_tokens(user_id: str) -> dict[str, str | None]:
    now = int(datetime.now(UTC).timestamp())
    claims = {
        "sub": user_id,
        "email": "x@example.com",
        "token_use": "id",
        "iss": "ecobid-local",
        "aud": "ecobid-app",
        "iat": now,
        "exp": now + 3600,
    }
    foreign = LocalTokens(
        SystemClock(), secret="another-server-entirely-with-its-own-key-0123456789"
    ).issue("x@example.com")
    return {
        "missing": None,
        "not bearer": "Basic dXNlcjpwYXNz",
        "empty bearer": "Bearer ",
        "garbled": "Bearer not.a.jwt",
        "foreign-signed": f"Bearer {foreign[0]}",
        "alg none": f"Bearer {_unsigned(claims)}",
        "other algorithm key": "Bearer "
        + jwt.encode(claims, "a-guessed-key-" * 8, algorithm="HS512"),
    }


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/items?lat=1&lon=1"),
        ("POST", "/items"),
        ("GET", "/items/x"),
        ("PUT", "/items/x"),
        ("DELETE", "/items/x"),
        ("POST", "/items/x/reserve"),
        ("POST", "/reservations/x/confirm"),
        ("POST", "/reservations/x/cancel"),
        ("GET", "/users/x"),
        ("PUT", "/users/x"),
    ],
)
def test_every_endpoint_refuses_bad_tokens_with_401(api, method, path):
    for name, header in _bad_tokens("someone").items():
        headers = {} if header is None else {"Authorization": header}
        reply = raw(
            api.url, method, path, body={} if method in ("POST", "PUT") else None, headers=headers
        )
        assert reply.status == 401, name
        assert reply.code == "unauthorized"
        assert set(reply.body["error"]) == {"code", "message", "details"}


def test_an_expired_token_is_401(api, new_user):
    user = new_user()
    token = user.token
    assert (
        raw(
            api.url, "GET", f"/users/{user.id}", headers={"Authorization": f"Bearer {token}"}
        ).status
        == 200
    )
    if api.backend == "memory":
        api.advance(3601)  # the local server signs and checks by its own clock
    else:
        token = expired(token)  # Cognito issues by real time: the same token, an hour on
    reply = raw(api.url, "GET", f"/users/{user.id}", headers={"Authorization": f"Bearer {token}"})
    assert (reply.status, reply.code) == (401, "unauthorized")


def test_mutations_by_the_wrong_user_are_403_and_change_nothing(new_user):
    owner, taker, stranger = new_user(), new_user(), new_user()
    item = owner.post("/items", free_item()).body
    hold = taker.post(f"/items/{item['id']}/reserve").body
    before_item = owner.get(f"/items/{item['id']}").body
    before_owner = owner.get(f"/users/{owner.id}").body

    attempts = [
        stranger.put(f"/items/{item['id']}", {"title": "Mine now"}),
        taker.put(f"/items/{item['id']}", {"title": "Mine now"}),
        stranger.delete(f"/items/{item['id']}"),
        taker.delete(f"/items/{item['id']}"),
        stranger.post(f"/reservations/{hold['id']}/confirm"),
        taker.post(f"/reservations/{hold['id']}/confirm"),
        stranger.post(f"/reservations/{hold['id']}/cancel"),
        stranger.put(f"/users/{owner.id}", {"displayName": "Mallory"}),
        taker.put(f"/users/{owner.id}", {"bio": "hacked"}),
    ]
    for reply in attempts:
        assert (reply.status, reply.code) == (403, "forbidden")
    assert owner.get(f"/items/{item['id']}").body == before_item
    assert owner.get(f"/users/{owner.id}").body == before_owner
    # The hold is untouched: its owner can still confirm it.
    assert owner.post(f"/reservations/{hold['id']}/confirm").status == 200


def test_error_bodies_never_carry_a_stack_trace(api, new_user):
    user = new_user()
    replies = [
        user.post("/items", {"title": 5}),
        user.get("/items/%00"),
        raw(
            api.url,
            "POST",
            "/items",
            data=b"\x00\x01",
            headers={"Authorization": f"Bearer {user.token}"},
        ),
    ]
    for reply in replies:
        assert 400 <= reply.status < 500
        assert "Traceback" not in json.dumps(reply.body)
        assert set(reply.body) == {"error"}
