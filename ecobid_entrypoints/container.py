"""The dependency-injector container: which adapters serve the ports, by configuration.

``config.backend`` picks the family: ``memory`` (everything in this process) or ``aws``
(DynamoDB, S3, Cognito, EventBridge, wherever ``AwsSettings`` says, read from the
environment unless ``aws_settings`` is overridden). Built once per process (a Lambda cold
start, a local server); units of work come from it fresh for every attempt of every
request.

Every adapter is named by its import path and imported the first time its provider is
called (``lazy``): a Lambda function imports, and makes clients for, only what it uses.
Importing this module imports no adapter, no boto3, no JWT code and no API view.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from functools import partial
from typing import Any

from dependency_injector import containers, providers

from ecobid_core.model.events import DomainEvent
from ecobid_entrypoints.lazy import lazy

BACKENDS = ("memory", "aws")

OnCommit = Callable[[Sequence[DomainEvent]], None]

_AWS = "ecobid_adapters.aws"
_mem = "ecobid_adapters.memory.notify"
_ddb = f"{_AWS}.dynamodb.notify"


def _client(service: str) -> Callable[[Any], Any]:
    """A factory taking the process's ``AwsClients``: that one client, made on first use."""

    def make(aws: Any) -> Any:
        return getattr(aws, service)

    return make


class Container(containers.DeclarativeContainer):
    config = providers.Configuration()

    # The domain's clock; only the local server's /_dev/clock ever moves it.
    clock = providers.Singleton(lazy("ecobid_adapters.system:AdjustableClock"))
    # Token expiry is real time on AWS: Cognito issues by it, whatever the domain's clock.
    wall_clock = providers.Singleton(lazy("ecobid_adapters.system:SystemClock"))
    ids = providers.Singleton(lazy("ecobid_adapters.system:UuidIds"))
    event_bus = providers.Singleton(lazy("ecobid_adapters.memory.events:InProcessEventBus"))

    memory_store = providers.Singleton(lazy("ecobid_adapters.memory:MemoryStore"))
    # Real time here too, as on every other backend: /_dev/clock moves auctions and holds,
    # not the age of the tokens (moving it an hour would otherwise end every session).
    local_tokens = providers.Singleton(
        lazy("ecobid_adapters.memory.tokens:LocalTokens"), clock=wall_clock
    )

    aws_settings = providers.Singleton(lazy(f"{_AWS}.settings:AwsSettings.from_env"))
    aws_clients = providers.Singleton(lazy(f"{_AWS}.settings:clients"), aws_settings)
    dynamodb_client = providers.Singleton(_client("dynamodb"), aws_clients)
    # In AWS the table's stream carries committed events on; a local server without a
    # stream overrides this with its in-process bus.
    on_commit: providers.Provider[OnCommit | None] = providers.Object(None)

    unit_of_work = providers.Selector(
        config.backend,
        memory=providers.Factory(
            lazy("ecobid_adapters.memory:MemoryUnitOfWork"), store=memory_store
        ),
        aws=providers.Factory(
            lazy(f"{_AWS}.dynamodb:DynamoUnitOfWork"),
            client=dynamodb_client,
            table_name=aws_settings.provided.table,
            on_commit=on_commit,
        ),
    )

    # The local server checks tokens with these; in AWS the authorizer already has.
    tokens = providers.Selector(
        config.backend,
        memory=local_tokens,
        aws=providers.Singleton(
            lazy(f"{_AWS}.cognito_tokens:CognitoTokenVerifier"),
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
            lazy(f"{_AWS}.cognito_profiles:CognitoProfileSync"),
            client=providers.Singleton(_client("cognito"), aws_clients),
            pool_id=aws_settings.provided.user_pool_id,
        ),
    )

    # On memory, the local server at ``config.local_url`` takes uploads and serves images.
    image_store = providers.Selector(
        config.backend,
        memory=providers.Singleton(
            lazy("ecobid_adapters.memory.images:MemoryImageStore"),
            base_url=config.local_url,
            clock=clock,
        ),
        aws=providers.Singleton(
            lazy(f"{_AWS}.s3_images:S3ImageStore"),
            client=providers.Singleton(_client("s3"), aws_clients),
            bucket=aws_settings.provided.bucket,
        ),
    )

    moderator = providers.Selector(
        config.backend,
        memory=providers.Singleton(lazy("ecobid_adapters.memory.moderation:LocalModerator")),
        aws=providers.Singleton(
            lazy(f"{_AWS}.rekognition:RekognitionModerator"),
            client=providers.Singleton(_client("rekognition"), aws_clients),
        ),
    )
    # Pillow is imported only where photos are processed (the image function, the local
    # server): no API function pays for it at a cold start.
    image_ports = providers.Singleton(
        lazy("ecobid_core.services.images:ImagePorts"),
        uow_factory=unit_of_work.provider,
        clock=clock,
        store=image_store,
        processor=providers.Singleton(lazy("ecobid_adapters.images.pipeline:PillowImageProcessor")),
        moderator=moderator,
    )

    event_publisher = providers.Selector(
        config.backend,
        memory=event_bus,
        aws=providers.Singleton(
            lazy(f"{_AWS}.eventbridge:EventBridgePublisher"),
            client=providers.Singleton(_client("events"), aws_clients),
            bus_name=aws_settings.provided.bus,
        ),
    )

    # One-time schedules end auctions and lapse holds on time. The local one fires what is
    # due when /_dev/clock moves (``due_schedules``); in AWS, EventBridge Scheduler does.
    local_scheduler = providers.Singleton(
        lazy("ecobid_adapters.memory.scheduler:LocalScheduler"), clock=clock
    )
    scheduler = providers.Selector(
        config.backend,
        memory=local_scheduler,
        aws=providers.Singleton(
            lazy(f"{_AWS}.scheduler:EventBridgeScheduler"),
            client=providers.Singleton(_client("scheduler"), aws_clients),
            group=aws_settings.provided.schedule_group,
            role_arn=aws_settings.provided.scheduler_role_arn,
            dead_letter_arn=aws_settings.provided.schedule_dead_letter_arn,
            # Keyed by the job names in ecobid_core.services.deadlines.
            targets=providers.Dict(
                EndAuction=aws_settings.provided.end_auction_arn,
                ExpireReservation=aws_settings.provided.expire_reservation_arn,
            ),
        ),
    )
    due_schedules = providers.Selector(
        config.backend, memory=local_scheduler, aws=providers.Object(None)
    )

    # Notifications that reach people: alerts, devices, the inbox and the push service.
    # With no platform application configured, the SNS sender pushes nothing.
    alert_store = providers.Selector(
        config.backend,
        memory=providers.Singleton(lazy(f"{_mem}:MemoryAlerts")),
        aws=providers.Singleton(
            lazy(f"{_ddb}:DynamoAlerts"), client=dynamodb_client, table=aws_settings.provided.table
        ),
    )
    push_settings = providers.Selector(
        config.backend,
        memory=providers.Singleton(lazy(f"{_mem}:MemoryPushSettings")),
        aws=providers.Singleton(
            lazy(f"{_ddb}:DynamoPushSettings"),
            client=dynamodb_client,
            table=aws_settings.provided.table,
        ),
    )
    inbox = providers.Selector(
        config.backend,
        memory=providers.Singleton(lazy(f"{_mem}:MemoryInbox"), store=memory_store),
        aws=providers.Singleton(
            lazy(f"{_ddb}:DynamoInbox"), client=dynamodb_client, table=aws_settings.provided.table
        ),
    )
    push_rates = providers.Selector(
        config.backend,
        memory=providers.Singleton(lazy(f"{_mem}:MemoryPushRates")),
        aws=providers.Singleton(
            lazy(f"{_ddb}:DynamoPushRates"),
            client=dynamodb_client,
            table=aws_settings.provided.table,
        ),
    )
    push_sender = providers.Selector(
        config.backend,
        memory=providers.Singleton(lazy(f"{_mem}:LocalPushSender")),
        aws=providers.Singleton(
            lazy(f"{_AWS}.sns_push:SnsPushSender"),
            client=providers.Singleton(_client("sns"), aws_clients),
            applications=providers.Dict(
                ios=aws_settings.provided.apns_application_arn,
                android=aws_settings.provided.fcm_application_arn,
            ),
        ),
    )
    notify = providers.Singleton(
        lazy("ecobid_core.services.notify_ports:NotifyPorts"),
        uow_factory=unit_of_work.provider,
        alerts=alert_store,
        settings=push_settings,
        inbox=inbox,
        rates=push_rates,
        sender=push_sender,
        clock=clock,
        ids=ids,
    )
    # What /_dev/pushes shows: the local sender's record; the moto backend sets its own.
    dev_pushes: providers.Provider[Any] = providers.Selector(
        config.backend, memory=push_sender, aws=providers.Object(None)
    )

    # The image store and the profile copies are handed over as providers: a route that
    # never serves an image URL or edits a profile never makes an S3 or Cognito client.
    deps = providers.Singleton(
        lazy("ecobid_entrypoints.api.deps:AppDeps"),
        uow_factory=unit_of_work.provider,
        clock=clock,
        ids=ids,
        images_provider=image_store.provider,
        profile_copies_provider=profile_copies.provider,
        notify_provider=notify.provider,
        hold_for=providers.Factory(timedelta, hours=config.hold_hours.as_float()),
    )

    api = providers.Singleton(lazy("ecobid_entrypoints.api.app:ApiApp"), deps=deps)


def build_container(
    backend: str = "memory",
    hold_hours: float = 24.0,
    aws_settings: Any | None = None,
) -> Container:
    """A container for ``backend``; ``aws_settings`` (``AwsSettings``) replaces the
    environment's."""
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
        register_targets(container)
    return container


def deliver_in_process(container: Container) -> None:
    """Committed events go straight to the in-process bus, and on to the consumers.

    For a local server on the ``aws`` backend, which has no stream relay and no
    EventBridge rules to do it.
    """
    container.on_commit.override(providers.Object(container.event_bus().publish))
    subscribe_consumers(container)


def subscribe_consumers(container: Container) -> None:
    from ecobid_entrypoints.processors.consumers import notify, release
    from ecobid_entrypoints.processors.schedules import arrange_deadlines

    uow_factory, scheduler = container.unit_of_work, container.scheduler()
    bus = container.event_bus()
    bus.subscribe(lambda event: notify(event, container.notify()))
    bus.subscribe(lambda event: arrange_deadlines(event, uow_factory, scheduler))
    bus.subscribe(lambda event: release(event, uow_factory, container.image_store()))


def register_targets(container: Container) -> None:
    """The local scheduler calls the same targets the schedules' functions run."""
    from ecobid_entrypoints.processors.schedule_targets import TARGETS

    scheduler, clock = container.local_scheduler(), container.clock()
    uow_factory = container.unit_of_work
    for name, target in TARGETS.items():
        scheduler.register(
            name, partial(target, uow_factory=uow_factory, clock=clock, scheduler=scheduler)
        )
