provider "aws" {
  region = var.region

  # Against a local emulator: no real credentials, account or metadata service.
  skip_credentials_validation = var.aws_endpoint != null
  skip_requesting_account_id  = var.aws_endpoint != null
  skip_metadata_api_check     = var.aws_endpoint != null
  s3_use_path_style           = var.aws_endpoint != null

  dynamic "endpoints" {
    for_each = var.aws_endpoint == null ? [] : [var.aws_endpoint]
    content {
      apigateway     = endpoints.value
      cloudwatch     = endpoints.value
      cloudwatchlogs = endpoints.value
      cognitoidp     = endpoints.value
      dynamodb       = endpoints.value
      eventbridge    = endpoints.value
      iam            = endpoints.value
      lambda         = endpoints.value
      s3             = endpoints.value
      scheduler      = endpoints.value
      sqs            = endpoints.value
      sts            = endpoints.value
      sns            = endpoints.value
      ssm            = endpoints.value
    }
  }

  default_tags {
    tags = {
      project     = "ecobid"
      environment = var.env
    }
  }
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  prefix    = "ecobid-${var.env}"
  manifest  = jsondecode(file("${var.package_dir}/manifest.json"))
  functions = keys(local.manifest.functions)

  # The pool's trigger is named by ARN before the function exists: the function's
  # environment names the pool, so referring to the function would be a cycle.
  function_arn_prefix = "arn:${data.aws_partition.current.partition}:lambda:${var.region}:${data.aws_caller_identity.current.account_id}:function:${local.prefix}-"

  # Which function each trigger invokes, as ./dev package worked out from the code's
  # function table (a trigger whose function is not there is left out).
  wiring = local.manifest.wiring
  event_rules = {
    for detail_type, function in local.wiring.rules :
    lower(replace(detail_type, "/([a-z])([A-Z])/", "$1-$2")) => { detail_type = detail_type, function = function }
  }
  schedule_rules = {
    for expression, function in local.wiring.periodic :
    lower(replace(function, "/([a-z])([A-Z])/", "$1-$2")) => { expression = expression, function = function }
  }
  scheduled_functions = distinct(values(local.wiring.scheduled))
  # What the code's AwsSettings reads to make one-time schedules: the group, the role the
  # schedules run with, and each target's ARN as ECOBID_<KEY>_ARN (the wiring's keys
  # end_auction and expire_reservation). Told only to the functions that make schedules
  # (their access says "scheduler") and to the targets, which build a scheduler for
  # every firing (EndAuction re-arms an end that moved); the API functions never schedule.
  scheduling_environment = merge(
    {
      ECOBID_SCHEDULE_GROUP     = module.eventbridge.scheduler_group_name
      ECOBID_SCHEDULER_ROLE_ARN = module.eventbridge.scheduler_role_arn
      ECOBID_SCHEDULE_DLQ_ARN   = module.eventbridge.failure_queue_arn
    },
    { for key, name in local.wiring.scheduled : "ECOBID_${upper(key)}_ARN" => "${local.function_arn_prefix}${name}" },
  )
  scheduling_functions = setunion(
    [for name, function in local.manifest.functions : name if contains(function.access, "scheduler")],
    local.scheduled_functions,
  )
  post_confirmation = lookup(local.wiring.post_confirmation, "profile", null)
  image_processor   = lookup(local.wiring.image_upload, "processor", null)
}

module "dynamodb" {
  source = "../../modules/dynamodb"

  name                   = "${local.prefix}-items"
  schema                 = jsondecode(file("${var.package_dir}/table.json"))
  billing_mode           = var.billing_mode
  point_in_time_recovery = var.protect_data
  deletion_protection    = var.protect_data
}

module "s3" {
  source = "../../modules/s3"

  # S3 names are global: the account id keeps two deployments (or strangers) apart.
  name                 = "${local.prefix}-images-${data.aws_caller_identity.current.account_id}"
  cors_allowed_origins = var.cors_origins
  force_destroy        = !var.protect_data
  notification = local.image_processor == null ? null : {
    function_arn  = module.lambda.lambda_function_arns[local.image_processor]
    function_name = module.lambda.lambda_function_names[local.image_processor]
  }
}

module "cognito" {
  source = "../../modules/cognito"

  name                           = "${local.prefix}-users"
  client_name                    = "${local.prefix}-app"
  post_confirmation_function_arn = local.post_confirmation == null ? null : "${local.function_arn_prefix}${local.post_confirmation}"
  deletion_protection            = var.protect_data ? "ACTIVE" : "INACTIVE"
  ses_email                      = var.cognito_ses_email
}

module "eventbridge" {
  source = "../../modules/eventbridge"

  bus_name            = "${local.prefix}-events"
  schedule_group_name = local.prefix
  event_rules = {
    for key, rule in local.event_rules : key => {
      detail_type   = rule.detail_type
      function_name = rule.function
      function_arn  = module.lambda.lambda_function_arns[rule.function]
    }
  }
  schedule_rules = {
    for key, rule in local.schedule_rules : key => {
      schedule_expression = rule.expression
      function_name       = rule.function
      function_arn        = module.lambda.lambda_function_arns[rule.function]
    }
  }
  scheduled_function_arns = [for name in local.scheduled_functions : "${local.function_arn_prefix}${name}"]
  alarm_actions           = var.alarm_actions
}

module "lambda" {
  source = "../../modules/lambda"

  name_prefix          = local.prefix
  package_dir          = var.package_dir
  log_retention_days   = var.log_retention_days
  alarm_actions        = var.alarm_actions
  reserved_concurrency = var.reserved_concurrency
  memory               = var.function_memory
  stream_consumer      = lookup(local.wiring.stream, "outbox", "")
  environment = merge(
    {
      ECOBID_BACKEND      = "aws"
      ECOBID_TABLE        = module.dynamodb.dynamodb_table_name
      ECOBID_BUCKET       = module.s3.s3_bucket_id
      ECOBID_BUS          = module.eventbridge.eventbridge_bus_name
      ECOBID_USER_POOL_ID = module.cognito.cognito_user_pool_id
      ECOBID_CLIENT_ID    = module.cognito.cognito_user_pool_client_id
      # The same origins the gateway allows (ecobid_entrypoints/api/cors.py).
      ECOBID_CORS_ORIGINS = join(",", var.cors_origins)
    },
    var.aws_endpoint == null ? {} : { ECOBID_AWS_ENDPOINT_URL = var.aws_endpoint },
    local.push_environment,
  )
  function_environment  = { for name in local.scheduling_functions : name => local.scheduling_environment }
  push_application_arns = local.push_application_arns
  resources = {
    table_arn          = module.dynamodb.dynamodb_table_arn
    stream_arn         = module.dynamodb.dynamodb_table_stream_arn
    bucket_arn         = module.s3.s3_bucket_arn
    bus_arn            = module.eventbridge.eventbridge_bus_arn
    user_pool_arn      = module.cognito.cognito_user_pool_arn
    schedule_group_arn = module.eventbridge.scheduler_group_arn
    scheduler_role_arn = module.eventbridge.scheduler_role_arn
  }
}

module "api_gateway" {
  source = "../../modules/api_gateway"

  name                        = "${local.prefix}-api"
  openapi_template            = "${var.package_dir}/openapi.json.tftpl"
  function_invoke_arns        = module.lambda.lambda_function_invoke_arns
  function_names              = module.lambda.lambda_function_names
  user_pool_arn               = module.cognito.cognito_user_pool_arn
  cors_origins                = var.cors_origins
  log_retention_days          = var.log_retention_days
  manage_account_logging_role = var.manage_api_gateway_account
  logging                     = var.manage_api_gateway_account || var.api_gateway_logging
}

resource "aws_lambda_permission" "cognito" {
  count = local.post_confirmation == null ? 0 : 1

  statement_id  = "cognito-post-confirmation"
  action        = "lambda:InvokeFunction"
  function_name = module.lambda.lambda_function_names[local.post_confirmation]
  principal     = "cognito-idp.amazonaws.com"
  source_arn    = module.cognito.cognito_user_pool_arn
}
