"""Settings from the environment, and the clients made from them."""

from __future__ import annotations

import pytest

from ecobid_adapters.aws.settings import AwsSettings, clients

ENV = {
    "ECOBID_TABLE": "ecobid-prod-items",
    "ECOBID_BUCKET": "ecobid-prod-images",
    "ECOBID_BUS": "ecobid-prod-events",
    "ECOBID_USER_POOL_ID": "eu-central-1_AbC",
    "ECOBID_CLIENT_ID": "client",
    "ECOBID_SCHEDULE_GROUP": "ecobid-prod-deadlines",
    "ECOBID_SCHEDULER_ROLE_ARN": "arn:aws:iam::123456789012:role/ecobid-prod-scheduler",
    "ECOBID_END_AUCTION_ARN": "arn:aws:lambda:eu-central-1:123456789012:function:end-auction",
    "ECOBID_EXPIRE_RESERVATION_ARN": "arn:aws:lambda:eu-central-1:123456789012:function:expire",
    "AWS_REGION": "eu-central-1",
}


def test_settings_read_the_environment_with_aws_defaults() -> None:
    settings = AwsSettings.from_env(ENV)
    assert settings.table == "ecobid-prod-items"
    assert settings.schedule_group == "ecobid-prod-deadlines"
    assert settings.end_auction_arn == ENV["ECOBID_END_AUCTION_ARN"]
    assert settings.issuer == "https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_AbC"
    assert settings.endpoint_url is None
    assert settings.jwks_url == f"{settings.issuer}/.well-known/jwks.json"


def test_an_endpoint_and_issuer_can_be_configured_and_written_back() -> None:
    env = {**ENV, "ECOBID_AWS_ENDPOINT_URL": "http://127.0.0.1:5000", "ECOBID_ISSUER": "iss"}
    settings = AwsSettings.from_env(env)
    assert settings.issuer == "iss"
    assert settings.jwks_url == "http://127.0.0.1:5000/eu-central-1_AbC/.well-known/jwks.json"
    assert AwsSettings.from_env(settings.to_env()) == settings


def test_only_functions_that_schedule_need_the_schedules_settings() -> None:
    env = {k: v for k, v in ENV.items() if "SCHEDULE" not in k and not k.endswith("_ARN")}
    settings = AwsSettings.from_env(env)
    assert (settings.schedule_group, settings.end_auction_arn) == (None, None)
    assert AwsSettings.from_env(settings.to_env()) == settings
    assert "ECOBID_SCHEDULE_GROUP" not in settings.to_env()


def test_every_missing_variable_is_named() -> None:
    env = {k: v for k, v in ENV.items() if k not in {"ECOBID_BUS", "AWS_REGION"}}
    with pytest.raises(KeyError, match="AWS_REGION, ECOBID_BUS"):
        AwsSettings.from_env(env)


def test_clients_are_made_once_per_process_with_standard_retries(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    env = {**ENV, "ECOBID_AWS_ENDPOINT_URL": "http://127.0.0.1:5000"}
    aws = clients(AwsSettings.from_env(env))
    assert clients(AwsSettings.from_env(env)) is aws
    assert aws.events is aws.events
    config = aws.events.meta.config
    assert config.retries["mode"] == "standard"
    # A local endpoint: the stand-in's longer read timeout (AWS's is checked below).
    assert (config.connect_timeout, config.read_timeout) == (3, 60)
    assert aws.s3.meta.endpoint_url == "http://127.0.0.1:5000"
    assert aws.s3.meta.config.s3["addressing_style"] == "path"
    assert aws.s3.meta.region_name == "eu-central-1"


def test_a_local_stand_in_gets_a_longer_read_timeout_than_aws() -> None:
    from ecobid_adapters.aws.settings import LOCAL_READ_TIMEOUT, AwsClients

    on_aws = AwsClients("eu-central-1").dynamodb.meta.config
    local = AwsClients("eu-central-1", "http://127.0.0.1:5000").dynamodb.meta.config
    assert on_aws.read_timeout == 10
    assert local.read_timeout == LOCAL_READ_TIMEOUT > on_aws.read_timeout
    # Both keep the same retries: only the wait for an answer differs.
    assert on_aws.retries == local.retries
