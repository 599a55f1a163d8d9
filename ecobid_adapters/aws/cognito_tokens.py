"""Cognito ID tokens, checked where API Gateway's authorizer does not run.

In AWS the Cognito authorizer checks tokens before a handler runs; this verifier is for
everything else that serves the API against a real or moto user pool (the local server's
moto backend, tools). It checks what the authorizer checks: an RS256 signature by one of
the pool's keys, the pool's issuer, our app client as audience, an ID token (not an
access token), and expiry, judged by the injected clock (the wall clock in service, as
Cognito issues by it; a test's clock in tests). The issuer is configuration: it must match
the pool that signed, and a moto server signs with one key for all pools, so only the
issuer tells tokens of two moto pools apart.
"""

from __future__ import annotations

import json
import threading
import urllib.request
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

import jwt

from ecobid_adapters.aws.cognito_urls import cognito_issuer, cognito_jwks_url
from ecobid_core.errors import Unavailable
from ecobid_core.ports import Clock
from ecobid_core.ports.services import InvalidToken

HttpGet = Callable[[str], bytes]
_REQUIRED_CLAIMS = ["sub", "iss", "aud", "exp", "iat", "token_use"]

__all__ = ["CognitoTokenVerifier", "cognito_issuer", "cognito_jwks_url"]


def _urlopen(url: str) -> bytes:
    # The scheme was checked when the verifier was made (no file: URLs).
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
        body: bytes = response.read(1_000_000)
        return body


class CognitoTokenVerifier:
    """``TokenVerifier`` for one app client of one user pool.

    The pool's keys are fetched once per process. A token naming an unknown key makes
    the verifier fetch them again (Cognito rotates keys rarely), at most once a minute,
    so tokens with made-up key ids cannot turn it into a load on the key endpoint.
    """

    def __init__(
        self,
        jwks_url: str,
        issuer: str,
        client_id: str,
        clock: Clock,
        http_get: HttpGet | None = None,
        refetch_interval_seconds: float = 60.0,
    ) -> None:
        if urlsplit(jwks_url).scheme not in {"https", "http"}:
            raise ValueError("the JWKS URL must be http(s)")
        self._jwks_url = jwks_url
        self._issuer = issuer
        self._client_id = client_id
        self._clock = clock
        self._http_get = http_get or _urlopen
        self._refetch_interval = refetch_interval_seconds
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at: float | None = None
        self._lock = threading.Lock()

    def verify(self, token: str) -> Mapping[str, Any]:
        # Messages name the kind of failure only: never claims, keys or the token.
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise InvalidToken("the token is malformed") from None
        if header.get("alg") != "RS256":
            raise InvalidToken("the token is not signed as Cognito signs")
        key = self._key(str(header.get("kid", "")))
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key.key,
                algorithms=["RS256"],
                audience=self._client_id,
                issuer=self._issuer,
                # Times are judged below, by the injected clock.
                options={
                    "require": _REQUIRED_CLAIMS,
                    "verify_exp": False,
                    "verify_iat": False,
                    "verify_nbf": False,
                },
            )
        except jwt.PyJWTError:
            raise InvalidToken("the token's signature, issuer or audience is wrong") from None
        if claims["token_use"] != "id":  # noqa: S105 - a claim value, not a secret
            raise InvalidToken("not an ID token")
        expires = claims["exp"]
        if not isinstance(expires, int | float) or expires <= self._clock.now().timestamp():
            raise InvalidToken("the token has expired")
        return claims

    def _key(self, kid: str) -> jwt.PyJWK:
        with self._lock:
            key = self._keys.get(kid)
            if key is None and self._may_fetch():
                self._keys = self._fetch()
                self._fetched_at = self._clock.now().timestamp()
                key = self._keys.get(kid)
        if key is None:
            raise InvalidToken("the token is signed by an unknown key")
        return key

    def _may_fetch(self) -> bool:
        return (
            self._fetched_at is None
            or self._clock.now().timestamp() - self._fetched_at >= self._refetch_interval
        )

    def _fetch(self) -> dict[str, jwt.PyJWK]:
        try:
            keys = jwt.PyJWKSet.from_dict(json.loads(self._http_get(self._jwks_url))).keys
        except (OSError, ValueError, jwt.PyJWTError) as error:
            # Not the caller's fault: a 503 to retry, not a 401 that signs the user out.
            raise Unavailable("the user pool's signing keys are unavailable") from error
        return {key.key_id: key for key in keys if key.key_id}
