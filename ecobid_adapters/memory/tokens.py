"""Tokens for the embedded backend: the local server signs them, and checks them.

They look like Cognito ID tokens (``sub``, ``email``, ``token_use: id``, issuer and
audience) so the API code is the same on both; the key is made fresh per process unless
one is configured, so no token outlives the server that issued it.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

import jwt

from ecobid_core.ports import Clock
from ecobid_core.ports.services import InvalidToken

_USER_NAMESPACE = uuid.UUID("6b2f3c1e-8d57-4e4a-9f5e-2f1a0c6d9b10")


class LocalTokens:
    def __init__(
        self,
        clock: Clock,
        secret: str | None = None,
        issuer: str = "ecobid-local",
        audience: str = "ecobid-app",
        lifetime: timedelta = timedelta(hours=1),
    ) -> None:
        self._clock = clock
        self._secret = secret or secrets.token_urlsafe(32)
        self.issuer = issuer
        self.audience = audience
        self._lifetime = lifetime

    @staticmethod
    def user_id_for(email: str) -> str:
        return str(uuid.uuid5(_USER_NAMESPACE, email.strip().lower()))

    def issue(self, email: str, *, now: datetime | None = None) -> tuple[str, str]:
        """A signed ID token for ``email`` and the user id it carries."""
        issued = now or self._clock.now()
        user_id = self.user_id_for(email)
        claims = {
            "sub": user_id,
            "email": email.strip().lower(),
            "token_use": "id",
            "iss": self.issuer,
            "aud": self.audience,
            "iat": int(issued.timestamp()),
            "exp": int((issued + self._lifetime).timestamp()),
        }
        return jwt.encode(claims, self._secret, algorithm="HS256"), user_id

    def verify(self, token: str) -> Mapping[str, Any]:
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                self._secret,
                algorithms=["HS256"],
                audience=self.audience,
                issuer=self.issuer,
                options={
                    "require": ["sub", "exp", "iss", "aud", "token_use"],
                    "verify_exp": False,
                    "verify_iat": False,
                },
            )
        except jwt.PyJWTError as error:
            raise InvalidToken(str(error)) from None
        # Expiry is judged by the injected clock (the local server gives it real time).
        if claims["exp"] <= self._clock.now().timestamp():
            raise InvalidToken("the token has expired")
        if claims["token_use"] != "id":  # noqa: S105 - a claim name, not a secret
            raise InvalidToken("not an ID token")
        return claims
