"""A real Cognito client against the API on the moto backend (``ecobid serve --backend moto``).

The app signs up and signs in with USER_SRP_AUTH; the ID token it gets is what it sends.
Tokens that are genuine but not for us (another pool, another app client) or no longer
valid (expired) are refused with 401 before any handler runs.
"""

from __future__ import annotations

import time
import uuid

import jwt
import pytest

from ecobid_adapters.aws.cognito_pool import ensure_app_client, ensure_user_pool
from ecobid_adapters.aws.cognito_profiles import LOCATION_ATTRIBUTE, RATING_ATTRIBUTE
from tests.support.builders import free_item
from tests.support.client import Api, raw
from tests.support.cognito import expired, resigned, srp_tokens

pytestmark = [
    pytest.mark.integration,
    # Cognito exists only behind the AWS adapters.
    pytest.mark.parametrize("api", ["moto"], indirect=True),
]


def cognito_of(api: Api):
    settings = api.container.aws_settings()
    return api.container.aws_clients().cognito, settings.user_pool_id, settings.client_id


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_user_signed_up_with_srp_is_served_by_the_api(api: Api) -> None:
    cognito, pool_id, client_id = cognito_of(api)
    email = f"srp-{uuid.uuid4().hex[:8]}@example.com"
    tokens = srp_tokens(cognito, pool_id, client_id, email)
    user_id = jwt.decode(tokens["IdToken"], options={"verify_signature": False})["sub"]

    created = raw(api.url, "POST", "/items", free_item(), bearer(tokens["IdToken"]))
    assert created.status == 201, created.body
    assert created.body["ownerId"] == user_id
    profile = raw(api.url, "GET", f"/users/{user_id}", headers=bearer(tokens["IdToken"]))
    assert profile.status == 200
    assert profile.body["id"] == user_id
    assert profile.body["email"] == email


def test_a_profile_change_is_copied_to_the_users_attributes(api: Api) -> None:
    cognito, pool_id, client_id = cognito_of(api)
    tokens = srp_tokens(cognito, pool_id, client_id)
    user_id = jwt.decode(tokens["IdToken"], options={"verify_signature": False})["sub"]
    reply = raw(
        api.url,
        "PUT",
        f"/users/{user_id}",
        {"location": {"lat": 52.52, "lon": 13.405}},
        bearer(tokens["IdToken"]),
    )
    assert reply.status == 200, reply.body
    attributes = {
        a["Name"]: a["Value"]
        for a in cognito.admin_get_user(UserPoolId=pool_id, Username=user_id)["UserAttributes"]
    }
    assert attributes[LOCATION_ATTRIBUTE] == "52.520000,13.405000"
    assert attributes[RATING_ATTRIBUTE] == "0/0"


def test_a_rating_is_copied_to_the_ratees_custom_rating(api: Api, new_user) -> None:
    cognito, pool_id, _ = cognito_of(api)
    giver, taker = new_user(), new_user()
    item = giver.post("/items", free_item()).body
    hold = taker.post(f"/items/{item['id']}/reserve").body
    deal = giver.post(f"/reservations/{hold['id']}/confirm").body["transaction"]
    for rater, score in ((taker, 4), (giver, 5)):
        reply = rater.post(f"/transactions/{deal['id']}/ratings", {"score": score})
        assert reply.status == 201, reply.body
    for user, copied in ((giver, "4/1"), (taker, "5/1")):
        attributes = {
            a["Name"]: a["Value"]
            for a in cognito.admin_get_user(UserPoolId=pool_id, Username=user.id)["UserAttributes"]
        }
        assert attributes[RATING_ATTRIBUTE] == copied


def test_a_token_of_another_user_pool_is_401(api: Api) -> None:
    cognito, _, _ = cognito_of(api)
    other_pool = ensure_user_pool(cognito, f"other-{uuid.uuid4().hex[:8]}")
    other_client = ensure_app_client(cognito, other_pool, "other-app")
    token = srp_tokens(cognito, other_pool, other_client)["IdToken"]
    reply = raw(api.url, "GET", "/items?lat=52.5&lon=13.4", headers=bearer(token))
    assert (reply.status, reply.code) == (401, "unauthorized")


def test_a_token_for_another_app_client_is_401(api: Api) -> None:
    cognito, pool_id, _ = cognito_of(api)
    other_client = ensure_app_client(cognito, pool_id, f"other-app-{uuid.uuid4().hex[:6]}")
    token = srp_tokens(cognito, pool_id, other_client)["IdToken"]
    assert jwt.decode(token, options={"verify_signature": False})["aud"] == other_client
    reply = raw(api.url, "GET", "/items?lat=52.5&lon=13.4", headers=bearer(token))
    assert (reply.status, reply.code) == (401, "unauthorized")


def test_an_expired_pool_token_is_401_though_its_signature_is_good(api: Api) -> None:
    cognito, pool_id, client_id = cognito_of(api)
    token = srp_tokens(cognito, pool_id, client_id)["IdToken"]
    # The re-signing itself is faithful: the same claims, signed again, still pass.
    later = int(time.time()) + 600
    fresh = raw(
        api.url, "GET", "/items?lat=52.5&lon=13.4", headers=bearer(resigned(token, exp=later))
    )
    assert fresh.status == 200
    stale = raw(api.url, "GET", "/items?lat=52.5&lon=13.4", headers=bearer(expired(token)))
    assert (stale.status, stale.code) == (401, "unauthorized")
