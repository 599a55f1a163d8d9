resource "aws_cloudwatch_event_bus" "this" {
  name = var.bus_name
  tags = var.tags
}

resource "aws_cloudwatch_event_rule" "events" {
  for_each = var.event_rules

  name           = "${var.bus_name}-${each.key}"
  event_bus_name = aws_cloudwatch_event_bus.this.name
  event_pattern = jsonencode({
    source      = [var.source_name]
    detail-type = [each.value.detail_type]
  })
  tags = var.tags
}

resource "aws_cloudwatch_event_target" "events" {
  for_each = var.event_rules

  rule           = aws_cloudwatch_event_rule.events[each.key].name
  event_bus_name = aws_cloudwatch_event_bus.this.name
  target_id      = each.value.function_name
  arn            = each.value.function_arn

  retry_policy {
    maximum_retry_attempts       = var.retry_attempts
    maximum_event_age_in_seconds = 3600
  }

  dead_letter_config {
    arn = module.failures.arn
  }
}

resource "aws_lambda_permission" "events" {
  for_each = var.event_rules

  statement_id  = "rule-${each.key}"
  action        = "lambda:InvokeFunction"
  function_name = each.value.function_arn
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.events[each.key].arn
}

resource "aws_cloudwatch_event_rule" "schedules" {
  for_each = var.schedule_rules

  name                = "${var.bus_name}-${each.key}"
  schedule_expression = each.value.schedule_expression
  tags                = var.tags
}

resource "aws_cloudwatch_event_target" "schedules" {
  for_each = var.schedule_rules

  rule      = aws_cloudwatch_event_rule.schedules[each.key].name
  target_id = each.value.function_name
  arn       = each.value.function_arn

  # A sweep missed is done by the next one: retry within its period, then keep the event.
  retry_policy {
    maximum_retry_attempts       = var.retry_attempts
    maximum_event_age_in_seconds = 900
  }

  dead_letter_config {
    arn = module.failures.arn
  }
}

resource "aws_lambda_permission" "schedules" {
  for_each = var.schedule_rules

  statement_id  = "schedule-${each.key}"
  action        = "lambda:InvokeFunction"
  function_name = each.value.function_arn
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.schedules[each.key].arn
}

resource "aws_scheduler_schedule_group" "this" {
  name = var.schedule_group_name
  tags = var.tags
}

# The role EventBridge Scheduler assumes to run the group's schedules: it may invoke the
# scheduled functions and nothing else.
resource "aws_iam_role" "scheduler" {
  name               = "${var.schedule_group_name}-scheduler"
  assume_role_policy = data.aws_iam_policy_document.scheduler_assume.json
  tags               = var.tags
}

# Only Scheduler acting for this account's schedules may assume it (confused deputy
# prevention): https://docs.aws.amazon.com/scheduler/latest/UserGuide/setting-up.html#setting-up-execution-role
data "aws_iam_policy_document" "scheduler_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["scheduler.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "scheduler_invoke" {
  statement {
    actions   = ["lambda:InvokeFunction"]
    resources = var.scheduled_function_arns
  }

  # A schedule's dead-letter event is sent with the schedule's execution role:
  # https://docs.aws.amazon.com/scheduler/latest/UserGuide/configuring-schedule-dlq.html
  statement {
    actions   = ["sqs:SendMessage"]
    resources = [module.failures.arn]
  }
}

# Events a rule's target or a schedule could not deliver after its retries.
module "failures" {
  source        = "../failure_queue"
  name          = "${var.bus_name}-delivery-failures"
  description   = "Events EventBridge rules or Scheduler schedules could not deliver; replay them from the queue."
  alarm_actions = var.alarm_actions
  tags          = var.tags
}

moved {
  from = aws_sqs_queue.failures
  to   = module.failures.aws_sqs_queue.this
}

moved {
  from = aws_cloudwatch_metric_alarm.failures
  to   = module.failures.aws_cloudwatch_metric_alarm.not_empty
}

# EventBridge sends a rule's dead letters as itself, allowed by the queue's policy for
# this stack's rules only: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html
data "aws_iam_policy_document" "failures" {
  statement {
    sid     = "RulesDeadLetters"
    actions = ["sqs:SendMessage"]
    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }
    resources = [module.failures.arn]
    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values = concat(
        [for rule in aws_cloudwatch_event_rule.events : rule.arn],
        [for rule in aws_cloudwatch_event_rule.schedules : rule.arn],
      )
    }
  }
}

resource "aws_sqs_queue_policy" "failures" {
  queue_url = module.failures.url
  policy    = data.aws_iam_policy_document.failures.json
}

resource "aws_iam_role_policy" "scheduler" {
  name   = "invoke-scheduled-functions"
  role   = aws_iam_role.scheduler.id
  policy = data.aws_iam_policy_document.scheduler_invoke.json
}
