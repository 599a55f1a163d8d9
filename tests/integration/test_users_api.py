"""GET/PUT /users/{id} over HTTP."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration


def test_a_profile_is_made_on_first_sight_and_email_is_only_for_yourself(new_user):
    me, other = new_user("mira"), new_user()
    mine = me.get(f"/users/{me.id}")
    assert mine.status == 200
    assert mine.body["id"] == me.id
    assert mine.body["email"] == me.email
    assert mine.body["displayName"].startswith("mira")
    assert mine.body["rating"] == {"average": None, "count": 0}
    assert mine.body["location"] is None
    seen = other.get(f"/users/{me.id}").body
    assert "email" not in seen
    assert {k: v for k, v in mine.body.items() if k != "email"} == seen


def test_edit_own_profile(new_user):
    me = new_user()
    reply = me.put(
        f"/users/{me.id}",
        {"displayName": " Mira ", "bio": "Gardener", "location": {"lat": 52.5, "lon": 13.4}},
    )
    assert reply.status == 200
    assert (reply.body["displayName"], reply.body["bio"]) == ("Mira", "Gardener")
    assert reply.body["location"] == {"lat": 52.5, "lon": 13.4}
    cleared = me.put(f"/users/{me.id}", {"location": None})
    assert cleared.body["location"] is None
    assert me.get(f"/users/{me.id}").body == cleared.body


@pytest.mark.parametrize(
    "body",
    [
        {"displayName": ""},
        {"displayName": "x" * 51},
        {"bio": "x" * 501},
        {"location": {"lat": 100, "lon": 0}},
        {"email": "new@example.com"},
        {},
        {"rating": 5},
    ],
)
def test_bad_profile_edits_are_400_and_change_nothing(new_user, body):
    me = new_user()
    before = me.get(f"/users/{me.id}").body
    reply = me.put(f"/users/{me.id}", body)
    assert (reply.status, reply.code) == (400, "validation_error")
    assert me.get(f"/users/{me.id}").body == before


def test_unknown_user_is_404(new_user):
    reply = new_user().get("/users/nobody")
    assert (reply.status, reply.code) == (404, "not_found")
