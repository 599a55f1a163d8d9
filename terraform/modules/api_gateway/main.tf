locals {
  # CORS from the one list of origins (deploy/openapi_aws.py says where each goes).
  any_origin     = contains(var.cors_origins, "*")
  default_origin = local.any_origin ? "*" : var.cors_origins[0]
  cors = {
    cors_origin = local.default_origin
    # A gateway response header is a fixed value or a request header, never a choice
    # ("x-amazon-apigateway-gateway-responses.responseParameters object"): the one
    # origin, or the request's own when several are allowed. Those answers are errors
    # only, sent without credentials.
    gateway_response_origin = local.any_origin || length(var.cors_origins) == 1 ? "'${local.default_origin}'" : "method.request.header.Origin"
    # The list as mapping-template members, for the preflight's check of the origin.
    cors_origins_vtl = join(",", [for origin in var.cors_origins : "'${origin}'"])
  }
  body = templatefile(var.openapi_template, merge(
    { for name, arn in var.function_invoke_arns : "fn_${name}" => arn },
    { user_pool_arn = var.user_pool_arn },
    local.cors,
  ))
  # From the template, not the rendered body: the set must be known before the ARNs are.
  operations = distinct([for match in regexall("\"operationId\": \"([A-Za-z]+)\"", file(var.openapi_template)) : match[0]])
}

resource "aws_api_gateway_rest_api" "this" {
  name = var.name
  body = local.body

  endpoint_configuration {
    types = ["REGIONAL"]
  }

  tags = var.tags

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_api_gateway_deployment" "this" {
  rest_api_id = aws_api_gateway_rest_api.this.id

  # A changed document is a new deployment of the stage.
  triggers = {
    redeployment = sha256(local.body)
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_cloudwatch_log_group" "access" {
  name              = "/aws/apigateway/${var.name}/${var.stage_name}"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

resource "aws_api_gateway_stage" "this" {
  # Logging needs the account's CloudWatch role, and its groups must exist with their
  # retention before API Gateway writes (it would create them without one).
  depends_on = [aws_api_gateway_account.this, aws_cloudwatch_log_group.execution]

  rest_api_id   = aws_api_gateway_rest_api.this.id
  deployment_id = aws_api_gateway_deployment.this.id
  stage_name    = var.stage_name

  dynamic "access_log_settings" {
    for_each = var.logging ? [aws_cloudwatch_log_group.access.arn] : []
    content {
      destination_arn = access_log_settings.value
      format = jsonencode({
        requestId      = "$context.requestId"
        ip             = "$context.identity.sourceIp"
        caller         = "$context.authorizer.claims.sub"
        requestTime    = "$context.requestTime"
        httpMethod     = "$context.httpMethod"
        resourcePath   = "$context.resourcePath"
        status         = "$context.status"
        responseLength = "$context.responseLength"
        latency        = "$context.responseLatency"
      })
    }
  }

  tags = var.tags
}

resource "aws_api_gateway_method_settings" "this" {
  rest_api_id = aws_api_gateway_rest_api.this.id
  stage_name  = aws_api_gateway_stage.this.stage_name
  method_path = "*/*"

  settings {
    throttling_rate_limit  = var.throttling_rate_limit
    throttling_burst_limit = var.throttling_burst_limit
    metrics_enabled        = false
    logging_level          = var.logging ? "ERROR" : "OFF"
  }
}

resource "aws_lambda_permission" "this" {
  for_each = toset(local.operations)

  statement_id  = "api-${var.name}"
  action        = "lambda:InvokeFunction"
  function_name = var.function_names[each.key]
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.this.execution_arn}/*/*"
}

# API Gateway writes access logs with an account-wide role (one per region): an opt-in,
# since it takes over a setting other stacks of the account may rely on. On destroy the
# setting is reset rather than left naming the role destroyed with it.
resource "aws_api_gateway_account" "this" {
  count               = var.manage_account_logging_role ? 1 : 0
  cloudwatch_role_arn = aws_iam_role.logging[0].arn
  reset_on_delete     = true
}

resource "aws_iam_role" "logging" {
  count = var.manage_account_logging_role ? 1 : 0

  name               = "${var.name}-cloudwatch"
  assume_role_policy = data.aws_iam_policy_document.apigateway_assume.json
  tags               = var.tags
}

data "aws_iam_policy_document" "apigateway_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["apigateway.amazonaws.com"]
    }
  }
}

# What the managed AmazonAPIGatewayPushToCloudWatchLogs policy grants, limited to this
# account's log groups in this region.
data "aws_iam_policy_document" "logging" {
  statement {
    actions = [
      "logs:CreateLogGroup",
      "logs:CreateLogStream",
      "logs:DescribeLogGroups",
      "logs:DescribeLogStreams",
      "logs:PutLogEvents",
      "logs:GetLogEvents",
      "logs:FilterLogEvents",
    ]
    resources = ["arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:log-group:*"]
  }
}

data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

resource "aws_iam_role_policy" "logging" {
  count = var.manage_account_logging_role ? 1 : 0

  name   = "push-to-cloudwatch-logs"
  role   = aws_iam_role.logging[0].id
  policy = data.aws_iam_policy_document.logging.json
}
