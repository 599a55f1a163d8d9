"""``terraform plan`` of the prod root with its default variables (against the session's
moto server, which only answers the account lookups): what a first apply on a brand-new
account would ask AWS for, checked against AWS's documented rules rather than moto's."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from deploy.local import emulator_variables
from deploy.terraform import Terraform, local_root
from ecobid_adapters.aws.dynamodb.outbox import stream_filter_pattern
from ecobid_adapters.images.keys import GONE, LISTED, PENDING, PHOTO_TAG
from tests.integration.terraform.conftest import IN_CI

#: The account moto answers with.
MOTO_ACCOUNT = "123456789012"

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
) -> tuple[Terraform, dict[str, str]]:
    workdir = tmp_path_factory.mktemp("plan")
    terraform = Terraform(
        local_root(Path(__file__).resolve().parents[3] / "terraform", workdir),
        files=workdir,
        required=IN_CI,
    )
    terraform.init("-lockfile=readonly")
    return terraform, emulator_variables(moto_endpoint, package_dir)


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


def test_s3_may_invoke_the_image_processor_only_for_this_accounts_bucket(planned: Plan) -> None:
    permissions = [
        p
        for p in planned.values("aws_lambda_permission").values()
        if p["principal"] == "s3.amazonaws.com"
    ]
    assert [p["source_account"] for p in permissions] == [MOTO_ACCOUNT]


def test_the_bucket_name_carries_the_account(planned: Plan) -> None:
    (bucket,) = planned.values("aws_s3_bucket").values()
    assert bucket["bucket"] == f"ecobid-prod-images-{MOTO_ACCOUNT}"


def test_only_scheduler_acting_for_this_account_may_assume_the_schedules_role(
    planned: Plan,
) -> None:
    (role,) = [
        r for r in planned.values("aws_iam_role").values() if r["name"].endswith("-scheduler")
    ]
    (statement,) = json.loads(role["assume_role_policy"])["Statement"]
    assert statement["Principal"] == {"Service": "scheduler.amazonaws.com"}
    assert statement["Condition"] == {"StringEquals": {"aws:SourceAccount": MOTO_ACCOUNT}}


def test_every_rule_target_retries_and_then_keeps_the_event(planned: Plan) -> None:
    targets = planned.values("aws_cloudwatch_event_target")
    assert len(targets) > 3
    for address, target in targets.items():
        (retry,) = target["retry_policy"]
        assert 0 < retry["maximum_retry_attempts"] <= 185, address
        assert 60 <= retry["maximum_event_age_in_seconds"] <= 86400, address
        assert len(target["dead_letter_config"]) == 1, address  # the queue's ARN is unknown yet
    configured = planned.plan["configuration"]["root_module"]["module_calls"]["eventbridge"]
    for kind in ("events", "schedules"):
        (target,) = [
            r
            for r in configured["module"]["resources"]
            if r["address"] == f"aws_cloudwatch_event_target.{kind}"
        ]
        assert target["expressions"]["dead_letter_config"][0]["arn"]["references"][0] == (
            "module.failures.arn"
        )


def test_each_failure_queue_has_an_alarm(planned: Plan) -> None:
    queues = {
        address.rsplit(".aws_sqs_queue", 1)[0]: q["name"]
        for address, q in planned.values("aws_sqs_queue").items()
    }
    alarms = {
        address.rsplit(".aws_cloudwatch_metric_alarm", 1)[0]: a
        for address, a in planned.values("aws_cloudwatch_metric_alarm").items()
    }
    # One shared module makes both: each failure queue with its alarm, never one alone.
    owners = {"module.lambda.module.failures", "module.eventbridge.module.failures"}
    assert set(queues) == set(alarms) == owners
    for module, queue in queues.items():
        alarm = alarms[module]
        assert alarm["namespace"] == "AWS/SQS"
        assert alarm["metric_name"] == "ApproximateNumberOfMessagesVisible"
        assert alarm["dimensions"] == {"QueueName": queue}
        assert (alarm["comparison_operator"], alarm["threshold"]) == ("GreaterThanThreshold", 0)


def test_every_log_group_the_stack_causes_has_a_retention(planned: Plan) -> None:
    groups = planned.values("aws_cloudwatch_log_group")
    assert {a: g["retention_in_days"] for a, g in groups.items()} == {a: 14 for a in groups}
    names = {g.get("name") for g in groups.values()}
    functions = planned.values("aws_lambda_function")
    assert {f"/aws/lambda/{f['function_name']}" for f in functions.values()} <= names
    # API Gateway's own execution log group, created first with a retention (its name,
    # which holds the API's id, is checked on the applied stack).
    assert "module.api_gateway.aws_cloudwatch_log_group.execution" in groups


def test_the_account_wide_api_gateway_setting_is_left_alone_by_default(
    prod_root: tuple[Terraform, dict[str, str]], planned: Plan
) -> None:
    assert planned.values("aws_api_gateway_account") == {}
    (stage,) = planned.values("aws_api_gateway_stage").values()
    assert stage["access_log_settings"] == []
    (settings,) = planned.values("aws_api_gateway_method_settings").values()
    assert settings["settings"][0]["logging_level"] == "OFF"
    # Opted in, the setting is reset on destroy rather than left naming a deleted role.
    terraform, variables = prod_root
    opted_in = {**variables, "manage_api_gateway_account": "true"}
    terraform.plan(opted_in, "account.tfplan", "-target=module.api_gateway")
    plan = Plan(terraform.show("account.tfplan"))
    (account,) = plan.values("aws_api_gateway_account").values()
    assert account["reset_on_delete"] is True
    (settings,) = plan.values("aws_api_gateway_method_settings").values()
    assert settings["settings"][0]["logging_level"] == "ERROR"


def test_photos_of_listed_items_never_expire_and_others_go_within_90_days(planned: Plan) -> None:
    (lifecycle,) = planned.values("aws_s3_bucket_lifecycle_configuration").values()
    tagged = {}
    for rule in lifecycle["rule"]:
        assert rule["status"] == "Enabled"
        (filter_,) = rule["filter"]
        tags = filter_["tag"]
        if tags:
            (tag,) = tags
            assert tag["key"] == PHOTO_TAG
            (expiration,) = rule["expiration"]
            tagged[tag["value"]] = expiration["days"]
            assert rule["noncurrent_version_expiration"] == []
        else:
            # The bucket-wide rule: every replaced or deleted version goes.
            (noncurrent,) = rule["noncurrent_version_expiration"]
            noncurrent_days = noncurrent["noncurrent_days"]
            assert rule["expiration"][0]["days"] in (None, 0)
    assert set(tagged) == {PENDING, GONE}
    assert LISTED not in tagged
    # Each lifecycle step waits at most for the next midnight UTC.
    assert max(tagged.values()) + noncurrent_days + 2 <= 90


def test_an_ses_identity_makes_the_pool_send_through_ses(
    prod_root: tuple[Terraform, dict[str, str]],
) -> None:
    terraform, variables = prod_root
    identity = f"arn:aws:ses:eu-central-1:{MOTO_ACCOUNT}:identity/example.com"
    ses = f'{{identity_arn = "{identity}", from_address = "EcoBid <no-reply@example.com>"}}'
    terraform.plan({**variables, "cognito_ses_email": ses}, "ses.tfplan", "-target=module.cognito")
    (pool,) = Plan(terraform.show("ses.tfplan")).values("aws_cognito_user_pool").values()
    (email,) = pool["email_configuration"]
    assert email["email_sending_account"] == "DEVELOPER"
    assert email["source_arn"] == identity
    assert email["from_email_address"] == "EcoBid <no-reply@example.com>"
