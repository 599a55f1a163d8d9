"""Terraform against the session's moto server: one apply for every test here, then a
destroy that must leave nothing behind.

Terraform and the provider mirror are required in CI (``CI=true``): missing there, the
tests fail. Elsewhere a machine without Terraform skips them, saying why.
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from attrs import frozen

from deploy.functions import project_functions
from deploy.layers import LAYERS
from deploy.local import REGION, LocalDeployment
from deploy.package import build
from deploy.terraform import ToolMissing, find_mirror, terraform_binary
from tests.support.deployed_functions import (
    DeployedFunctions,
    Elapsed,
    Handler,
    MotoDeliveries,
    record_deliveries,
)

IN_CI = os.environ.get("CI", "").lower() == "true"
PREFIX = "ecobid-prod"


def require_terraform() -> None:
    """Terraform and (in CI) the provider mirror, or a failure in CI and a skip elsewhere."""
    try:
        terraform_binary()
        if find_mirror() is None and IN_CI:
            raise ToolMissing("no AWS provider mirror found; set ECOBID_TF_PLUGIN_DIR")
    except ToolMissing as missing:
        if IN_CI:
            pytest.fail(f"CI needs Terraform: {missing}")
        pytest.skip(f"{missing} (required where CI=true)")


@pytest.fixture(scope="session")
def terraform_ready() -> None:
    require_terraform()


@pytest.fixture(scope="session")
def package_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real function table and code; empty layers (moto never runs the functions, and
    the layer build is tested on its own), so the apply needs no download."""
    out = tmp_path_factory.mktemp("package")
    build(project_functions(), out, wheels={name: [] for name in LAYERS})
    return out


@frozen
class Deployed:
    endpoint: str
    outputs: dict[str, Any]
    state: dict[str, Any]
    manifest_dir: Path
    deployment: LocalDeployment

    def client(self, service: str) -> Any:
        return boto3.client(service, endpoint_url=self.endpoint, region_name=REGION)

    @property
    def manifest(self) -> dict[str, Any]:
        return json.loads((self.manifest_dir / "manifest.json").read_text())  # type: ignore[no-any-return]

    def function_arns(self) -> dict[str, str]:
        """Each deployed function's ARN, by its manifest name."""
        return {r["index"]: r["values"]["arn"] for r in self.resources("aws_lambda_function")}

    def resources(self, kind: str) -> list[dict[str, Any]]:
        """Every resource of ``kind`` in ``terraform show -json``'s state, modules included."""
        found: list[dict[str, Any]] = []
        pending = [self.state["values"]["root_module"]]
        while pending:
            module = pending.pop()
            found += [r for r in module.get("resources", []) if r["type"] == kind]
            pending += module.get("child_modules", [])
        return found


@pytest.fixture(scope="session")
def deployed(
    terraform_ready: None,
    moto_endpoint: str,
    package_dir: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Deployed]:
    deployment = LocalDeployment(
        moto_endpoint, package_dir, tmp_path_factory.mktemp("terraform"), required=IN_CI
    )
    started = time.monotonic()
    outputs = deployment.apply()
    applied = time.monotonic()
    print(f"\nterraform init+apply: {applied - started:.0f} s")
    yield Deployed(moto_endpoint, outputs, deployment.terraform.show(), package_dir, deployment)
    tested = time.monotonic()
    in_state = deployment.destroy()
    print(f"\nterraform destroy: {time.monotonic() - tested:.0f} s")
    assert in_state == []
    assert_nothing_left(moto_endpoint)


def assert_nothing_left(endpoint: str) -> None:
    """No resource of the stage is left on the server, whatever created it (a schedule the
    code made goes with its group, as in AWS)."""

    def client(service: str) -> Any:
        return boto3.client(service, endpoint_url=endpoint, region_name=REGION)

    lambda_ = client("lambda")
    logs = client("logs")
    scheduler = client("scheduler")
    left = {
        "tables": [t for t in client("dynamodb").list_tables()["TableNames"] if PREFIX in t],
        "buckets": [
            b["Name"] for b in client("s3").list_buckets()["Buckets"] if PREFIX in b["Name"]
        ],
        "functions": [
            f["FunctionName"]
            for f in client("lambda").list_functions()["Functions"]
            if f["FunctionName"].startswith(PREFIX)
        ],
        "pools": [
            p["Name"]
            for p in client("cognito-idp").list_user_pools(MaxResults=60)["UserPools"]
            if p["Name"].startswith(PREFIX)
        ],
        "apis": [
            a["name"]
            for a in client("apigateway").get_rest_apis()["items"]
            if a["name"].startswith(PREFIX)
        ],
        "buses": [
            b["Name"]
            for b in client("events").list_event_buses()["EventBuses"]
            if PREFIX in b["Name"]
        ],
        "roles": [
            r["RoleName"]
            for r in client("iam").list_roles()["Roles"]
            if r["RoleName"].startswith(PREFIX)
        ],
        "queues": client("sqs").list_queues(QueueNamePrefix=PREFIX).get("QueueUrls", []),
        "rules": [r["Name"] for r in client("events").list_rules(NamePrefix=PREFIX)["Rules"]],
        "layers": [
            layer["LayerName"]
            for layer in lambda_.list_layers()["Layers"]
            if layer["LayerName"].startswith(PREFIX)
        ],
        "mappings": [
            m["UUID"]
            for m in lambda_.list_event_source_mappings()["EventSourceMappings"]
            if f":function:{PREFIX}-" in m["FunctionArn"]
        ],
        "log groups": [
            group["logGroupName"]
            for prefix in (
                f"/aws/lambda/{PREFIX}-",
                f"/aws/apigateway/{PREFIX}-",
                "API-Gateway-Execution-Logs_",
            )
            for group in logs.describe_log_groups(logGroupNamePrefix=prefix)["logGroups"]
        ],
        "alarms": [
            a["AlarmName"]
            for a in client("cloudwatch").describe_alarms(AlarmNamePrefix=PREFIX)["MetricAlarms"]
        ],
        "schedule groups": [
            g["Name"] for g in scheduler.list_schedule_groups(NamePrefix=PREFIX)["ScheduleGroups"]
        ],
        "schedules": [
            s["Name"] for s in scheduler.list_schedules()["Schedules"] if s["GroupName"] == PREFIX
        ],
    }
    assert {kind: names for kind, names in left.items() if names} == {}


@pytest.fixture(scope="session")
def terraform_tree() -> Path:
    return Path(__file__).resolve().parents[3] / "terraform"


def copy_tree(source: Path, into: Path) -> Path:
    shutil.copytree(source, into, ignore=shutil.ignore_patterns(".terraform", "*.tfstate*"))
    return into


@pytest.fixture(scope="session")
def function_environments(deployed: Deployed) -> dict[str, dict[str, str]]:
    """Each function's environment as Terraform deployed it, read back from moto."""
    lambda_ = deployed.client("lambda")
    return {
        name: lambda_.get_function_configuration(FunctionName=arn)["Environment"]["Variables"]
        for name, arn in deployed.function_arns().items()
    }


@pytest.fixture
def handlers(
    deployed: Deployed,
    function_environments: dict[str, dict[str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[dict[str, Handler]]:
    """Each deployed function's real handler (the manifest's dotted path), run with the
    environment Terraform gave that function and a cold start of its own."""
    real = {}
    for name, spec in deployed.manifest["functions"].items():
        module, _, function = spec["handler"].rpartition(".")
        real[name] = getattr(importlib.import_module(module), function)
    functions = DeployedFunctions(real, function_environments, monkeypatch, REGION)
    yield functions.handlers()
    functions.close()


@pytest.fixture
def deliveries(monkeypatch: pytest.MonkeyPatch) -> MotoDeliveries:
    return record_deliveries(monkeypatch)


@pytest.fixture
def elapsed(monkeypatch: pytest.MonkeyPatch) -> Elapsed:
    return Elapsed(monkeypatch)
