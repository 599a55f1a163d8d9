"""A deployed function's wiring in plain Python: the ``aws`` half of the container.

Every Lambda function runs on the ``aws`` backend, and a cold start pays for each module
it imports at a fraction of a CPU. dependency-injector's import alone pulls asyncio in and
costs tens of milliseconds, so deployed functions are wired here instead: the same parts
under the same names as ``ecobid_entrypoints.container.Container`` (``api()``,
``unit_of_work``, ``scheduler()``, ...), each imported and made on its first call, once
per process. The local server and the tests keep the container, which also serves the
``memory`` backend.

``replace`` puts a part in place before its first use (tests: a local moderator where
moto has no Rekognition moderation).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from ecobid_entrypoints.lazy import resolve

_AWS = "ecobid_adapters.aws"


class LambdaWiring:
    def __init__(self, aws_settings: Any | None = None, hold_hours: float = 24.0) -> None:
        self._made: dict[str, Any] = {}
        if aws_settings is not None:
            self._made["aws_settings"] = aws_settings
        self._hold_for = timedelta(hours=hold_hours)

    def replace(self, name: str, part: Any) -> None:
        self._made[name] = part

    def _once(self, name: str, make: Callable[[], Any]) -> Any:
        if name not in self._made:
            self._made[name] = make()
        return self._made[name]

    def aws_settings(self) -> Any:
        return self._once("aws_settings", resolve(f"{_AWS}.settings:AwsSettings.from_env"))

    def aws_clients(self) -> Any:
        return self._once(
            "aws_clients", lambda: resolve(f"{_AWS}.settings:clients")(self.aws_settings())
        )

    def clock(self) -> Any:
        return self._once("clock", resolve("ecobid_adapters.system:AdjustableClock"))

    def ids(self) -> Any:
        return self._once("ids", resolve("ecobid_adapters.system:UuidIds"))

    def unit_of_work(self) -> Any:
        """A fresh unit of work on the table (the method is the factory)."""
        make = self._once("uow_class", lambda: resolve(f"{_AWS}.dynamodb:DynamoUnitOfWork"))
        return make(self.aws_clients().dynamodb, self.aws_settings().table)

    def image_store(self) -> Any:
        return self._once(
            "image_store",
            lambda: resolve(f"{_AWS}.s3_images:S3ImageStore")(
                self.aws_clients().s3, self.aws_settings().bucket
            ),
        )

    def profile_copies(self) -> Any:
        return self._once(
            "profile_copies",
            lambda: resolve(f"{_AWS}.cognito_profiles:CognitoProfileSync")(
                self.aws_clients().cognito, self.aws_settings().user_pool_id
            ),
        )

    def moderator(self) -> Any:
        return self._once(
            "moderator",
            lambda: resolve(f"{_AWS}.rekognition:RekognitionModerator")(
                self.aws_clients().rekognition
            ),
        )

    def event_publisher(self) -> Any:
        return self._once(
            "event_publisher",
            lambda: resolve(f"{_AWS}.eventbridge:EventBridgePublisher")(
                self.aws_clients().events, self.aws_settings().bus
            ),
        )

    def scheduler(self) -> Any:
        def make() -> Any:
            settings = self.aws_settings()
            return resolve(f"{_AWS}.scheduler:EventBridgeScheduler")(
                self.aws_clients().scheduler,
                group=settings.schedule_group,
                role_arn=settings.scheduler_role_arn,
                # Keyed by the job names in ecobid_core.services.deadlines.
                targets={
                    "EndAuction": settings.end_auction_arn,
                    "ExpireReservation": settings.expire_reservation_arn,
                },
            )

        return self._once("scheduler", make)

    def image_ports(self) -> Any:
        return self._once(
            "image_ports",
            lambda: resolve("ecobid_core.services.images:ImagePorts")(
                uow_factory=self.unit_of_work,
                clock=self.clock(),
                store=self.image_store(),
                processor=resolve("ecobid_adapters.images.pipeline:PillowImageProcessor")(),
                moderator=self.moderator(),
            ),
        )

    def notify(self) -> Any:
        """Alerts, push settings, inbox, rates and the SNS sender on the table."""

        def make() -> Any:
            settings, clients = self.aws_settings(), self.aws_clients()
            on_table = {"client": clients.dynamodb, "table": settings.table}
            store = f"{_AWS}.dynamodb.notify"
            return resolve("ecobid_core.services.notify_ports:NotifyPorts")(
                uow_factory=self.unit_of_work,
                alerts=resolve(f"{store}:DynamoAlerts")(**on_table),
                settings=resolve(f"{store}:DynamoPushSettings")(**on_table),
                inbox=resolve(f"{store}:DynamoInbox")(**on_table),
                rates=resolve(f"{store}:DynamoPushRates")(**on_table),
                sender=resolve(f"{_AWS}.sns_push:SnsPushSender")(
                    client=clients.sns,
                    applications={
                        "ios": settings.apns_application_arn,
                        "android": settings.fcm_application_arn,
                    },
                ),
                clock=self.clock(),
                ids=self.ids(),
            )

        return self._once("notify", make)

    def deps(self) -> Any:
        # The image store and the profile copies go as providers: a route that never
        # serves an image URL or edits a profile never makes an S3 or Cognito client.
        return self._once(
            "deps",
            lambda: resolve("ecobid_entrypoints.api.deps:AppDeps")(
                uow_factory=self.unit_of_work,
                clock=self.clock(),
                ids=self.ids(),
                images_provider=self.image_store,
                profile_copies_provider=self.profile_copies,
                notify_provider=self.notify,
                hold_for=self._hold_for,
            ),
        )

    def api(self) -> Any:
        return self._once("api", lambda: resolve("ecobid_entrypoints.api.app:ApiApp")(self.deps()))
