"""Hostile input over HTTP, on the memory and moto backends alike (issue 13's findings).

Text that no store can keep or that displays as something else is refused with 400 and
stores nothing; bodies must be JSON and answers are JSON; a refusal never repeats the
value it refuses.
"""

from __future__ import annotations

import http.client
import json
from urllib.parse import urlsplit

import pytest

from tests.support.builders import free_item
from tests.support.client import Reply, User, raw

pytestmark = pytest.mark.integration

RLO = "\u202e"


def _owned(user: User) -> list[dict]:
    reply = user.get(f"/items?ownerId={user.id}")
    assert reply.status == 200
    return reply.body["items"]


def _send(user: User, method: str, path: str, text: str, **headers: str) -> Reply:
    """A body as the exact JSON text given (escapes and all), with the headers given."""
    return raw(
        user.api.url,
        method,
        path,
        data=text.encode(),
        headers={"Authorization": f"Bearer {user.token}", **headers},
    )


def _item_text(**fields: str) -> str:
    """An item body as JSON text whose string fields are spliced in verbatim."""
    body = json.dumps(free_item(title="TITLE", description="DESCRIPTION"))
    for name, escaped in fields.items():
        body = body.replace(f'"{name.upper()}"', f'"{escaped}"')
    return body


def _refused(reply: Reply, field: str, rule: str) -> None:
    assert reply.status == 400, reply.body
    assert reply.code == "validation_error"
    assert {"field": field, "message": rule} in reply.body["error"]["details"]


@pytest.mark.parametrize(
    ("fields", "field", "rule"),
    [
        # A lone surrogate as JSON's escape: stored on memory and a 500 on moto before.
        ({"title": "Lamp \\ud800"}, "title", "must be valid Unicode (has a lone surrogate U+D800)"),
        (
            {"description": "\\udfff"},
            "description",
            "must be valid Unicode (has a lone surrogate U+DFFF)",
        ),
        ({"title": "Lamp\\u0000"}, "title", "must not contain a control character (has U+0000)"),
        ({"title": "La\\u001bmp"}, "title", "must not contain a control character (has U+001B)"),
        (
            {"description": "a\\u0085b"},
            "description",
            "must not contain a control character (has U+0085)",
        ),
        (
            {"title": "Lamp\\nshade"},
            "title",
            "must be one line without tabs (has control character U+000A)",
        ),
        (
            {"title": f"Lamp{RLO}pmal"},
            "title",
            "must not contain a bidirectional embedding or override (has U+202E)",
        ),
        (
            {"description": "\\u2066x\\u2069"},
            "description",
            "must not contain a bidirectional isolate (has U+2066)",
        ),
    ],
)
def test_refused_text_is_a_400_naming_field_and_rule_and_stores_nothing(
    new_user, fields, field, rule
) -> None:
    owner = new_user()
    reply = _send(owner, "POST", "/items", _item_text(**fields))
    _refused(reply, field, rule)
    assert _owned(owner) == []


def test_an_edit_with_refused_text_changes_nothing(new_user) -> None:
    owner = new_user()
    item = owner.post("/items", free_item()).body
    path = f"/items/{item['id']}"
    for text in ('{"title": "x\\ud800"}', '{"description": "\\u0007"}', '{"title": "\u202dx"}'):
        assert _send(owner, "PUT", path, text).status == 400
    assert owner.get(path).body == item


def test_a_profile_refuses_overrides_and_controls(new_user) -> None:
    me = new_user()
    before = me.get(f"/users/{me.id}").body
    for text in ('{"displayName": "\u202eeve"}', '{"bio": "\\u0000"}', '{"bio": "\\udbff"}'):
        reply = _send(me, "PUT", f"/users/{me.id}", text)
        assert reply.status == 400 and reply.code == "validation_error", text
    assert me.get(f"/users/{me.id}").body == before
    assert me.put(f"/users/{me.id}", {"bio": "Line one\n\tLine two"}).status == 200


def test_text_is_stored_in_nfc_and_counted_so(new_user) -> None:
    owner = new_user()
    decomposed = "Cafe\u0301 " + "e\u0301" * 115  # 236 code points, 120 once composed
    reply = owner.post("/items", free_item(title=decomposed, description="Cre\u0300me"))
    assert reply.status == 201, reply.body
    stored = owner.get(f"/items/{reply.body['id']}").body
    assert stored["title"] == "Caf\u00e9 " + "\u00e9" * 115
    assert stored["description"] == "Cr\u00e8me"


@pytest.mark.parametrize(
    "content_type",
    ["application/x-www-form-urlencoded", "application/xml", "text/plain", "multipart/form-data"],
)
def test_a_body_that_is_not_json_is_415_and_stores_nothing(new_user, content_type) -> None:
    owner = new_user()
    body = json.dumps(free_item())
    reply = _send(owner, "POST", "/items", body, **{"Content-Type": content_type})
    assert reply.status == 415
    assert reply.code == "unsupported_media_type"
    assert set(reply.body["error"]) == {"code", "message", "details", "requestId"}
    assert _owned(owner) == []


def test_a_body_without_content_type_is_415(new_user) -> None:
    owner = new_user()
    url = urlsplit(owner.api.url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    try:
        connection.putrequest("POST", "/items", skip_accept_encoding=True)
        payload = json.dumps(free_item()).encode()
        connection.putheader("Authorization", f"Bearer {owner.token}")
        connection.putheader("Content-Length", str(len(payload)))
        connection.endheaders(payload)
        response = connection.getresponse()
        status, body = response.status, json.loads(response.read())
    finally:
        connection.close()
    assert status == 415
    assert body["error"]["code"] == "unsupported_media_type"
    assert _owned(owner) == []


def test_json_with_parameters_and_any_letter_case_is_accepted(new_user) -> None:
    owner = new_user()
    body = json.dumps(free_item())
    reply = _send(
        owner, "POST", "/items", body, **{"Content-Type": "Application/JSON; charset=UTF-8"}
    )
    assert reply.status == 201


@pytest.mark.parametrize(
    ("accept", "status"),
    [
        ("text/html", 406),
        ("application/xml, text/*", 406),
        ("application/json;q=0, */*", 406),
        ("*/*", 200),
        ("application/*", 200),
        ("text/html;q=0.9, application/json;q=0.1", 200),
    ],
)
def test_accept_is_honoured(new_user, accept, status) -> None:
    user = new_user()
    reply = user.get(f"/users/{user.id}", Accept=accept)
    assert reply.status == status
    if status == 406:
        assert reply.code == "not_acceptable"


def test_a_write_whose_answer_cannot_be_accepted_changes_nothing(new_user) -> None:
    owner = new_user()
    reply = owner.post("/items", free_item(), Accept="text/html")
    assert reply.status == 406
    assert _owned(owner) == []


def test_a_60_kib_value_is_refused_in_under_1_kib_without_being_repeated(new_user) -> None:
    owner = new_user()
    hostile = "<b>" + "A" * 60 * 1024
    reply = owner.post("/items", free_item(title=hostile))
    _refused(reply, "title", "must be at most 120 characters")
    rendered = json.dumps(reply.body)
    assert len(rendered) < 1024
    assert "<b>" not in rendered and "AAAA" not in rendered
    assert _owned(owner) == []
