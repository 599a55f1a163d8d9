# Each function's policy grants what its manifest's access names say, on the resources
# they name, and nothing else: no wildcard action, no resource of another function.
locals {
  table_and_indexes = [var.resources.table_arn, "${var.resources.table_arn}/index/*"]
  images            = ["${var.resources.bucket_arn}/${var.image_prefix}*"]

  grants = {
    # Reads only: a function with table_read alone (the GET routes) cannot change a row.
    table_read = [{
      actions   = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"]
      resources = local.table_and_indexes
    }]
    table_write = [{
      actions   = ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem"]
      resources = [var.resources.table_arn]
    }]
    stream = [{
      actions   = ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"]
      resources = [var.resources.stream_arn]
    }]
    images_read = [{
      actions   = ["s3:GetObject"]
      resources = local.images
    }]
    # An upload or a variant is written with its photo tag, which needs PutObjectTagging
    # beside PutObject: https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-tagging.html
    images_write = [{
      actions   = ["s3:PutObject", "s3:PutObjectTagging"]
      resources = local.images
    }]
    # The pipeline deletes the originals it rejects and those of items that are gone.
    images_delete = [{
      actions   = ["s3:DeleteObject"]
      resources = local.images
    }]
    # Photos of an item that is gone are retagged so the lifecycle rules delete them.
    images_tag = [{
      actions   = ["s3:PutObjectTagging"]
      resources = local.images
    }]
    bus = [{
      actions   = ["events:PutEvents"]
      resources = [var.resources.bus_arn]
    }]
    pool = [{
      actions   = ["cognito-idp:AdminUpdateUserAttributes", "cognito-idp:AdminDeleteUserAttributes"]
      resources = [var.resources.user_pool_arn]
    }]
    # DetectModerationLabels supports no resource-level permission: "*" is the only form.
    moderation = [{
      actions   = ["rekognition:DetectModerationLabels"]
      resources = ["*"]
    }]
    scheduler = [
      {
        actions   = ["scheduler:CreateSchedule", "scheduler:UpdateSchedule", "scheduler:DeleteSchedule", "scheduler:GetSchedule"]
        resources = ["${replace(var.resources.schedule_group_arn, ":schedule-group/", ":schedule/")}/*"]
      },
      {
        actions   = ["iam:PassRole"]
        resources = [var.resources.scheduler_role_arn]
      },
    ]
  }
}

data "aws_iam_policy_document" "access" {
  for_each = local.functions

  # SNS and self-invocation (push.tf): a document of its own, complete at plan time.
  source_policy_documents = contains(keys(local.push_functions), each.key) ? [data.aws_iam_policy_document.push[each.key].json] : []

  statement {
    sid       = "OwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this[each.key].arn}:*"]
  }

  statement {
    sid       = "FailureQueue"
    actions   = ["sqs:SendMessage"]
    resources = [module.failures.arn]
  }

  dynamic "statement" {
    for_each = flatten([for access in each.value.access : lookup(local.grants, access, [])])
    content {
      actions   = statement.value.actions
      resources = statement.value.resources
    }
  }
}
