"""What schemathesis (tests/integration/test_schemathesis.py) found, one plain test each:
the document and the server now say the same thing about these requests."""

from __future__ import annotations

import pytest

from tests.support.builders import free_item

pytestmark = pytest.mark.integration


def test_an_empty_owner_id_is_refused_by_name(new_user):
    reply = new_user().get("/items?ownerId=")
    assert reply.status == 400
    assert reply.body["error"]["details"][0]["field"] == "ownerId"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("lat=1&lon=2&category=", "category"),
        ("lat=1&lon=2&type=", "type"),
        ("lat=&lon=2", "lat"),
        ("lat=1&lon=2&limit=", "limit"),
        ("lat=1&lon=2&radiusKm=", "radiusKm"),
    ],
)
def test_an_empty_value_where_the_schema_rules_it_out_is_a_400(new_user, query, field):
    reply = new_user().get(f"/items?{query}")
    assert reply.status == 400, reply.body
    assert reply.body["error"]["details"][0]["field"] == field


def test_an_empty_cursor_is_the_first_page(new_user):
    user = new_user()
    assert user.post("/items", free_item()).status == 201
    reply = user.get(f"/items?ownerId={user.id}&cursor=")
    assert reply.status == 200
    assert len(reply.body["items"]) == 1


def test_a_cursor_outside_its_alphabet_is_a_400(new_user):
    user = new_user()
    reply = user.get(f"/items?ownerId={user.id}&cursor=%21%21")
    assert reply.status == 400
    assert reply.body["error"]["details"][0]["field"] == "cursor"


@pytest.mark.parametrize(
    "path",
    ["/items?lat=1&lon=2&catgory=books", "/users/{me}/ratings?=0", "/items/{item}?x=1"],
)
def test_an_undeclared_query_parameter_is_refused_by_name(new_user, path):
    user = new_user()
    item = user.post("/items", free_item()).body["id"]
    reply = user.get(path.format(me=user.id, item=item))
    assert reply.status == 400, reply.body
    field = reply.body["error"]["details"][0]["field"]
    assert field in {"catgory", "(empty name)", "x"}


def test_auction_terms_for_a_free_item_are_a_conflict_not_a_malformed_request(new_user):
    user = new_user()
    item = user.post("/items", free_item()).body
    terms = {"startPrice": 10, "currency": "EUR", "endsAt": "2030-01-01T00:00:00Z"}
    reply = user.put(f"/items/{item['id']}", {"title": "Changed", "auction": terms})
    assert reply.status == 409
    assert reply.body["error"]["code"] == "not_an_auction"
    after = user.get(f"/items/{item['id']}").body
    assert (after["title"], after["version"]) == (item["title"], item["version"])
