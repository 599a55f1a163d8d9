"""Hostile cursors over HTTP, on both backends: always a 400 naming ``cursor``, never a 500."""

from __future__ import annotations

import base64
import json
from urllib.parse import quote

import hypothesis.strategies as st
from hypothesis import HealthCheck, given, settings

from tests.support.builders import free_item, spot

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=8,
)
_cursors = (
    st.text(min_size=1, max_size=80)
    | st.binary(min_size=1, max_size=80).map(lambda b: base64.urlsafe_b64encode(b).decode())
    | _json.map(lambda v: base64.urlsafe_b64encode(json.dumps(v).encode()).decode())
    | st.just(base64.urlsafe_b64encode(b"[" * 990 + b"]" * 990).decode())
)
_fixture_ok = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _assert_cursor_refused(reply) -> None:
    assert reply.status == 400, reply.body
    assert reply.body["error"]["code"] == "validation_error"
    assert [d["field"] for d in reply.body["error"]["details"]] == ["cursor"]


@_fixture_ok
@given(cursor=_cursors)
def test_a_hostile_cursor_is_a_400_on_both_listings(new_user, cursor: str) -> None:
    if not cursor.strip():
        return  # an empty cursor is no cursor: the first page
    user = new_user()
    _assert_cursor_refused(user.get(f"/items?lat=52.5&lon=13.4&cursor={quote(cursor)}"))
    _assert_cursor_refused(user.get(f"/items?ownerId={user.id}&cursor={quote(cursor)}"))


def test_a_cursor_of_one_listing_is_refused_by_the_other(new_user) -> None:
    owner = new_user()
    here = spot()
    for _ in range(2):
        owner.post("/items", free_item(here))
    centre = f"lat={here['lat']}&lon={here['lon']}"
    listing = owner.get(f"/items?ownerId={owner.id}&limit=1").body["nextCursor"]
    nearby = owner.get(f"/items?{centre}&limit=1").body["nextCursor"]
    assert listing and nearby
    _assert_cursor_refused(owner.get(f"/items?{centre}&cursor={listing}"))
    _assert_cursor_refused(owner.get(f"/items?ownerId={owner.id}&cursor={nearby}"))
    elsewhere = f"lat={here['lat'] + 0.01}&lon={here['lon']}"
    _assert_cursor_refused(owner.get(f"/items?{elsewhere}&cursor={nearby}"))
