"""The container picks each port's adapter from configuration alone."""

from __future__ import annotations

import pytest

from ecobid_adapters.aws.cognito_profiles import CognitoProfileSync
from ecobid_adapters.aws.cognito_tokens import CognitoTokenVerifier
from ecobid_adapters.aws.dynamodb import DynamoUnitOfWork
from ecobid_adapters.aws.eventbridge import EventBridgePublisher
from ecobid_adapters.aws.rekognition import RekognitionModerator
from ecobid_adapters.aws.s3_images import S3ImageStore
from ecobid_adapters.aws.scheduler import EventBridgeScheduler
from ecobid_adapters.aws.settings import AwsSettings
from ecobid_adapters.memory import MemoryUnitOfWork
from ecobid_adapters.memory.events import InProcessEventBus
from ecobid_adapters.memory.images import MemoryImageStore
from ecobid_adapters.memory.moderation import LocalModerator
from ecobid_adapters.memory.scheduler import LocalScheduler
from ecobid_adapters.memory.tokens import LocalTokens
from ecobid_entrypoints.container import build_container

ENV = {
    "ECOBID_TABLE": "ecobid-prod-items",
    "ECOBID_BUCKET": "ecobid-prod-images",
    "ECOBID_BUS": "ecobid-prod-events",
    "ECOBID_USER_POOL_ID": "eu-central-1_abc",
    "ECOBID_CLIENT_ID": "client123",
    "ECOBID_SCHEDULE_GROUP": "ecobid-prod-deadlines",
    "ECOBID_SCHEDULER_ROLE_ARN": "arn:aws:iam::123456789012:role/ecobid-prod-scheduler",
    "ECOBID_END_AUCTION_ARN": "arn:aws:lambda:eu-central-1:123456789012:function:end-auction",
    "ECOBID_EXPIRE_RESERVATION_ARN": "arn:aws:lambda:eu-central-1:123456789012:function:expire",
    "AWS_REGION": "eu-central-1",
}


def test_memory_is_the_default_and_needs_no_configuration() -> None:
    container = build_container()
    assert isinstance(container.unit_of_work(), MemoryUnitOfWork)
    assert isinstance(container.tokens(), LocalTokens)
    assert container.dev_sign_in() is container.tokens()
    assert isinstance(container.event_publisher(), InProcessEventBus)
    assert container.profile_copies() is None
    assert isinstance(container.image_store(), MemoryImageStore)
    assert container.deps().images is container.image_store()
    ports = container.image_ports()
    assert ports.store is container.image_store()
    assert isinstance(ports.moderator, LocalModerator)
    assert isinstance(container.scheduler(), LocalScheduler)
    assert container.due_schedules() is container.scheduler()


def test_aws_adapters_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    container = build_container("aws")
    uow = container.unit_of_work()
    assert isinstance(uow, DynamoUnitOfWork)
    assert uow.table_name == "ecobid-prod-items"
    assert uow.client.meta.region_name == "eu-central-1"
    assert isinstance(container.tokens(), CognitoTokenVerifier)
    assert isinstance(container.event_publisher(), EventBridgePublisher)
    assert isinstance(container.profile_copies(), CognitoProfileSync)
    assert container.deps().profile_copies is container.profile_copies()
    assert isinstance(container.image_store(), S3ImageStore)
    assert container.deps().images is container.image_store()
    assert container.image_ports().store is container.image_store()
    assert isinstance(container.image_ports().moderator, RekognitionModerator)
    # A deployed stage hands out no tokens: Cognito does.
    assert container.dev_sign_in() is None
    assert isinstance(container.scheduler(), EventBridgeScheduler)
    assert container.due_schedules() is None  # EventBridge Scheduler fires by itself
    # One client per process, shared by every unit of work.
    assert container.unit_of_work().client is uow.client


def test_settings_can_be_given_instead_of_read() -> None:
    settings = AwsSettings.from_env({**ENV, "ECOBID_TABLE": "given-table"})
    container = build_container("aws", aws_settings=settings)
    assert container.unit_of_work().table_name == "given-table"


def test_missing_aws_settings_are_named(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(KeyError, match="ECOBID_TABLE"):
        build_container("aws").unit_of_work()


def test_an_unknown_backend_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown backend"):
        build_container("sqlite")
