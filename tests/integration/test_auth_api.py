"""Error bodies of refused requests. Who may do what, and every kind of bad token, is
the authorization matrix (``test_authorization_matrix``)."""

from __future__ import annotations

import json

import pytest

from tests.support.client import raw

pytestmark = pytest.mark.integration


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
