locals {
  manifest  = jsondecode(file("${var.package_dir}/manifest.json"))
  functions = local.manifest.functions
  code_zip  = "${var.package_dir}/${local.manifest.code}"
}

resource "aws_lambda_layer_version" "this" {
  for_each = local.manifest.layers

  layer_name               = "${var.name_prefix}-${each.key}"
  filename                 = "${var.package_dir}/${each.value.zip}"
  source_code_hash         = filebase64sha256("${var.package_dir}/${each.value.zip}")
  compatible_runtimes      = [local.manifest.runtime]
  compatible_architectures = [local.manifest.architecture]
}

resource "aws_cloudwatch_log_group" "this" {
  for_each = local.functions

  name              = "/aws/lambda/${var.name_prefix}-${each.key}"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

resource "aws_iam_role" "this" {
  for_each = local.functions

  name               = "${var.name_prefix}-${each.key}"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = var.tags
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "this" {
  for_each = local.functions

  name   = "access"
  role   = aws_iam_role.this[each.key].id
  policy = data.aws_iam_policy_document.access[each.key].json
}

resource "aws_lambda_function" "this" {
  for_each = local.functions

  function_name    = "${var.name_prefix}-${each.key}"
  role             = aws_iam_role.this[each.key].arn
  handler          = each.value.handler
  runtime          = local.manifest.runtime
  architectures    = [local.manifest.architecture]
  filename         = local.code_zip
  source_code_hash = filebase64sha256(local.code_zip)
  layers           = [for layer in each.value.layers : aws_lambda_layer_version.this[layer].arn]
  memory_size      = lookup(var.memory, each.key, max(var.default_memory, each.value.memory))
  timeout          = each.value.timeout

  reserved_concurrent_executions = lookup(var.reserved_concurrency, each.key, -1)

  environment {
    variables = merge(var.environment, lookup(var.function_environment, each.key, {}))
  }

  # An asynchronous invocation (a rule, a schedule, S3) that failed every retry lands here.
  dead_letter_config {
    target_arn = module.failures.arn
  }

  tracing_config {
    mode = "PassThrough"
  }

  tags = var.tags

  depends_on = [aws_cloudwatch_log_group.this, aws_iam_role_policy.this]
}

# Stream batches and asynchronous events that kept failing.
module "failures" {
  source        = "../failure_queue"
  name          = "${var.name_prefix}-lambda-failures"
  description   = "Stream batches or asynchronous invocations that failed every retry; see the functions' logs, then replay."
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

resource "aws_lambda_event_source_mapping" "stream" {
  count = contains(keys(local.functions), var.stream_consumer) ? 1 : 0

  function_name                  = aws_lambda_function.this[var.stream_consumer].arn
  event_source_arn               = var.resources.stream_arn
  starting_position              = "TRIM_HORIZON"
  batch_size                     = var.stream_batch_size
  maximum_retry_attempts         = var.stream_retry_attempts
  bisect_batch_on_function_error = true
  function_response_types        = ["ReportBatchItemFailures"]
  # One invocation per shard at a time: the relay's concurrency is the shard count, with
  # no reserved concurrency needed to cap it.
  parallelization_factor = 1

  # Only inserted outbox records wake the relay; the pattern comes from the adapter that
  # writes them (manifest.json). Lambda drops the rest before invoking:
  # https://docs.aws.amazon.com/lambda/latest/dg/with-ddb-filtering.html
  filter_criteria {
    filter {
      pattern = local.manifest.stream_filter
    }
  }

  destination_config {
    on_failure {
      destination_arn = module.failures.arn
    }
  }
}
