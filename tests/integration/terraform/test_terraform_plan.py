"""``terraform plan`` of the prod root with its default variables (against the session's
moto server, which only answers the account lookups): what a first apply on a brand-new
account would ask AWS for, checked against AWS's documented rules rather than moto's."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from deploy.local import emulator_variables
from ecobid_adapters.aws.dynamodb.outbox import stream_filter_pattern
from deploy.terraform import Terraform, local_root
from tests.integration.terraform.conftest import IN_CI

pytestmark = [pytest.mark.integration, pytest.mark.timeout(1200)]


class Plan:
    def __init__(self, plan: dict[str, Any]) -> None:
        self.plan = plan

    def resources(self, kind: str) -> list[dict[str, Any]]:
        """Every planned resource of ``kind``, modules included."""
        found: list[dict[str, Any]] = []
        pending = [self.plan["planned_values"]["root_module"]]
        while pending:
            module = pending.pop()
            found += [r for r in module.get("resources", []) if r["type"] == kind]
            pending += module.get("child_modules", [])
        return found

    def values(self, kind: str) -> dict[str, dict[str, Any]]:
        """Planned values of each resource of ``kind``, by address."""
        return {r["address"]: r["values"] for r in self.resources(kind)}


@pytest.fixture(scope="session")
def prod_root(
    terraform_ready: None, package_dir: Path, moto_endpoint: str, tmp_path_factory
) -> Iterator[tuple[Terraform, dict[str, str]]]:
    terraform = Terraform(
        local_root(Path(__file__).resolve().parents[3] / "terraform", tmp_path_factory.mktemp("plan")),
        required=IN_CI,
    )
    terraform.init("-lockfile=readonly")
    yield terraform, emulator_variables(moto_endpoint, package_dir)
    terraform.close()


@pytest.fixture(scope="session")
def planned(prod_root: tuple[Terraform, dict[str, str]]) -> Plan:
    terraform, variables = prod_root
    terraform.plan(variables, "default.tfplan")
    return Plan(terraform.show("default.tfplan"))


def test_the_default_plan_reserves_no_concurrency(planned: Plan) -> None:
    assert planned.plan["variables"]["reserved_concurrency"]["value"] == {}
    functions = planned.values("aws_lambda_function")
    assert len(functions) > 20
    # -1 is "no reservation": a new account (10 in all, 10 kept unreserved) accepts it.
    assert {a: f["reserved_concurrent_executions"] for a, f in functions.items()} == {
        a: -1 for a in functions
    }


@pytest.mark.parametrize("variable", ["reserved_concurrency", "function_memory"])
def test_a_per_function_map_naming_no_function_fails_the_plan(
    prod_root: tuple[Terraform, dict[str, str]], variable: str
) -> None:
    terraform, variables = prod_root
    output = terraform.plan(
        {**variables, variable: "{PublishOutbox = 2, EndAuction = 256}"},
        "refused.tfplan",
        check=False,
    )
    assert "Invalid value for variable" in output, output[-3000:]
    assert "manifest lacks: PublishOutbox." in output


def test_the_stream_wakes_the_relay_only_for_what_it_forwards(planned: Plan) -> None:
    (mapping,) = planned.values("aws_lambda_event_source_mapping").values()
    (criteria,) = mapping["filter_criteria"]
    patterns = [json.loads(f["pattern"]) for f in criteria["filter"]]
    assert patterns == [stream_filter_pattern()]
    assert mapping["parallelization_factor"] == 1


def test_usernames_are_case_insensitive_and_an_email_change_waits_for_its_code(
    planned: Plan,
) -> None:
    (pool,) = planned.values("aws_cognito_user_pool").values()
    assert pool["username_configuration"] == [{"case_sensitive": False}]
    assert pool["user_attribute_update_settings"] == [
        {"attributes_require_verification_before_update": ["email"]}
    ]
    # Cognito's own sender unless an SES identity is given.
    assert pool["email_configuration"] in ([], [{"email_sending_account": "COGNITO_DEFAULT"}])
