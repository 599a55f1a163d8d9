"""POST/GET /items and GET/PUT/DELETE /items/{id} over HTTP."""

from __future__ import annotations

import pytest

from tests.support.builders import free_item, spot
from tests.support.client import raw

pytestmark = pytest.mark.integration


def test_create_returns_the_item_with_location_header(new_user):
    owner = new_user()
    reply = owner.post("/items", free_item(title="  Lamp  "))
    assert reply.status == 201
    item = reply.body
    assert reply.headers["location"] == f"/items/{item['id']}"
    assert item["title"] == "Lamp"
    assert item["status"] == "available"
    assert item["ownerId"] == owner.id
    assert item["version"] == 1
    assert item["createdAt"].endswith("Z")
    assert "auction" not in item
    assert owner.get(f"/items/{item['id']}").body == item


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 121}, "title"),
        ({"description": "x" * 2001}, "description"),
        ({"category": "cars"}, "category"),
        ({"type": "swap"}, "type"),
        ({"location": {"lat": 91, "lon": 0}}, "location.lat"),
        ({"location": {"lat": 0, "lon": -180.5}}, "location.lon"),
        ({"location": {"lat": "52", "lon": 13}}, "location.lat"),
        ({"colour": "red"}, "colour"),
        ({"type": "auction"}, "auction"),
        (
            {"auction": {"startPrice": 100, "currency": "EUR", "endsAt": "2030-01-01T00:00:00Z"}},
            "auction",
        ),
    ],
)
def test_bad_items_are_refused_with_the_field_named(new_user, change, field):
    reply = new_user().post("/items", free_item(**change))
    assert reply.status == 400
    assert reply.code == "validation_error"
    assert field in {d["field"] for d in reply.body["error"]["details"]}


def test_malformed_json_and_non_objects_are_400(new_user):
    user = new_user()
    for payload in (b"{not json", b"[1, 2]", b'{"title": NaN}', b"", b"\xff\xfe"):
        reply = raw(
            user.api.url,
            "POST",
            "/items",
            data=payload,
            headers={"Authorization": f"Bearer {user.token}"},
        )
        assert reply.status == 400, payload
        assert reply.code == "validation_error"
        assert "Traceback" not in str(reply.body)


def test_a_body_over_64_kib_is_413(new_user):
    reply = new_user().post("/items", free_item(description="x" * 70_000))
    assert reply.status == 413
    assert reply.code == "payload_too_large"


def test_get_unknown_item_is_404(new_user):
    reply = new_user().get("/items/nope")
    assert reply.status == 404
    assert reply.code == "not_found"


def test_owner_edits_and_if_match_guards_against_stale_writes(new_user):
    owner = new_user()
    item = owner.post("/items", free_item()).body
    edited = owner.put(
        f"/items/{item['id']}",
        {"title": "Walnut chair", "category": "other"},
        **{"If-Match": '"1"'},
    )
    assert edited.status == 200
    assert (edited.body["title"], edited.body["category"], edited.body["version"]) == (
        "Walnut chair",
        "other",
        2,
    )
    assert edited.headers["etag"] == '"2"'
    stale = owner.put(f"/items/{item['id']}", {"title": "Pine chair"}, **{"If-Match": '"1"'})
    assert stale.status == 409
    assert stale.code == "version_conflict"
    assert owner.get(f"/items/{item['id']}").body["title"] == "Walnut chair"


def test_edit_refuses_fields_that_are_not_editable(new_user):
    owner = new_user()
    item = owner.post("/items", free_item()).body
    for body in ({"status": "given"}, {"ownerId": "me"}, {}, {"title": ""}):
        reply = owner.put(f"/items/{item['id']}", body)
        assert reply.status == 400, body
    garbled = owner.put(f"/items/{item['id']}", {"title": "x"}, **{"If-Match": "yesterday"})
    assert garbled.status == 400
    assert owner.get(f"/items/{item['id']}").body == item


def test_withdraw_hides_the_item_from_others_and_cancels_a_hold(new_user):
    owner, taker, other = new_user(), new_user(), new_user()
    item = owner.post("/items", free_item()).body
    hold = taker.post(f"/items/{item['id']}/reserve").body
    assert owner.delete(f"/items/{item['id']}").status == 204
    assert other.get(f"/items/{item['id']}").status == 404
    assert owner.get(f"/items/{item['id']}").body["status"] == "withdrawn"
    again = owner.delete(f"/items/{item['id']}")
    assert (again.status, again.code) == (409, "item_not_available")
    cancelled = taker.post(f"/reservations/{hold['id']}/confirm")
    assert cancelled.status == 403  # the taker never confirms; and the hold is gone anyway
    assert owner.post(f"/reservations/{hold['id']}/confirm").code == "reservation_not_pending"


def test_nearby_search_is_nearest_first_within_radius(new_user):
    owner, seeker = new_user(), new_user()
    centre = spot()
    made = {}
    for km in (0.2, 1.0, 3.0, 4.5, 7.0):
        where = {"lat": centre["lat"] + km / 111.2, "lon": centre["lon"]}
        made[km] = owner.post("/items", free_item(where, title=f"{km} km")).body["id"]
    reply = seeker.get(f"/items?lat={centre['lat']}&lon={centre['lon']}&radiusKm=5")
    assert reply.status == 200
    got = [(i["id"], i["distanceKm"]) for i in reply.body["items"]]
    assert [i for i, _ in got] == [made[k] for k in (0.2, 1.0, 3.0, 4.5)]
    for (_, distance), km in zip(got, (0.2, 1.0, 3.0, 4.5), strict=True):
        assert distance == pytest.approx(km, abs=0.01)
    assert reply.body["nextCursor"] is None


def test_nearby_search_pages_with_a_cursor(new_user):
    owner, seeker = new_user(), new_user()
    centre = spot()
    ids = {
        owner.post(
            "/items", free_item({"lat": centre["lat"] + n * 0.001, "lon": centre["lon"]})
        ).body["id"]
        for n in range(7)
    }
    seen, cursor = [], ""
    while True:
        reply = seeker.get(f"/items?lat={centre['lat']}&lon={centre['lon']}&limit=3{cursor}")
        seen += [i["id"] for i in reply.body["items"]]
        if reply.body["nextCursor"] is None:
            break
        cursor = f"&cursor={reply.body['nextCursor']}"
    assert sorted(seen) == sorted(ids) and len(seen) == len(ids)


def test_search_filters_by_category_and_type_and_hides_non_live_items(new_user):
    owner, taker, seeker = new_user(), new_user(), new_user()
    centre = spot()
    books = owner.post("/items", free_item(centre, category="books")).body["id"]
    owner.post("/items", free_item(centre, category="toys"))
    reserved = owner.post("/items", free_item(centre, category="books")).body["id"]
    taker.post(f"/items/{reserved}/reserve")
    gone = owner.post("/items", free_item(centre, category="books")).body["id"]
    owner.delete(f"/items/{gone}")
    query = f"/items?lat={centre['lat']}&lon={centre['lon']}"
    assert [i["id"] for i in seeker.get(query + "&category=books").body["items"]] == [books]
    assert seeker.get(query + "&type=auction").body["items"] == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("lat=52.5", "lon"),
        ("lon=13", "lat"),
        ("lat=abc&lon=13", "lat"),
        ("lat=95&lon=13", "lat"),
        ("lat=52&lon=13&radiusKm=51", "radiusKm"),
        ("lat=52&lon=13&radiusKm=0", "radiusKm"),
        ("lat=52&lon=13&limit=101", "limit"),
        ("lat=52&lon=13&limit=0", "limit"),
        ("lat=52&lon=13&category=cars", "category"),
        ("lat=52&lon=13&type=swap", "type"),
        ("lat=52&lon=13&cursor=garbage!", "cursor"),
    ],
)
def test_bad_search_parameters_are_400(new_user, query, field):
    reply = new_user().get(f"/items?{query}")
    assert reply.status == 400
    assert reply.body["error"]["details"][0]["field"] == field


def test_owner_listing_is_newest_first_and_hides_withdrawn_from_others(new_user):
    owner, other = new_user(), new_user()
    first = owner.post("/items", free_item(title="first")).body["id"]
    second = owner.post("/items", free_item(title="second")).body["id"]
    third = owner.post("/items", free_item(title="third")).body["id"]
    owner.delete(f"/items/{second}")
    mine = owner.get(f"/items?ownerId={owner.id}").body["items"]
    assert [i["id"] for i in mine] == [third, second, first]
    theirs = other.get(f"/items?ownerId={owner.id}&limit=1")
    listed, cursor = [i["id"] for i in theirs.body["items"]], theirs.body["nextCursor"]
    while cursor:
        page = other.get(f"/items?ownerId={owner.id}&limit=1&cursor={cursor}").body
        listed += [i["id"] for i in page["items"]]
        cursor = page["nextCursor"]
    assert listed == [third, first]


def test_cors_preflight_needs_no_token(api):
    reply = raw(api.url, "OPTIONS", "/items/anything")
    assert reply.status == 204
    assert reply.headers["access-control-allow-origin"] == "*"
    assert "Authorization" in reply.headers["access-control-allow-headers"]
