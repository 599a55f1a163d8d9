variable "name_prefix" {
  description = "Prefix of the applications' names, e.g. ecobid-prod (ecobid-prod-ios, ecobid-prod-android)."
  type        = string
}

variable "platforms" {
  description = "Platform applications by key (ios, android): the SNS platform (APNS, APNS_SANDBOX or GCM) and the SSM SecureString parameters holding the credential (APNs signing key, FCM service-account JSON) and, for APNs token authentication, the signing key id as principal. Empty: no application, nothing is pushed."
  type = map(object({
    platform             = string
    credential_parameter = string
    principal_parameter  = optional(string)
    apple_team_id        = optional(string)
    apple_bundle_id      = optional(string)
  }))
  default = {}

  validation {
    condition     = alltrue([for p in values(var.platforms) : contains(["APNS", "APNS_SANDBOX", "GCM"], p.platform)])
    error_message = "platform must be APNS, APNS_SANDBOX or GCM."
  }
}

variable "aws_endpoint" {
  description = "One endpoint for every AWS API (a local emulator); null for AWS itself."
  type        = string
  default     = null
}

variable "python" {
  description = "The Python that runs deploy.push_apps (boto3 installed)."
  type        = string
  default     = "python3"
}

variable "project_dir" {
  description = "The project's root, where deploy.push_apps is importable."
  type        = string
}
