"""The API on DynamoDB (moto backend): what the HTTP suites run under, and what they cost."""

from __future__ import annotations

import pytest

from ecobid_adapters.aws.dynamodb.metering import RequestMeter, ScanForbidden
from tests.support.builders import free_item
from tests.support.client import Api

pytestmark = [pytest.mark.integration, pytest.mark.parametrize("api", ["moto"], indirect=True)]


def test_the_servers_table_client_refuses_scans(api: Api) -> None:
    client = api.container.dynamodb_client()
    with pytest.raises(ScanForbidden):
        client.scan(TableName=api.container.aws_settings().table)


def test_a_nearby_search_over_http_reads_only_its_cells(api: Api, new_user) -> None:
    owner, seeker = new_user(), new_user()
    here = {"lat": 40.4168, "lon": -3.7038}  # Madrid: no other test puts items here
    made = {owner.post("/items", free_item(location=here)).body["id"] for _ in range(3)}
    seeker.get(f"/users/{seeker.id}")  # the first sight of them, with its write, is done
    meter = RequestMeter()
    with meter.attached(api.container.dynamodb_client()):
        reply = seeker.get(f"/items?lat={here['lat']}&lon={here['lon']}&radiusKm=1")
    assert reply.status == 200
    assert {item["id"] for item in reply.body["items"]} == made
    # docs/access-patterns.md: at most the caller's profile (one GetItem, unless this
    # process has seen them), then one query per key range the plan reads (16 at most a
    # page); only the items shown read, never a Scan.
    assert set(meter.calls) <= {"GetItem", "Query"}
    assert meter.calls["GetItem"] <= 1
    assert 1 <= meter.calls["Query"] <= 16
    assert meter.items_read["Query"] == len(made)
