# Mobile push: SNS platform applications from `push_platforms` (none by default: then no
# application is made, no function may call SNS, and notifications are listed in-app
# only). README: "Connecting an APNs key and an FCM project".
variable "push_platforms" {
  description = "SNS platform applications by key (ios, android); see the notifications module. Credentials are named by SSM parameter, never given here."
  type = map(object({
    platform             = string
    credential_parameter = string
    principal_parameter  = optional(string)
    apple_team_id        = optional(string)
    apple_bundle_id      = optional(string)
  }))
  default = {}
}

variable "push_python" {
  description = "The Python (with boto3) that creates the platform applications at apply time."
  type        = string
  default     = "python3"
}

variable "push_project_dir" {
  description = "The project's root (where deploy.push_apps is), when this root is run from a copy elsewhere."
  type        = string
  default     = null
}

module "notifications" {
  source = "../../modules/notifications"

  name_prefix  = local.prefix
  platforms    = var.push_platforms
  aws_endpoint = var.aws_endpoint
  python       = var.push_python
  project_dir  = coalesce(var.push_project_dir, abspath("${path.root}/../../.."))
}

locals {
  push_application_arns = values(module.notifications.application_arns)
  # Told to every function: the ARNs are no secret, and only those granted SNS use them.
  push_environment = module.notifications.environment
}
