"""Creates the AWS resources the adapters need, for moto (``ecobid serve --backend moto``)
and tests. Production is Terraform's job; this mirrors its settings where an adapter can
tell the difference (CORS for browser uploads, the pool's attributes and auth flows).

Every step is idempotent: an existing resource is found by name and reused, and the
bucket's settings are simply put again, so provisioning twice is harmless.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from attrs import frozen
from botocore.exceptions import ClientError

from ecobid_adapters.aws.cognito_pool import ensure_app_client, ensure_user_pool
from ecobid_adapters.aws.cognito_urls import cognito_issuer, cognito_jwks_url
from ecobid_adapters.aws.dynamodb import schema
from ecobid_adapters.aws.failures import error_code
from ecobid_adapters.aws.settings import AwsClients, AwsSettings


@frozen(kw_only=True)
class ResourceNames:
    table: str
    bucket: str
    bus: str
    user_pool: str
    app_client: str
    schedule_group: str
    scheduler_role: str
    end_auction_function: str
    expire_reservation_function: str
    upload_origins: Sequence[str] = ("*",)

    @classmethod
    def for_env(cls, env: str) -> ResourceNames:
        return cls(
            table=schema.table_name(env),
            bucket=f"ecobid-{env}-images",
            bus=f"ecobid-{env}-events",
            user_pool=f"ecobid-{env}-users",
            app_client=f"ecobid-{env}-app",
            schedule_group=f"ecobid-{env}-deadlines",
            scheduler_role=f"ecobid-{env}-scheduler",
            end_auction_function=f"ecobid-{env}-end-auction",
            expire_reservation_function=f"ecobid-{env}-expire-reservation",
        )


def provision(endpoint_url: str | None, region: str, names: ResourceNames) -> dict[str, str]:
    """Create what is missing; answer with everything the adapters must be told.

    The keys are ``AwsSettings``'s fields plus ``jwks_url`` (see ``settings_for``).
    """
    aws = AwsClients(region, endpoint_url)
    _bucket(aws.s3, names.bucket, region, names.upload_origins)
    _bus(aws.events, names.bus)
    _table(aws.dynamodb, names.table)
    pool_id = ensure_user_pool(aws.cognito, names.user_pool)
    client_id = ensure_app_client(aws.cognito, pool_id, names.app_client)
    _schedule_group(aws.scheduler, names.schedule_group)
    role_arn = _scheduler_role(aws.iam, names.scheduler_role)
    # The functions are Terraform's; schedules name them by ARN in the role's account.
    functions = f"arn:aws:lambda:{region}:{role_arn.split(':')[4]}:function"
    return {
        "table": names.table,
        "bucket": names.bucket,
        "bus": names.bus,
        "user_pool_id": pool_id,
        "client_id": client_id,
        "schedule_group": names.schedule_group,
        "scheduler_role_arn": role_arn,
        "end_auction_arn": f"{functions}:{names.end_auction_function}",
        "expire_reservation_arn": f"{functions}:{names.expire_reservation_function}",
        "region": region,
        "issuer": cognito_issuer(region, pool_id),
        "jwks_url": cognito_jwks_url(pool_id, region, endpoint_url),
        **({"endpoint_url": endpoint_url} if endpoint_url else {}),
    }


def settings_for(provisioned: Mapping[str, str]) -> AwsSettings:
    return AwsSettings(**{k: v for k, v in provisioned.items() if k != "jwks_url"})


def _bucket(s3: Any, bucket: str, region: str, origins: Sequence[str]) -> None:
    # us-east-1 is the one region that refuses to be named as a location.
    where = {} if region == "us-east-1" else {"LocationConstraint": region}
    try:
        s3.create_bucket(Bucket=bucket, **({"CreateBucketConfiguration": where} if where else {}))
    except ClientError as error:
        if error_code(error) != "BucketAlreadyOwnedByYou":
            raise
    s3.put_public_access_block(
        Bucket=bucket,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    s3.put_bucket_encryption(
        Bucket=bucket,
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
        },
    )
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    # Phones need no CORS; browsers (a web client, the API docs page) do, for the POST.
    s3.put_bucket_cors(
        Bucket=bucket,
        CORSConfiguration={
            "CORSRules": [
                {
                    "AllowedMethods": ["POST", "GET"],
                    "AllowedOrigins": list(origins),
                    "AllowedHeaders": ["*"],
                    "ExposeHeaders": ["ETag", "Location"],
                    "MaxAgeSeconds": 3000,
                }
            ]
        },
    )


def _bus(events: Any, bus: str) -> None:
    try:
        events.describe_event_bus(Name=bus)
    except ClientError as error:
        if error_code(error) != "ResourceNotFoundException":
            raise
        events.create_event_bus(Name=bus)


def _table(dynamodb: Any, table: str) -> None:
    try:
        dynamodb.describe_table(TableName=table)
    except ClientError as error:
        if error_code(error) != "ResourceNotFoundException":
            raise
        schema.create_table(dynamodb, table)


def _schedule_group(scheduler: Any, group: str) -> None:
    try:
        scheduler.get_schedule_group(Name=group)
    except ClientError as error:
        if error_code(error) != "ResourceNotFoundException":
            raise
        scheduler.create_schedule_group(Name=group)


_SCHEDULER_TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "scheduler.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}


def _scheduler_role(iam: Any, role: str) -> str:
    """The role schedules invoke their functions with; its ARN."""
    try:
        return str(iam.get_role(RoleName=role)["Role"]["Arn"])
    except ClientError as error:
        if error_code(error) != "NoSuchEntity":
            raise
    created = iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(_SCHEDULER_TRUST))
    return str(created["Role"]["Arn"])
