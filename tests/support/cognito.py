"""Cognito as the app meets it: sign-up, USER_SRP_AUTH sign-in, and moto's signing key."""

from __future__ import annotations

import time
import uuid
from typing import Any

import jwt
from moto.utilities.utils import load_resource
from pycognito.aws_srp import AWSSRP

PASSWORD = "Contract1pass"


def srp_tokens(
    cognito: Any, pool_id: str, client_id: str, email: str | None = None
) -> dict[str, str]:
    """Sign up, confirm and sign in a new user with SRP, as the app does.

    Confirmation is an admin call because moto sends no email with a code in it.
    """
    email = email or f"user-{uuid.uuid4().hex[:8]}@example.com"
    cognito.sign_up(ClientId=client_id, Username=email, Password=PASSWORD)
    cognito.admin_confirm_sign_up(UserPoolId=pool_id, Username=email)
    srp = AWSSRP(
        username=email, password=PASSWORD, pool_id=pool_id, client_id=client_id, client=cognito
    )
    result: dict[str, str] = srp.authenticate_user()["AuthenticationResult"]
    return result


def resigned(token: str, **changes: Any) -> str:
    """``token`` with some claims changed, signed again with the key moto signs every pool's
    tokens with (it ships in moto's package): a token Cognito could have issued."""
    key = jwt.PyJWK(load_resource("cognitoidp/resources/jwks-private.json"))
    claims = {**jwt.decode(token, options={"verify_signature": False}), **changes}
    return jwt.encode(claims, key.key, algorithm="RS256", headers={"kid": key.key_id})


def expired(token: str) -> str:
    now = int(time.time())
    return resigned(token, iat=now - 3601, auth_time=now - 3601, exp=now - 1)
