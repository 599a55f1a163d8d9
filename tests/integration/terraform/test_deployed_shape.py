"""What Terraform created on moto, read back from ``terraform show -json`` and the APIs:
least privilege, the table the adapter expects, a function behind every route."""

from __future__ import annotations

import json
import re

import pytest

from deploy.functions import project_functions, wiring
from ecobid_adapters.aws.dynamodb import schema
from ecobid_entrypoints.api.routes import ROUTES
from ecobid_entrypoints.processors.consumers import consumed_event_names

# The session's one apply and destroy run inside the first and last test here.
pytestmark = [pytest.mark.integration, pytest.mark.timeout(1200)]

#: Access a function may never have, by kind: an API request never touches the stream
#: or the bus (events leave through the outbox); the publisher never writes the table.
FORBIDDEN = {
    "api": {"stream", "bus", "scheduler", "moderation"},
    "outbox": {"table_write", "images_write", "pool"},
}


#: Actions without resource-level permissions, allowed on "*" alone and nothing more.
UNSCOPED_ACTIONS = {"rekognition:DetectModerationLabels"}


def _statements(policy: str) -> list[dict]:
    statements = json.loads(policy)["Statement"]
    return statements if isinstance(statements, list) else [statements]


def _listed(value) -> list[str]:
    return value if isinstance(value, list) else [value]


def test_function_policies_allow_no_wildcard_action_and_only_their_own_resources(deployed):
    arns = {r["address"]: r["values"] for r in deployed.resources("aws_dynamodb_table")}
    (table,) = arns.values()
    (bucket,) = [r["values"] for r in deployed.resources("aws_s3_bucket")]
    (bus,) = [r["values"] for r in deployed.resources("aws_cloudwatch_event_bus")]
    (pool,) = [r["values"] for r in deployed.resources("aws_cognito_user_pool")]
    (queue,) = [
        r["values"]
        for r in deployed.resources("aws_sqs_queue")
        if r["address"].startswith("module.lambda.")
    ]
    (group,) = [r["values"] for r in deployed.resources("aws_scheduler_schedule_group")]
    scheduler_role = next(
        r["values"]["arn"]
        for r in deployed.resources("aws_iam_role")
        if r["values"]["name"].endswith("-scheduler")
    )
    logs = {
        r["index"]: r["values"]["arn"]
        for r in deployed.resources("aws_cloudwatch_log_group")
        if r["address"].startswith("module.lambda.")
    }
    shared = {
        table["arn"],
        f"{table['arn']}/index/*",
        table["stream_arn"],
        f"{bucket['arn']}/items/*",
        bus["arn"],
        pool["arn"],
        queue["arn"],
        group["arn"].replace(":schedule-group/", ":schedule/") + "/*",
        scheduler_role,
    }
    functions = deployed.function_arns()
    policies = {
        r["index"]: r["values"]["policy"]
        for r in deployed.resources("aws_iam_role_policy")
        if r["address"].startswith("module.lambda.")
    }
    assert set(policies) == {function.name for function in project_functions()}
    for name, policy in policies.items():
        for statement in _statements(policy):
            assert statement["Effect"] == "Allow"
            for action in _listed(statement["Action"]):
                assert "*" not in action, f"{name} may {action}"
            actions = set(_listed(statement["Action"]))
            for resource in _listed(statement["Resource"]):
                own_logs = resource == f"{logs[name]}:*"
                # The one action AWS lets no policy narrow to a resource.
                unscoped = resource == "*" and actions == UNSCOPED_ACTIONS
                # A consumer handing the rest of a fan-out on invokes itself, only itself.
                itself = actions == {"lambda:InvokeFunction"} and resource == functions[name]
                assert own_logs or unscoped or itself or resource in shared, (
                    f"{name} reaches {resource}"
                )
        granted = {a for s in _statements(policy) for a in _listed(s["Action"])}
        assert "logs:PutLogEvents" in granted


def test_access_kinds_follow_what_each_function_does() -> None:
    routes = {route.name for route in ROUTES}
    functions = project_functions()
    outbox = wiring(functions)["stream"]["outbox"]
    for function in functions:
        kind = "api" if function.name in routes else "outbox" if function.name == outbox else ""
        assert not FORBIDDEN.get(kind, set()) & set(function.access), function


def test_the_table_is_the_schema_modules(deployed) -> None:
    (table,) = [r["values"] for r in deployed.resources("aws_dynamodb_table")]
    definition = schema.table_definition(table["name"])
    assert (table["hash_key"], table["range_key"]) == (schema.PK, schema.SK)
    assert {(a["name"], a["type"]) for a in table["attribute"]} == {
        (a["AttributeName"], a["AttributeType"]) for a in definition["AttributeDefinitions"]
    }
    assert {
        (index["name"], index["hash_key"], index["range_key"], index["projection_type"])
        for index in table["global_secondary_index"]
    } == {
        (
            index["IndexName"],
            *(k["AttributeName"] for k in index["KeySchema"]),
            index["Projection"]["ProjectionType"],
        )
        for index in definition["GlobalSecondaryIndexes"]
    }
    assert table["ttl"] == [{"enabled": True, "attribute_name": schema.TTL_ATTRIBUTE}]
    assert (table["stream_enabled"], table["stream_view_type"]) == (True, schema.STREAM_VIEW)
    described = deployed.client("dynamodb").describe_table(TableName=table["name"])["Table"]
    assert {i["IndexName"] for i in described["GlobalSecondaryIndexes"]} == set(schema.INDEXES)


def test_every_route_reaches_its_own_function(deployed) -> None:
    api = deployed.client("apigateway")
    functions = deployed.outputs["function_names"]
    resources = api.get_resources(restApiId=deployed.outputs["api_id"], limit=500)["items"]
    by_path = {resource["path"]: resource for resource in resources}
    for route in ROUTES:
        resource = by_path[route.resource]
        assert route.method in resource["resourceMethods"], route
        integration = api.get_integration(
            restApiId=deployed.outputs["api_id"], resourceId=resource["id"], httpMethod=route.method
        )
        assert integration["type"].upper() == "AWS_PROXY"  # moto keeps the lower case
        assert re.search(f":function:{functions[route.name]}/invocations$", integration["uri"])
        assert "OPTIONS" in resource["resourceMethods"]


def test_the_stream_mapping_reports_partial_failures_bisects_and_gives_up_to_a_queue(deployed):
    (mapping,) = [r["values"] for r in deployed.resources("aws_lambda_event_source_mapping")]
    assert mapping["function_response_types"] == ["ReportBatchItemFailures"]
    assert mapping["bisect_batch_on_function_error"] is True
    assert 0 < mapping["maximum_retry_attempts"] <= 10
    (queue,) = [
        r["values"]
        for r in deployed.resources("aws_sqs_queue")
        if r["address"].startswith("module.lambda.")
    ]
    assert mapping["destination_config"][0]["on_failure"][0]["destination_arn"] == queue["arn"]
    outbox = wiring(project_functions())["stream"]["outbox"]
    assert mapping["function_name"].endswith(deployed.outputs["function_names"][outbox])


def test_functions_take_their_manifest_sizes_and_logs_are_kept_for_a_while(deployed) -> None:
    manifest = json.loads((deployed.manifest_dir / "manifest.json").read_text())
    functions = {r["index"]: r["values"] for r in deployed.resources("aws_lambda_function")}
    assert set(functions) == set(manifest["functions"])
    for name, spec in manifest["functions"].items():
        assert functions[name]["memory_size"] == max(128, spec["memory"])
        assert functions[name]["timeout"] == spec["timeout"]
        assert functions[name]["handler"] == spec["handler"]
        assert functions[name]["architectures"] == [manifest["architecture"]]
    for group in deployed.resources("aws_cloudwatch_log_group"):
        assert 0 < group["values"]["retention_in_days"] <= 30


def test_the_plans_rules_and_the_scheduler_group(deployed) -> None:
    rules = {
        r["values"]["name"]: r["values"] for r in deployed.resources("aws_cloudwatch_event_rule")
    }
    patterns = {
        json.loads(rule["event_pattern"])["detail-type"][0]
        for rule in rules.values()
        if rule.get("event_pattern")
    }
    # The plan's rules and every other event type a consumer acts on (outbid notices,
    # the schedules' moves): the bus drops what no rule routes.
    assert (
        patterns == consumed_event_names() >= {"ItemCreated", "ReservationCreated", "AuctionEnded"}
    )
    schedules = {
        rule["schedule_expression"] for rule in rules.values() if rule["schedule_expression"]
    }
    assert "rate(1 hour)" in schedules
    groups = deployed.client("scheduler").list_schedule_groups()["ScheduleGroups"]
    assert deployed.outputs["schedule_group"] in {group["Name"] for group in groups}


def test_the_user_pool_and_its_client(deployed) -> None:
    cognito = deployed.client("cognito-idp")
    pool = cognito.describe_user_pool(UserPoolId=deployed.outputs["user_pool_id"])["UserPool"]
    assert pool["UsernameAttributes"] == ["email"]
    assert pool["MfaConfiguration"] == "OPTIONAL"
    assert pool["Policies"]["PasswordPolicy"]["MinimumLength"] == 8
    trigger = wiring(project_functions())["post_confirmation"]["profile"]
    assert pool["LambdaConfig"]["PostConfirmation"].endswith(
        ":function:" + deployed.outputs["function_names"][trigger]
    )
    client = cognito.describe_user_pool_client(
        UserPoolId=pool["Id"], ClientId=deployed.outputs["user_pool_client_id"]
    )["UserPoolClient"]
    assert set(client["ExplicitAuthFlows"]) == {"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}
    assert "ClientSecret" not in client
    assert "custom:rating" not in client["WriteAttributes"]


def test_new_originals_in_the_bucket_notify_the_image_processor(deployed) -> None:
    processor = wiring(project_functions())["image_upload"]["processor"]
    s3 = deployed.client("s3")
    config = s3.get_bucket_notification_configuration(Bucket=deployed.outputs["bucket_name"])
    (notification,) = config["LambdaFunctionConfigurations"]
    assert notification["LambdaFunctionArn"] == deployed.function_arns()[processor]
    assert notification["Events"] == ["s3:ObjectCreated:*"]
    rules = {r["Name"]: r["Value"] for r in notification["Filter"]["Key"]["FilterRules"]}
    assert {name.lower(): value for name, value in rules.items()} == {
        "prefix": "items/",
        "suffix": "/original",
    }


def test_every_function_is_told_the_allowed_origins(function_environments) -> None:
    """The same variable as the gateway's (default: every origin), not a hard-coded ``*``."""
    told = {name: env.get("ECOBID_CORS_ORIGINS") for name, env in function_environments.items()}
    assert told and set(told.values()) == {"*"}, told


#: What each function's catalog access must let it do on AWS, from the calls its code
#: makes (moto checks no policy): a read-only route reads, the pipeline deletes.
MUST = {
    "GetItem": (
        {"dynamodb:GetItem", "s3:GetObject"},
        {
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
            "dynamodb:DeleteItem",
            "dynamodb:ConditionCheckItem",
        },
    ),
    "GetItems": (
        {"dynamodb:Query"},
        {"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"},
    ),
    "ProcessImageUpload": (
        {"s3:GetObject", "s3:PutObject", "s3:PutObjectTagging", "s3:DeleteObject"},
        set(),
    ),
    "CreateImageUpload": ({"s3:PutObject", "s3:PutObjectTagging"}, {"s3:DeleteObject"}),
    "OnDomainEvent": ({"s3:PutObjectTagging"}, {"s3:DeleteObject", "s3:PutObject"}),
}


def test_each_function_may_do_what_its_code_calls_and_a_reader_only_reads(deployed) -> None:
    policies = {
        r["index"]: r["values"]["policy"]
        for r in deployed.resources("aws_iam_role_policy")
        if r["address"].startswith("module.lambda.")
    }
    for name, (needed, forbidden) in MUST.items():
        granted = {a for s in _statements(policies[name]) for a in _listed(s["Action"])}
        assert needed <= granted, name
        assert not forbidden & granted, name


def test_failed_deliveries_land_in_a_queue_that_events_and_schedules_may_use(deployed) -> None:
    queues = {r["address"]: r["values"] for r in deployed.resources("aws_sqs_queue")}
    delivery = queues["module.eventbridge.module.failures.aws_sqs_queue.this"]
    for target in deployed.resources("aws_cloudwatch_event_target"):
        assert target["values"]["dead_letter_config"] == [{"arn": delivery["arn"]}]
    (queue_policy,) = [r["values"] for r in deployed.resources("aws_sqs_queue_policy")]
    (statement,) = _statements(queue_policy["policy"])
    assert statement["Principal"] == {"Service": "events.amazonaws.com"}
    rules = {r["values"]["arn"] for r in deployed.resources("aws_cloudwatch_event_rule")}
    assert set(_listed(statement["Condition"]["ArnEquals"]["aws:SourceArn"])) == rules
    (role_policy,) = [
        r["values"]["policy"]
        for r in deployed.resources("aws_iam_role_policy")
        if r["address"].startswith("module.eventbridge.")
    ]
    sends = [s for s in _statements(role_policy) if "sqs:SendMessage" in _listed(s["Action"])]
    assert [_listed(s["Resource"]) for s in sends] == [[delivery["arn"]]]


def test_api_gateways_execution_log_group_is_made_with_a_retention(deployed) -> None:
    groups = {
        r["values"]["name"]: r["values"] for r in deployed.resources("aws_cloudwatch_log_group")
    }
    name = f"API-Gateway-Execution-Logs_{deployed.outputs['api_id']}/prod"
    assert 0 < groups[name]["retention_in_days"] <= 30
