"""Where the AWS resources are, read from the environment, and the clients to reach them.

Lambda configures functions through environment variables (Terraform writes them), and
the local server's moto backend sets the same ones from ``provision``'s answer.
``ECOBID_AWS_ENDPOINT_URL`` points every client at one endpoint (a moto server).

Clients are made once per process, that is once per Lambda cold start, and only when
first used: a function that never moderates images never pays for a Rekognition client.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from typing import Any

import boto3
from attrs import frozen
from botocore.config import Config

from ecobid_adapters.aws.cognito_urls import cognito_issuer, cognito_jwks_url

_REQUIRED = {
    "table": "ECOBID_TABLE",
    "bucket": "ECOBID_BUCKET",
    "bus": "ECOBID_BUS",
    "user_pool_id": "ECOBID_USER_POOL_ID",
    "client_id": "ECOBID_CLIENT_ID",
    "region": "AWS_REGION",
}
# Only the functions that make one-time schedules need these (the bus's consumer and the
# schedules' targets, which may set theirs again): no API function has to be told.
_SCHEDULES = {
    "schedule_group": "ECOBID_SCHEDULE_GROUP",
    "scheduler_role_arn": "ECOBID_SCHEDULER_ROLE_ARN",
    "end_auction_arn": "ECOBID_END_AUCTION_ARN",
    "expire_reservation_arn": "ECOBID_EXPIRE_RESERVATION_ARN",
    # Where a schedule's event goes when its target kept failing (optional: none locally).
    "schedule_dead_letter_arn": "ECOBID_SCHEDULE_DLQ_ARN",
}


# SNS platform applications for mobile push; where neither is set, nothing is pushed.
_PUSH = {
    "apns_application_arn": "ECOBID_APNS_APPLICATION_ARN",
    "fcm_application_arn": "ECOBID_FCM_APPLICATION_ARN",
}


@frozen(kw_only=True)
class AwsSettings:
    table: str
    bucket: str
    bus: str
    user_pool_id: str
    client_id: str
    region: str
    issuer: str
    endpoint_url: str | None = None
    # One-time schedules: their group, the role they invoke with, the functions they call.
    schedule_group: str | None = None
    scheduler_role_arn: str | None = None
    end_auction_arn: str | None = None
    expire_reservation_arn: str | None = None
    apns_application_arn: str | None = None
    fcm_application_arn: str | None = None
    schedule_dead_letter_arn: str | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> AwsSettings:
        missing = sorted(name for name in _REQUIRED.values() if not environ.get(name))
        if missing:
            raise KeyError(f"missing environment variables: {', '.join(missing)}")
        values = {attr: environ[name] for attr, name in _REQUIRED.items()}
        schedules: dict[str, Any] = {a: environ.get(name) or None for a, name in _SCHEDULES.items()}
        schedules.update({a: environ.get(name) or None for a, name in _PUSH.items()})
        return cls(
            **values,
            issuer=environ.get("ECOBID_ISSUER")
            or cognito_issuer(values["region"], values["user_pool_id"]),
            endpoint_url=environ.get("ECOBID_AWS_ENDPOINT_URL") or None,
            **schedules,
        )

    @property
    def jwks_url(self) -> str:
        return cognito_jwks_url(self.user_pool_id, self.region, self.endpoint_url)

    def to_env(self) -> dict[str, str]:
        """The environment variables ``from_env`` reads back into these settings."""
        env = {name: getattr(self, attr) for attr, name in _REQUIRED.items()}
        env["ECOBID_ISSUER"] = self.issuer
        if self.endpoint_url:
            env["ECOBID_AWS_ENDPOINT_URL"] = self.endpoint_url
        env.update({name: value for a, name in _SCHEDULES.items() if (value := getattr(self, a))})
        env.update({name: value for a, name in _PUSH.items() if (value := getattr(self, a))})
        return env


#: Seconds a local stand-in (moto, ``ECOBID_AWS_ENDPOINT_URL``) may take to answer. On
#: a busy machine moto can take longer than AWS ever should, and the retry that follows
#: a read timeout would replay a write moto had already applied: a conditional write
#: then fails its own condition (seen as "you already hold this item" on a reserve).
LOCAL_READ_TIMEOUT = 60


class AwsClients:
    """The boto3 clients of one process; each is made on first use."""

    def __init__(self, region: str, endpoint_url: str | None = None) -> None:
        self._endpoint_url = endpoint_url
        # A session of our own: boto3's default session is not safe to share between
        # threads while clients are being made.
        self._session = boto3.session.Session(region_name=region)

    def _client(self, service: str, **config: Any) -> Any:
        base = Config(
            retries={"mode": "standard", "max_attempts": 3},
            # Well inside API Gateway's 29 s: a stuck call must fail while the caller
            # can still be told to retry.
            connect_timeout=3,
            read_timeout=10 if self._endpoint_url is None else LOCAL_READ_TIMEOUT,
            tcp_keepalive=True,
        )
        return self._session.client(
            service, endpoint_url=self._endpoint_url, config=base.merge(Config(**config))
        )

    @functools.cached_property
    def dynamodb(self) -> Any:
        return self._client("dynamodb")

    @functools.cached_property
    def s3(self) -> Any:
        # Path style reaches a moto endpoint by IP; SigV4 is what presigned POSTs need.
        style = "path" if self._endpoint_url else "auto"
        return self._client("s3", signature_version="s3v4", s3={"addressing_style": style})

    @functools.cached_property
    def events(self) -> Any:
        return self._client("events")

    @functools.cached_property
    def scheduler(self) -> Any:
        return self._client("scheduler")

    @functools.cached_property
    def cognito(self) -> Any:
        return self._client("cognito-idp")

    @functools.cached_property
    def iam(self) -> Any:
        return self._client("iam")

    @functools.cached_property
    def rekognition(self) -> Any:
        return self._client("rekognition")

    @functools.cached_property
    def lambda_(self) -> Any:
        return self._client("lambda")

    @functools.cached_property
    def sns(self) -> Any:
        # As many connections as pushes in flight (``sns_push.CONCURRENCY``).
        return self._client("sns", max_pool_connections=16)


@functools.cache
def clients(settings: AwsSettings) -> AwsClients:
    """The one set of clients for ``settings`` in this process."""
    return AwsClients(settings.region, settings.endpoint_url)
