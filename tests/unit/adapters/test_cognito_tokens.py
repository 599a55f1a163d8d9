"""The Cognito verifier's key handling, with keys made here and a hand-written JWKS fetch."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from ecobid_adapters.aws.cognito_tokens import (
    CognitoTokenVerifier,
    cognito_issuer,
    cognito_jwks_url,
)
from ecobid_core.errors import Unavailable
from ecobid_core.ports.services import InvalidToken

POOL = "eu-central-1_Pool"
ISSUER = cognito_issuer("eu-central-1", POOL)
CLIENT = "app-client"
NOW = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)


class FixedClock:
    def __init__(self) -> None:
        self.at = NOW

    def now(self) -> datetime:
        return self.at


class KeyServer:
    """Serves a JWKS document and counts how often it is asked."""

    def __init__(self) -> None:
        self.keys: dict[str, Any] = {}
        self.fetches = 0
        self.down = False

    def add_key(self, kid: str) -> rsa.RSAPrivateKey:
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.keys[kid] = private
        return private

    def get(self, url: str) -> bytes:
        assert url == cognito_jwks_url(POOL, "eu-central-1")
        self.fetches += 1
        if self.down:
            raise OSError("connection refused")
        jwks = [
            {**json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key())), "kid": kid}
            | {"alg": "RS256", "use": "sig"}
            for kid, key in self.keys.items()
        ]
        return json.dumps({"keys": jwks}).encode()


def id_token(key: Any, kid: str, **overrides: Any) -> str:
    claims = {
        "sub": "user-1",
        "email": "ada@example.com",
        "iss": ISSUER,
        "aud": CLIENT,
        "token_use": "id",
        "iat": int(NOW.timestamp()) - 60,
        "exp": int((NOW + timedelta(minutes=59)).timestamp()),
    }
    return jwt.encode({**claims, **overrides}, key, algorithm="RS256", headers={"kid": kid})


@pytest.fixture
def server() -> KeyServer:
    return KeyServer()


def verifier(server: KeyServer, clock: FixedClock | None = None) -> CognitoTokenVerifier:
    url = cognito_jwks_url(POOL, "eu-central-1")
    return CognitoTokenVerifier(url, ISSUER, CLIENT, clock or FixedClock(), http_get=server.get)


def test_keys_are_fetched_once_for_many_tokens(server: KeyServer) -> None:
    key = server.add_key("k1")
    check = verifier(server)
    for _ in range(3):
        assert check.verify(id_token(key, "k1"))["email"] == "ada@example.com"
    assert server.fetches == 1


def test_a_rotated_key_is_fetched_but_made_up_kids_do_not_hammer_the_endpoint(
    server: KeyServer,
) -> None:
    first, clock = server.add_key("k1"), FixedClock()
    check = verifier(server, clock)
    check.verify(id_token(first, "k1"))
    for kid in ["made-up-1", "made-up-2", "made-up-3"]:
        with pytest.raises(InvalidToken, match="unknown key"):
            check.verify(id_token(first, kid))
    assert server.fetches == 1  # within a minute of the last fetch: no new one

    clock.at += timedelta(minutes=5)
    second = server.add_key("k2")  # Cognito rotated its keys
    assert check.verify(id_token(second, "k2", exp=int(clock.at.timestamp()) + 60))
    assert server.fetches == 2


def test_a_key_endpoint_that_is_down_is_unavailable_not_unauthorized(server: KeyServer) -> None:
    key = server.add_key("k1")
    server.down = True
    check = verifier(server)
    with pytest.raises(Unavailable):
        check.verify(id_token(key, "k1"))
    server.down = False
    assert check.verify(id_token(key, "k1"))["sub"] == "user-1"


@pytest.mark.parametrize(
    "overrides",
    [
        {"exp": int(NOW.timestamp())},
        {"iss": cognito_issuer("eu-central-1", "eu-central-1_Other")},
        {"aud": "someone-elses-client"},
        {"token_use": "access"},
        {"sub": None},
    ],
    ids=["expired", "other-issuer", "other-audience", "access-token", "no-subject"],
)
def test_claims_that_are_not_ours_are_refused(server: KeyServer, overrides: dict[str, Any]) -> None:
    key = server.add_key("k1")
    claims = {name: value for name, value in overrides.items() if value is not None}
    token = id_token(key, "k1", **claims)
    if "sub" in overrides:
        payload = jwt.decode(token, options={"verify_signature": False})
        del payload["sub"]
        token = jwt.encode(payload, key, algorithm="RS256", headers={"kid": "k1"})
    with pytest.raises(InvalidToken):
        verifier(server).verify(token)


def test_a_token_signed_by_another_key_with_our_kid_is_refused(server: KeyServer) -> None:
    server.add_key("k1")
    impostor = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(InvalidToken, match="signature"):
        verifier(server).verify(id_token(impostor, "k1"))


def test_hmac_tokens_are_refused_whatever_their_key(server: KeyServer) -> None:
    server.add_key("k1")
    forged = jwt.encode({"sub": "x"}, "a-guessable-secret-that-is-long-enough!", "HS256")
    with pytest.raises(InvalidToken, match="not signed as Cognito"):
        verifier(server).verify(forged)


def test_refusals_do_not_echo_the_token(server: KeyServer) -> None:
    key = server.add_key("k1")
    token = id_token(key, "k1", aud="someone-elses-client")
    with pytest.raises(InvalidToken) as refused:
        verifier(server).verify(token)
    assert token not in str(refused.value)
    assert "someone-elses-client" not in str(refused.value)


def test_only_http_key_urls_are_accepted() -> None:
    with pytest.raises(ValueError, match="http"):
        CognitoTokenVerifier("file:///keys.json", ISSUER, CLIENT, FixedClock())


def test_key_urls_for_aws_and_for_a_local_endpoint() -> None:
    assert cognito_jwks_url(POOL, "eu-central-1") == (
        f"https://cognito-idp.eu-central-1.amazonaws.com/{POOL}/.well-known/jwks.json"
    )
    assert cognito_jwks_url(POOL, "eu-central-1", "http://127.0.0.1:5000/") == (
        f"http://127.0.0.1:5000/{POOL}/.well-known/jwks.json"
    )
