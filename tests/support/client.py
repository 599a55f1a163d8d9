"""A small HTTP client for the API, as the mobile app would use it."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Reply:
    status: int
    body: Any
    headers: dict[str, str]

    @property
    def code(self) -> str | None:
        if isinstance(self.body, dict) and isinstance(self.body.get("error"), dict):
            return self.body["error"].get("code")
        return None


def raw(
    base_url: str,
    method: str,
    path: str,
    body: Any = None,
    headers: dict[str, str] | None = None,
    data: bytes | None = None,
) -> Reply:
    payload = data if data is not None else (None if body is None else json.dumps(body).encode())
    request = urllib.request.Request(base_url + path, data=payload, method=method)
    if payload is not None:
        request.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            status, text, got = response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        status, text, got = error.code, error.read(), dict(error.headers)
    parsed = json.loads(text) if text else None
    return Reply(status, parsed, {k.lower(): v for k, v in got.items()})


@dataclass
class User:
    """One signed-in user of the API; re-signs in when the server's clock aged the token."""

    api: Api
    email: str
    id: str = ""
    _token: str = field(default="", repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def token(self) -> str:
        return self._token

    def sign_in(self) -> None:
        token, user_id = self.api.token_for(self.email)
        self._token, self.id = token, user_id

    def call(self, method: str, path: str, body: Any = None, **headers: str) -> Reply:
        if not self._token:
            with self._lock:
                if not self._token:
                    self.sign_in()
        for _ in range(2):
            reply = raw(
                self.api.url,
                method,
                path,
                body,
                {"Authorization": f"Bearer {self._token}", **headers},
            )
            if reply.status != 401:
                return reply
            self.sign_in()
        return reply

    def get(self, path: str, **headers: str) -> Reply:
        return self.call("GET", path, **headers)

    def post(self, path: str, body: Any = None, **headers: str) -> Reply:
        return self.call("POST", path, body, **headers)

    def put(self, path: str, body: Any = None, **headers: str) -> Reply:
        return self.call("PUT", path, body, **headers)

    def delete(self, path: str, **headers: str) -> Reply:
        return self.call("DELETE", path, **headers)


@dataclass
class Api:
    url: str
    backend: str = "memory"
    #: The server's container, for tests that look behind the API (request meters).
    container: Any = field(default=None, repr=False)
    _users: dict[str, User] = field(default_factory=dict)

    def token_for(self, email: str) -> tuple[str, str]:
        reply = raw(self.url, "POST", "/_dev/token", {"email": email})
        assert reply.status == 200, reply.body
        return reply.body["idToken"], reply.body["userId"]

    def user(self, email: str) -> User:
        if email not in self._users:
            user = User(self, email)
            user.sign_in()
            self._users[email] = user
        return self._users[email]

    def advance(self, seconds: float) -> str:
        reply = raw(self.url, "POST", "/_dev/clock", {"advanceSeconds": seconds})
        assert reply.status == 200, reply.body
        return reply.body["now"]

    def run_job(self, name: str) -> int:
        reply = raw(self.url, "POST", f"/_dev/jobs/{name}")
        assert reply.status == 200, reply.body
        return reply.body["processed"]
