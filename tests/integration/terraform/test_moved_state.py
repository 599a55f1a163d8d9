"""A stack applied before the failure queues became one module plans to no change.

The lambda and eventbridge modules once made their dead-letter queue and its alarm
themselves; ``moved`` blocks carry those resources to ``module.failures``. moto accepts
any create, so a missing or wrong ``moved`` block would show only on a real account, as
a queue destroyed and made again (its messages lost) and an alarm replaced. Here the
applied state is put back at the old addresses (``terraform state mv``, as an older
apply left it) and planned: every one of them must move, and nothing may be created,
replaced or destroyed at either address ("Refactoring modules", Terraform's docs on the
``moved`` block).
"""

from __future__ import annotations

import pytest

# Runs on the session's one apply (see test_deployed_shape).
pytestmark = [pytest.mark.integration, pytest.mark.timeout(1200)]

#: New address -> address an apply before the shared module left, in each module.
MOVES = {
    "module.failures.aws_sqs_queue.this": "aws_sqs_queue.failures",
    "module.failures.aws_cloudwatch_metric_alarm.not_empty": "aws_cloudwatch_metric_alarm.failures",
}
MODULES = ("module.lambda", "module.eventbridge")


def test_an_older_state_moves_its_failure_queues_and_changes_nothing(deployed) -> None:
    terraform = deployed.deployment.terraform
    pairs = [
        (f"{module}.{new}", f"{module}.{old}") for module in MODULES for new, old in MOVES.items()
    ]
    in_state = set(terraform.state_list())
    assert {new for new, _ in pairs} <= in_state
    for new, old in pairs:
        terraform.run("state", "mv", new, old)
    try:
        terraform.plan(deployed.deployment.variables, "older.tfplan", "-refresh=false")
        plan = terraform.show("older.tfplan")
    finally:
        for new, old in pairs:
            terraform.run("state", "mv", old, new)
    assert set(terraform.state_list()) == in_state
    changes = {change["address"]: change for change in plan["resource_changes"]}
    for new, old in pairs:
        assert old not in changes, f"{old} would be destroyed"
        assert changes[new].get("previous_address") == old
        assert changes[new]["change"]["actions"] == ["no-op"], changes[new]
