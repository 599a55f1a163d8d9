"""``/_dev/token`` on a Cognito pool: sign a developer's email up and in, as the app would.

The app signs in with USER_SRP_AUTH, so this does too (with pycognito's SRP client) and
the token that comes back is a genuine pool token, checked like any other. Sign-up is
confirmed with an admin call instead of an emailed code. Every user gets this process's
one random password; a user left by an earlier process is given it again.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Mapping
from typing import Any

from botocore.exceptions import ClientError

from ecobid_adapters.aws.failures import error_code


class CognitoDevSignIn:
    def __init__(
        self,
        cognito: Any,
        pool_id: str,
        client_id: str,
        verify: Callable[[str], Mapping[str, Any]],
    ) -> None:
        self._cognito = cognito
        self._pool_id = pool_id
        self._client_id = client_id
        self._verify = verify
        # Meets the pool's policy: upper and lower case letters and a digit, 8 or more.
        self._password = f"Dev-{secrets.token_urlsafe(18)}-a1A"
        self._known: set[str] = set()
        self._lock = threading.Lock()

    def issue(self, email: str) -> tuple[str, str]:
        """An ID token for ``email``, signing the user up first if need be, and its ``sub``.

        Raises ``ValueError`` when the pool refuses ``email`` as a username.
        """
        from pycognito.aws_srp import AWSSRP  # the local extra; not needed in Lambda

        username = email.strip().lower()
        self._ensure_user(username)
        srp = AWSSRP(
            username=username,
            password=self._password,
            pool_id=self._pool_id,
            client_id=self._client_id,
            client=self._cognito,
        )
        token = str(srp.authenticate_user()["AuthenticationResult"]["IdToken"])
        return token, str(self._verify(token)["sub"])

    def _ensure_user(self, username: str) -> None:
        with self._lock:
            if username in self._known:
                return
        try:
            self._cognito.sign_up(
                ClientId=self._client_id, Username=username, Password=self._password
            )
            self._cognito.admin_confirm_sign_up(UserPoolId=self._pool_id, Username=username)
        except ClientError as error:
            if error_code(error) == "InvalidParameterException":
                raise ValueError("the user pool refuses this email address") from None
            if error_code(error) != "UsernameExistsException":
                raise
            self._cognito.admin_set_user_password(
                UserPoolId=self._pool_id,
                Username=username,
                Password=self._password,
                Permanent=True,
            )
        with self._lock:
            self._known.add(username)
