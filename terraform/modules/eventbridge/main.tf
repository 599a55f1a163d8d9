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

data "aws_iam_policy_document" "scheduler_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["scheduler.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "scheduler_invoke" {
  statement {
    actions   = ["lambda:InvokeFunction"]
    resources = var.scheduled_function_arns
  }
}

resource "aws_iam_role_policy" "scheduler" {
  name   = "invoke-scheduled-functions"
  role   = aws_iam_role.scheduler.id
  policy = data.aws_iam_policy_document.scheduler_invoke.json
}
