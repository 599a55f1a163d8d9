variable "name" {
  description = "Name of the REST API."
  type        = string
}

variable "openapi_template" {
  description = "Path of the OpenAPI template written by ./dev package (openapi.json.tftpl)."
  type        = string
}

variable "function_invoke_arns" {
  description = "Invoke ARN of each function by name; each operation's integration is the function named like its operationId."
  type        = map(string)
}

variable "function_names" {
  description = "Deployed name of each function by its manifest name (for the invoke permissions)."
  type        = map(string)
}

variable "user_pool_arn" {
  description = "The Cognito user pool whose tokens the authorizer accepts."
  type        = string
}

variable "cors_origins" {
  description = "Web origins allowed to read the API's answers (scheme://host[:port]), or [\"*\"] for all. The preflight names the request's origin when it is one of them; the gateway's own error answers name the one origin, or with several the request's Origin (a gateway response carries one fixed value or a request header)."
  type        = list(string)
  default     = ["*"]

  validation {
    condition     = length(var.cors_origins) > 0 && alltrue([for origin in var.cors_origins : origin == "*" || can(regex("^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$", origin))])
    error_message = "Each origin is \"*\" or scheme://host[:port], with no path, quote or trailing slash."
  }
}

variable "stage_name" {
  description = "Name of the stage."
  type        = string
  default     = "prod"
}

variable "throttling_rate_limit" {
  description = "Steady requests per second across the stage."
  type        = number
  default     = 1000
}

variable "throttling_burst_limit" {
  description = "Burst of requests across the stage."
  type        = number
  default     = 2000
}

variable "log_retention_days" {
  description = "Days the access logs are kept."
  type        = number
  default     = 14
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}

variable "manage_account_logging_role" {
  description = "Set the region's API Gateway CloudWatch role, an account-wide setting (needed once per account and region before any stage may log); off unless this stack is to own it."
  type        = bool
  default     = false
}

variable "logging" {
  description = "Access logs and ERROR execution logs of the stage. API Gateway refuses them unless the account's CloudWatch role is set (manage_account_logging_role, or already set)."
  type        = bool
  default     = false
}
