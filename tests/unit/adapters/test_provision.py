"""Provisioning against moto: what it creates, that it is idempotent, and profile sync."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from ecobid_adapters.aws.cognito_profiles import CognitoProfileSync
from ecobid_adapters.aws.provision import ResourceNames, provision, settings_for
from ecobid_adapters.aws.settings import AwsClients
from ecobid_core.model.user import RatingSummary
from ecobid_core.model.values import Location
from tests.support.moto import REGION

pytestmark = pytest.mark.integration
ENV = f"p{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="module")
def provisioned(moto_endpoint: str) -> dict[str, str]:
    return provision(moto_endpoint, REGION, ResourceNames.for_env(ENV))


@pytest.fixture(scope="module")
def aws(moto_endpoint: str) -> AwsClients:
    return AwsClients(REGION, moto_endpoint)


def test_provisioning_twice_finds_the_same_resources(
    provisioned: dict[str, str], moto_endpoint: str
) -> None:
    assert provision(moto_endpoint, REGION, ResourceNames.for_env(ENV)) == provisioned
    settings = settings_for(provisioned)
    assert settings.user_pool_id == provisioned["user_pool_id"]
    assert settings.jwks_url == provisioned["jwks_url"]


def test_the_bucket_is_private_encrypted_versioned_and_open_to_form_uploads(
    provisioned: dict[str, str], aws: AwsClients
) -> None:
    bucket = provisioned["bucket"]
    block = aws.s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    assert all(block.values())
    encryption = aws.s3.get_bucket_encryption(Bucket=bucket)
    rule = encryption["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    assert aws.s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    (cors,) = aws.s3.get_bucket_cors(Bucket=bucket)["CORSRules"]
    assert "POST" in cors["AllowedMethods"]


def test_the_bus_and_the_table_exist(provisioned: dict[str, str], aws: AwsClients) -> None:
    assert aws.events.describe_event_bus(Name=provisioned["bus"])["Name"] == provisioned["bus"]
    table = aws.dynamodb.describe_table(TableName=provisioned["table"])["Table"]
    assert table["StreamSpecification"]["StreamEnabled"]


def test_the_user_pool_and_app_client(provisioned: dict[str, str], aws: AwsClients) -> None:
    pool = aws.cognito.describe_user_pool(UserPoolId=provisioned["user_pool_id"])["UserPool"]
    assert pool["UsernameAttributes"] == ["email"]
    assert pool["MfaConfiguration"] == "OPTIONAL"
    policy = pool["Policies"]["PasswordPolicy"]
    assert policy["MinimumLength"] == 8
    assert policy["RequireUppercase"] and policy["RequireLowercase"] and policy["RequireNumbers"]
    attributes = {a["Name"] for a in pool["SchemaAttributes"]}
    assert {"custom:location", "custom:rating"} <= attributes
    client = aws.cognito.describe_user_pool_client(
        UserPoolId=provisioned["user_pool_id"], ClientId=provisioned["client_id"]
    )["UserPoolClient"]
    assert set(client["ExplicitAuthFlows"]) == {"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}
    assert "ClientSecret" not in client
    assert "custom:rating" not in client["WriteAttributes"]


def attributes_of(aws: AwsClients, pool_id: str, username: str) -> dict[str, Any]:
    user = aws.cognito.admin_get_user(UserPoolId=pool_id, Username=username)
    return {a["Name"]: a["Value"] for a in user["UserAttributes"]}


def test_profile_sync_writes_location_and_rating(
    provisioned: dict[str, str], aws: AwsClients
) -> None:
    pool_id, email = provisioned["user_pool_id"], f"sync-{uuid.uuid4().hex[:6]}@example.com"
    aws.cognito.admin_create_user(UserPoolId=pool_id, Username=email)
    sync = CognitoProfileSync(aws.cognito, pool_id)

    sync.sync(email, Location(52.52, 13.405), RatingSummary(total=54, count=12))
    attributes = attributes_of(aws, pool_id, email)
    assert attributes["custom:location"] == "52.520000,13.405000"
    assert attributes["custom:rating"] == "4.5/12"

    sync.sync(attributes["sub"], None, RatingSummary(total=13, count=3))
    attributes = attributes_of(aws, pool_id, email)
    assert "custom:location" not in attributes
    assert attributes["custom:rating"] == "4.33/3"


def test_profile_sync_of_an_unknown_user_is_a_key_error(
    provisioned: dict[str, str], aws: AwsClients
) -> None:
    sync = CognitoProfileSync(aws.cognito, provisioned["user_pool_id"])
    with pytest.raises(KeyError):
        sync.sync("nobody@example.com", None, RatingSummary())
