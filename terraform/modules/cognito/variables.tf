variable "name" {
  description = "Name of the user pool."
  type        = string
}

variable "client_name" {
  description = "Name of the mobile app's client."
  type        = string
}

variable "post_confirmation_function_arn" {
  description = "Function run when a user confirms the sign-up (creates the profile); null for none."
  type        = string
  default     = null
}

variable "password_minimum_length" {
  description = "Shortest password accepted."
  type        = number
  default     = 8
}

variable "id_token_minutes" {
  description = "Lifetime of ID and access tokens, in minutes."
  type        = number
  default     = 60
}

variable "refresh_token_days" {
  description = "Lifetime of refresh tokens, in days."
  type        = number
  default     = 30
}

variable "deletion_protection" {
  description = "Refuse to delete the pool (ACTIVE) or allow it (INACTIVE)."
  type        = string
  default     = "ACTIVE"
}

variable "ses_email" {
  description = "Send the pool's mail through SES: a verified SES identity's ARN (in a region Cognito allows for the pool's region, see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-email.html), the From address (e.g. \"EcoBid <no-reply@example.com>\"), optionally a reply-to and a configuration set. Null keeps Cognito's default sender (about 50 messages a day)."
  type = object({
    identity_arn      = string
    from_address      = string
    reply_to          = optional(string)
    configuration_set = optional(string)
  })
  default = null

  validation {
    condition     = var.ses_email == null || can(regex("^arn:aws[a-z-]*:ses:[a-z0-9-]+:[0-9]{12}:identity/.+$", var.ses_email.identity_arn))
    error_message = "ses_email.identity_arn must be an SES identity ARN (arn:aws:ses:<region>:<account>:identity/<email or domain>)."
  }
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
