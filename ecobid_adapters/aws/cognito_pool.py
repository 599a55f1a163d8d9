"""The Cognito user pool and app client, as ``provision`` makes them for moto and tests.

They mirror the Terraform module where the adapters can tell: email as the username, the
password policy users meet at sign-up, the two custom attributes ``CognitoProfileSync``
writes, SRP sign-in with refresh tokens, and an app client without a secret.
"""

from __future__ import annotations

from typing import Any

from ecobid_adapters.aws.cognito_profiles import LOCATION_ATTRIBUTE, RATING_ATTRIBUTE


def ensure_user_pool(cognito: Any, name: str) -> str:
    """The id of the pool called ``name``, created first if there is none."""
    for page in cognito.get_paginator("list_user_pools").paginate(MaxResults=60):
        for pool in page["UserPools"]:
            if pool["Name"] == name:
                return str(pool["Id"])
    pool_id = str(
        cognito.create_user_pool(
            PoolName=name,
            UsernameAttributes=["email"],
            AutoVerifiedAttributes=["email"],
            Policies={
                "PasswordPolicy": {
                    "MinimumLength": 8,
                    "RequireUppercase": True,
                    "RequireLowercase": True,
                    "RequireNumbers": True,
                    "RequireSymbols": False,
                }
            },
            Schema=[
                _custom_string(LOCATION_ATTRIBUTE, 32),  # "-89.123456,-179.123456"
                _custom_string(RATING_ATTRIBUTE, 16),  # "4.75/1234"
            ],
            AccountRecoverySetting={
                "RecoveryMechanisms": [{"Name": "verified_email", "Priority": 1}]
            },
        )["UserPool"]["Id"]
    )
    # Optional MFA by authenticator app: SMS would need an SNS role and costs money.
    cognito.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        SoftwareTokenMfaConfiguration={"Enabled": True},
        MfaConfiguration="OPTIONAL",
    )
    return pool_id


def _custom_string(attribute: str, max_length: int) -> dict[str, Any]:
    return {
        "Name": attribute.removeprefix("custom:"),
        "AttributeDataType": "String",
        "Mutable": True,
        "StringAttributeConstraints": {"MinLength": "0", "MaxLength": str(max_length)},
    }


def ensure_app_client(cognito: Any, pool_id: str, name: str) -> str:
    """The id of the pool's app client called ``name``, created first if there is none."""
    for page in cognito.get_paginator("list_user_pool_clients").paginate(
        UserPoolId=pool_id, MaxResults=60
    ):
        for client in page["UserPoolClients"]:
            if client["ClientName"] == name:
                return str(client["ClientId"])
    created = cognito.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName=name,
        GenerateSecret=False,  # a mobile app cannot keep a secret
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        PreventUserExistenceErrors="ENABLED",
        # Location and rating are copies the backend writes with admin calls: the app
        # may read them but not set its own rating. Naming what the app reads (rather
        # than leaving the default, everything) also puts the email in the ID token.
        ReadAttributes=["email", "email_verified", LOCATION_ATTRIBUTE, RATING_ATTRIBUTE],
        WriteAttributes=["email"],
        IdTokenValidity=60,
        AccessTokenValidity=60,
        RefreshTokenValidity=30,
        TokenValidityUnits={"IdToken": "minutes", "AccessToken": "minutes", "RefreshToken": "days"},
    )
    return str(created["UserPoolClient"]["ClientId"])
