# SNS platform applications for mobile push (APNs, FCM), one per configured platform.
#
# The platforms' credentials stay out of code and state: each is read at apply time from
# an SSM SecureString parameter through an ephemeral resource (never stored) and handed to
# `python -m deploy.push_apps` in its environment, which creates the application, or
# updates its credentials. Terraform's own SNS resource would keep the credential among
# its arguments; this keeps only the names. An application's ARN follows from its name
# (arn:<partition>:sns:<region>:<account>:app/<platform>/<name>), so the functions'
# policies name it before it exists.
data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

ephemeral "aws_ssm_parameter" "credential" {
  for_each = var.platforms

  arn             = "arn:${data.aws_partition.current.partition}:ssm:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:parameter/${trimprefix(each.value.credential_parameter, "/")}"
  with_decryption = true
}

ephemeral "aws_ssm_parameter" "principal" {
  for_each = { for key, platform in var.platforms : key => platform if platform.principal_parameter != null }

  arn             = "arn:${data.aws_partition.current.partition}:ssm:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:parameter/${trimprefix(each.value.principal_parameter, "/")}"
  with_decryption = true
}

locals {
  applications = {
    for key, platform in var.platforms : key => {
      name     = "${var.name_prefix}-${key}"
      platform = platform.platform
      arn      = "arn:${data.aws_partition.current.partition}:sns:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:app/${platform.platform}/${var.name_prefix}-${key}"
    }
  }
}

resource "terraform_data" "application" {
  for_each = var.platforms

  # Only names: what the destroy-time command needs, and what a change replaces.
  input = {
    arn      = local.applications[each.key].arn
    name     = local.applications[each.key].name
    platform = each.value.platform
    region   = data.aws_region.current.name
    endpoint = coalesce(var.aws_endpoint, "")
    python   = var.python
    project  = var.project_dir
  }
  triggers_replace = [each.value.credential_parameter, each.value.principal_parameter, each.value.platform]

  provisioner "local-exec" {
    working_dir = var.project_dir
    command     = "${var.python} -m deploy.push_apps create"
    environment = {
      ECOBID_PUSH_APP_NAME      = local.applications[each.key].name
      ECOBID_PUSH_APP_PLATFORM  = each.value.platform
      ECOBID_PUSH_APP_TEAM_ID   = coalesce(each.value.apple_team_id, "")
      ECOBID_PUSH_APP_BUNDLE_ID = coalesce(each.value.apple_bundle_id, "")
      ECOBID_PUSH_CREDENTIAL    = ephemeral.aws_ssm_parameter.credential[each.key].value
      ECOBID_PUSH_PRINCIPAL     = each.value.principal_parameter == null ? "" : ephemeral.aws_ssm_parameter.principal[each.key].value
      AWS_REGION                = data.aws_region.current.name
      ECOBID_AWS_ENDPOINT_URL   = coalesce(var.aws_endpoint, "")
    }
  }

  provisioner "local-exec" {
    when        = destroy
    working_dir = self.input.project
    command     = "${self.input.python} -m deploy.push_apps delete ${self.input.arn}"
    environment = {
      AWS_REGION              = self.input.region
      ECOBID_AWS_ENDPOINT_URL = self.input.endpoint
    }
  }
}
