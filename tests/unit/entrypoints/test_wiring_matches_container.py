"""A deployed function's plain-Python wiring builds the parts the container builds.

The local server and the tests run the container; Lambda runs ``LambdaWiring`` (no
dependency-injector at its cold start). The two are written separately, so this test
holds them to the same parts: for the ``aws`` backend, each part (and each field of the
parts that bundle others) is of the same type in both.
"""

from __future__ import annotations

import inspect
from typing import Any

import attrs
import pytest
from dependency_injector import providers

from ecobid_adapters.aws.settings import AwsSettings
from ecobid_entrypoints.container import build_container
from ecobid_entrypoints.functions.wiring import LambdaWiring

SETTINGS = AwsSettings(
    table="ecobid-test",
    bucket="ecobid-test-images",
    bus="ecobid-test",
    user_pool_id="eu-central-1_test",
    client_id="client",
    region="eu-central-1",
    issuer="https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_test",
    endpoint_url="http://127.0.0.1:9",  # never reached: parts are made, not used
    schedule_group="ecobid-test",
    scheduler_role_arn="arn:aws:iam::123456789012:role/scheduler",
    end_auction_arn="arn:aws:lambda:eu-central-1:123456789012:function:EndAuction",
    expire_reservation_arn="arn:aws:lambda:eu-central-1:123456789012:function:Expire",
)
PARTS = ["image_store", "profile_copies", "moderator", "event_publisher", "scheduler"]
BUNDLES = ["image_ports", "notify", "deps"]


@pytest.fixture
def both(monkeypatch: pytest.MonkeyPatch) -> tuple[Any, LambdaWiring]:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    container = build_container("aws", aws_settings=SETTINGS)
    return container, LambdaWiring(SETTINGS)


@pytest.mark.parametrize("name", PARTS)
def test_each_part_is_the_same_kind_in_both(both: tuple[Any, LambdaWiring], name: str) -> None:
    container, wiring = both
    assert type(getattr(wiring, name)()) is type(getattr(container, name)())


@pytest.mark.parametrize("name", BUNDLES)
def test_each_bundle_holds_the_same_kinds_of_parts(
    both: tuple[Any, LambdaWiring], name: str
) -> None:
    container, wiring = both
    deployed, local = getattr(wiring, name)(), getattr(container, name)()
    assert type(deployed) is type(local)
    fields = [field.name for field in attrs.fields(type(local))]
    kinds = {field: _kind(getattr(deployed, field)) for field in fields}
    assert kinds == {field: _kind(getattr(local, field)) for field in fields}


def _kind(part: Any) -> str:
    """A part's type; for a factory (a method here, a provider there), what it makes."""
    if inspect.ismethod(part) or isinstance(part, providers.Provider):
        part = part()
    return type(part).__name__
