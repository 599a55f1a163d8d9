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

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
