# SNS mobile push and the consumer's continuations: the access names push_register,
# push_publish and self_invoke. With no platform application configured, the push
# grants are empty: no function may call SNS at all.
data "aws_partition" "push" {}
data "aws_region" "push" {}
data "aws_caller_identity" "push" {}

variable "push_application_arns" {
  description = "ARNs of the SNS platform applications (APNs, FCM) devices register with; empty: no push."
  type        = list(string)
  default     = []
}

locals {
  # An endpoint's ARN is its application's with ":app/" turned into ":endpoint/" and the
  # endpoint's id appended (arn:aws:sns:<region>:<account>:endpoint/APNS/<app>/<id>).
  push_endpoints = [for arn in var.push_application_arns : "${replace(arn, ":app/", ":endpoint/")}/*"]
  push_grants = {
    push_register = length(var.push_application_arns) == 0 ? [] : [
      {
        actions   = ["sns:CreatePlatformEndpoint"]
        resources = var.push_application_arns
      },
      {
        actions   = ["sns:GetEndpointAttributes", "sns:SetEndpointAttributes", "sns:DeleteEndpoint"]
        resources = local.push_endpoints
      },
    ]
    # The consumer publishes, and deletes the endpoint of a token the platform rejected.
    push_publish = length(var.push_application_arns) == 0 ? [] : [{
      actions   = ["sns:Publish", "sns:DeleteEndpoint"]
      resources = local.push_endpoints
    }]
  }
  push_statements = {
    for name, function in local.functions : name => concat(
      flatten([for access in function.access : lookup(local.push_grants, access, [])]),
      contains(function.access, "self_invoke") ? [{
        actions   = ["lambda:InvokeFunction"]
        resources = ["${local.own_arn_prefix}${name}"]
      }] : [],
    )
  }
  push_functions = { for name, statements in local.push_statements : name => statements if length(statements) > 0 }
  # Named, not referenced: the function depends on its policy, so its own ARN is built.
  own_arn_prefix = "arn:${data.aws_partition.push.partition}:lambda:${data.aws_region.push.name}:${data.aws_caller_identity.push.account_id}:function:${var.name_prefix}-"
}

# Known at plan time (no resource of this stage in it), so a plan shows what each function
# may do with SNS, and on which ARNs.
data "aws_iam_policy_document" "push" {
  for_each = local.push_functions

  dynamic "statement" {
    for_each = each.value
    content {
      actions   = statement.value.actions
      resources = statement.value.resources
    }
  }
}
