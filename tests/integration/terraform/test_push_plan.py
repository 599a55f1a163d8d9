"""``terraform plan`` of the prod root on moto, with and without push platforms: with one,
the platform applications are made and the functions' SNS actions are scoped to them;
with none, no application is planned and no function may call SNS. The credentials,
read from SSM at apply time, appear nowhere in the plan."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest

from deploy.local import REGION, emulator_variables
from deploy.terraform import Terraform, local_root
from tests.integration.terraform.conftest import IN_CI

pytestmark = [pytest.mark.integration, pytest.mark.timeout(900)]

SECRET = "-----BEGIN PRIVATE KEY-----not-a-real-signing-key"
PLATFORMS = {
    "ios": {
        "platform": "APNS",
        "credential_parameter": "/ecobid/test/apns-signing-key",
        "principal_parameter": "/ecobid/test/apns-key-id",
        "apple_team_id": "TEAMID1234",
        "apple_bundle_id": "org.ecobid.app",
    },
    "android": {"platform": "GCM", "credential_parameter": "/ecobid/test/fcm-service-account"},
}


def plan(root: Path, variables: dict[str, str], out: Path) -> dict[str, Any]:
    terraform = Terraform(root, files=out.parent / "files", required=IN_CI)
    terraform.init()
    args = [a for name, value in variables.items() for a in ("-var", f"{name}={value}")]
    terraform.run("plan", "-input=false", "-no-color", "-out", str(out), *args)
    return json.loads(terraform.run("show", "-json", str(out)).stdout)  # type: ignore[no-any-return]


def push_documents(shown: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Each function's SNS and self-invoke statements, as read at plan time."""
    found: dict[str, list[dict[str, Any]]] = {}
    pending = [shown.get("prior_state", {}).get("values", {}).get("root_module", {})]
    while pending:
        module = pending.pop()
        for resource in module.get("resources", []):
            if resource["type"] == "aws_iam_policy_document" and resource["name"] == "push":
                found[resource["index"]] = json.loads(resource["values"]["json"])["Statement"]
        pending += module.get("child_modules", [])
    return found


@pytest.fixture(scope="module")
def parameters(moto_endpoint: str) -> None:
    ssm = boto3.client("ssm", endpoint_url=moto_endpoint, region_name=REGION)
    for name in ("apns-signing-key", "apns-key-id", "fcm-service-account"):
        ssm.put_parameter(
            Name=f"/ecobid/test/{name}", Value=SECRET, Type="SecureString", Overwrite=True
        )


def test_a_configured_platform_is_made_and_scopes_the_sns_grants(
    terraform_ready, moto_endpoint, package_dir, parameters, tmp_path
) -> None:
    root = local_root(Path(__file__).resolve().parents[3] / "terraform", tmp_path)
    variables = {
        **emulator_variables(moto_endpoint, package_dir),
        "push_platforms": json.dumps(PLATFORMS),
    }
    shown = plan(root, variables, tmp_path / "plan.bin")
    text = json.dumps(shown)
    assert SECRET not in text
    made = {
        change["index"]
        for change in shown["resource_changes"]
        if change["type"] == "terraform_data" and change["change"]["actions"] == ["create"]
    }
    assert made == {"ios", "android"}
    documents = push_documents(shown)
    assert set(documents) == {"PutDevice", "DeleteDevice", "OnDomainEvent"}
    apps = {
        f"arn:aws:sns:{REGION}:123456789012:app/APNS/ecobid-prod-ios",
        f"arn:aws:sns:{REGION}:123456789012:app/GCM/ecobid-prod-android",
    }
    endpoints = {a.replace(":app/", ":endpoint/") + "/*" for a in apps}
    register = {
        s["Action"] if isinstance(s["Action"], str) else tuple(s["Action"]): s
        for s in documents["PutDevice"]
    }
    assert set(register["sns:CreatePlatformEndpoint"]["Resource"]) == apps
    publish = next(s for s in documents["OnDomainEvent"] if "sns:Publish" in s["Action"])
    assert set(publish["Resource"]) == endpoints
    every_resource = {
        r
        for statements in documents.values()
        for s in statements
        for r in ([s["Resource"]] if isinstance(s["Resource"], str) else s["Resource"])
    }
    assert "*" not in every_resource


def test_with_no_platform_nothing_is_made_and_no_function_may_push(
    terraform_ready, moto_endpoint, package_dir, tmp_path
) -> None:
    root = local_root(Path(__file__).resolve().parents[3] / "terraform", tmp_path)
    shown = plan(root, emulator_variables(moto_endpoint, package_dir), tmp_path / "plan.bin")
    assert [c for c in shown["resource_changes"] if c["type"] == "terraform_data"] == []
    documents = push_documents(shown)
    # Only the consumer's continuation remains: invoking itself, nothing of SNS.
    assert set(documents) == {"OnDomainEvent"}
    assert [s["Action"] for s in documents["OnDomainEvent"]] == ["lambda:InvokeFunction"]
