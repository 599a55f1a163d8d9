"""The dependency-injector container: which adapters serve the ports, by configuration.

``config.backend`` picks the family: ``memory`` (everything in this process) or ``aws``
(DynamoDB, S3, Cognito, EventBridge, wherever ``AwsSettings`` says, read from the
environment unless ``aws_settings`` is overridden). Built once per process (a Lambda cold
start, a local server); units of work come from it fresh for every attempt of every
request.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

from dependency_injector import containers, providers

from ecobid_adapters.aws.cognito_profiles import CognitoProfileSync
from ecobid_adapters.aws.cognito_tokens import CognitoTokenVerifier
from ecobid_adapters.aws.dynamodb import DynamoUnitOfWork
from ecobid_adapters.aws.eventbridge import EventBridgePublisher
from ecobid_adapters.aws.rekognition import RekognitionModerator
from ecobid_adapters.aws.s3_images import S3ImageStore
from ecobid_adapters.aws.settings import AwsClients, AwsSettings, clients
from ecobid_adapters.memory import MemoryStore, MemoryUnitOfWork
from ecobid_adapters.memory.events import InProcessEventBus
from ecobid_adapters.memory.images import MemoryImageStore
from ecobid_adapters.memory.tokens import LocalTokens
from ecobid_adapters.system import AdjustableClock, SystemClock, UuidIds
from ecobid_core.model.events import DomainEvent
from ecobid_core.services.images import ImagePorts
from ecobid_entrypoints.api.app import ApiApp
from ecobid_entrypoints.api.deps import AppDeps
from ecobid_entrypoints.processors.consumers import notify

BACKENDS = ("memory", "aws")

OnCommit = Callable[[Sequence[DomainEvent]], None]


def _dynamodb(aws: AwsClients) -> Any:
    return aws.dynamodb


def _cognito(aws: AwsClients) -> Any:
    return aws.cognito


def _events(aws: AwsClients) -> Any:
    return aws.events


def _s3(aws: AwsClients) -> Any:
    return aws.s3


def _rekognition(aws: AwsClients) -> Any:
    return aws.rekognition


# Pillow is imported only where photos are processed (the image function, the local
# server): no API function pays for it at a cold start.
def _pillow_processor() -> Any:
    from ecobid_adapters.images.pipeline import PillowImageProcessor

    return PillowImageProcessor()


def _local_moderator() -> Any:
    from ecobid_adapters.memory.moderation import LocalModerator

    return LocalModerator()


class Container(containers.DeclarativeContainer):
    config = providers.Configuration()

    # The domain's clock; only the local server's /_dev/clock ever moves it.
    clock = providers.Singleton(AdjustableClock)
    # Token expiry is real time on AWS: Cognito issues by it, whatever the domain's clock.
    wall_clock = providers.Singleton(SystemClock)
    ids = providers.Singleton(UuidIds)
    event_bus = providers.Singleton(InProcessEventBus)

    memory_store = providers.Singleton(MemoryStore)
    local_tokens = providers.Singleton(LocalTokens, clock=clock)

    aws_settings = providers.Singleton(AwsSettings.from_env)
    aws_clients = providers.Singleton(clients, aws_settings)
    dynamodb_client = providers.Singleton(_dynamodb, aws_clients)
    # In AWS the table's stream carries committed events on; a local server without a
    # stream overrides this with its in-process bus.
    on_commit: providers.Provider[OnCommit | None] = providers.Object(None)

    unit_of_work = providers.Selector(
        config.backend,
        memory=providers.Factory(MemoryUnitOfWork, store=memory_store),
        aws=providers.Factory(
            DynamoUnitOfWork,
            client=dynamodb_client,
            table_name=aws_settings.provided.table,
            on_commit=on_commit,
        ),
    )

    tokens = providers.Selector(
        config.backend,
        memory=local_tokens,
        aws=providers.Singleton(
            CognitoTokenVerifier,
            jwks_url=aws_settings.provided.jwks_url,
            issuer=aws_settings.provided.issuer,
            client_id=aws_settings.provided.client_id,
            clock=wall_clock,
        ),
    )

    # Who hands out tokens on the local server's /_dev/token: None where nobody may.
    dev_sign_in = providers.Selector(
        config.backend,
        memory=local_tokens,
        aws=providers.Object(None),
    )

    profile_copies = providers.Selector(
        config.backend,
        memory=providers.Object(None),
        aws=providers.Singleton(
            CognitoProfileSync,
            client=providers.Singleton(_cognito, aws_clients),
            pool_id=aws_settings.provided.user_pool_id,
        ),
    )

    # On memory, the local server at ``config.local_url`` takes uploads and serves images.
    image_store = providers.Selector(
        config.backend,
        memory=providers.Singleton(MemoryImageStore, base_url=config.local_url, clock=clock),
        aws=providers.Singleton(
            S3ImageStore,
            client=providers.Singleton(_s3, aws_clients),
            bucket=aws_settings.provided.bucket,
        ),
    )

    moderator = providers.Selector(
        config.backend,
        memory=providers.Singleton(_local_moderator),
        aws=providers.Singleton(
            RekognitionModerator, client=providers.Singleton(_rekognition, aws_clients)
        ),
    )
    image_ports = providers.Singleton(
        ImagePorts,
        uow_factory=unit_of_work.provider,
        clock=clock,
        store=image_store,
        processor=providers.Singleton(_pillow_processor),
        moderator=moderator,
    )

    event_publisher = providers.Selector(
        config.backend,
        memory=event_bus,
        aws=providers.Singleton(
            EventBridgePublisher,
            client=providers.Singleton(_events, aws_clients),
            bus_name=aws_settings.provided.bus,
        ),
    )

    deps = providers.Singleton(
        AppDeps,
        uow_factory=unit_of_work.provider,
        clock=clock,
        ids=ids,
        images=image_store,
        profile_copies=profile_copies,
        hold_for=providers.Factory(timedelta, hours=config.hold_hours.as_float()),
    )

    api = providers.Singleton(ApiApp, deps=deps)


def build_container(
    backend: str = "memory",
    hold_hours: float = 24.0,
    aws_settings: AwsSettings | None = None,
) -> Container:
    """A container for ``backend``; ``aws_settings`` replaces the environment's."""
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")
    container = Container()
    container.config.from_dict(
        {"backend": backend, "hold_hours": hold_hours, "local_url": "http://127.0.0.1:8080"}
    )
    if aws_settings is not None:
        container.aws_settings.override(providers.Object(aws_settings))
    if backend == "memory":
        container.memory_store().subscribers.append(container.event_bus().publish)
        subscribe_consumers(container)
    return container


def deliver_in_process(container: Container) -> None:
    """Committed events go straight to the in-process bus, and on to the consumers.

    For a local server on the ``aws`` backend, which has no stream relay and no
    EventBridge rules to do it.
    """
    container.on_commit.override(providers.Object(container.event_bus().publish))
    subscribe_consumers(container)


def subscribe_consumers(container: Container) -> None:
    uow_factory = container.unit_of_work
    container.event_bus().subscribe(lambda event: notify(event, uow_factory))
