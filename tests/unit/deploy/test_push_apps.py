"""``deploy.push_apps``: Terraform's way to make a platform application from SSM values."""

from __future__ import annotations

import boto3

from deploy import push_apps
from ecobid_entrypoints.local.moto_backend import REGION

SECRET = "-----BEGIN PRIVATE KEY-----not-a-real-key"


def environ(endpoint: str, **extra: str) -> dict[str, str]:
    return {
        "ECOBID_AWS_ENDPOINT_URL": endpoint,
        "AWS_REGION": REGION,
        "AWS_ACCESS_KEY_ID": "moto",
        "AWS_SECRET_ACCESS_KEY": "moto",
        "ECOBID_PUSH_APP_NAME": "ecobid-test-ios",
        "ECOBID_PUSH_APP_PLATFORM": "APNS",
        "ECOBID_PUSH_CREDENTIAL": SECRET,
        "ECOBID_PUSH_PRINCIPAL": "KEYID12345",
        "ECOBID_PUSH_APP_TEAM_ID": "TEAMID1234",
        **extra,
    }


def test_create_is_idempotent_updates_credentials_and_delete_is_too(
    moto_endpoint, capsys, monkeypatch
):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "moto")
    env = environ(moto_endpoint)
    assert push_apps.main(["create"], env) == 0
    arn = capsys.readouterr().out.strip()
    assert arn.endswith(":app/APNS/ecobid-test-ios")
    assert push_apps.main(["create"], {**env, "ECOBID_PUSH_CREDENTIAL": "renewed-key"}) == 0
    assert capsys.readouterr().out.strip() == arn
    sns = boto3.client("sns", endpoint_url=moto_endpoint, region_name=REGION)
    attributes = sns.get_platform_application_attributes(PlatformApplicationArn=arn)
    assert attributes["Attributes"]["PlatformCredential"] == "renewed-key"
    assert attributes["Attributes"]["ApplePlatformTeamID"] == "TEAMID1234"
    assert push_apps.main(["delete", arn], env) == 0
    assert push_apps.main(["delete", arn], env) == 0
    listed = sns.list_platform_applications()["PlatformApplications"]
    assert arn not in [app["PlatformApplicationArn"] for app in listed]
    assert SECRET not in capsys.readouterr().out


def test_attributes_leave_out_what_is_not_given():
    made = push_apps.attributes({"ECOBID_PUSH_CREDENTIAL": "json", "ECOBID_PUSH_PRINCIPAL": ""})
    assert made == {"PlatformCredential": "json"}
    assert push_apps.main(["bogus"], {}) == 2
