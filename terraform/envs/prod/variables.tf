variable "region" {
  description = "AWS region of every resource."
  type        = string
  default     = "eu-central-1"
}

variable "env" {
  description = "Environment name, part of every resource name (ecobid-<env>-...)."
  type        = string
  default     = "prod"
}

variable "aws_endpoint" {
  description = "One endpoint for every AWS API (a local emulator such as a moto server); null for AWS itself."
  type        = string
  default     = null
}

variable "package_dir" {
  description = "Folder ./dev package wrote (manifest.json, zips, table.json, openapi.json.tftpl)."
  type        = string
  default     = "../../../dist/lambda"
}

variable "billing_mode" {
  description = "The table's billing: PAY_PER_REQUEST (as planned) or PROVISIONED (within the always-free 25 RCU / 25 WCU)."
  type        = string
  default     = "PAY_PER_REQUEST"
}

variable "protect_data" {
  description = "Deletion protection and point-in-time recovery of the table, deletion protection of the user pool; false for throw-away environments."
  type        = bool
  default     = true
}

variable "cors_origins" {
  description = "Web origins (scheme://host[:port]) allowed to read the API's answers and to upload photos: the API's preflights, the gateway's own error answers, the functions' answers (ECOBID_CORS_ORIGINS) and the bucket's CORS rule. [\"*\"] allows every origin."
  type        = list(string)
  default     = ["*"]

  validation {
    condition     = length(var.cors_origins) > 0 && alltrue([for origin in var.cors_origins : origin == "*" || can(regex("^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$", origin))])
    error_message = "Each origin is \"*\" or scheme://host[:port], with no path, quote or trailing slash."
  }
}

variable "log_retention_days" {
  description = "Days Lambda and API Gateway logs are kept."
  type        = number
  default     = 14
}

variable "reserved_concurrency" {
  description = "Reserved concurrency by function name (a name the function catalog lacks fails the plan). Empty by default: a new account's concurrency limit may be 10, and Lambda refuses any reservation that leaves fewer than 10 unreserved (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html). Background work is capped without it: one stream poller per shard (parallelization factor 1), small batches, and uploads only through throttled API grants."
  type        = map(number)
  default     = {}
}

variable "function_memory" {
  description = "Memory (MB) by function name, overriding the catalog's size (a name the catalog lacks fails the plan)."
  type        = map(number)
  default     = {}
}

variable "manage_api_gateway_account" {
  description = "Have this stack set the region's API Gateway CloudWatch role, an account-wide setting (reset on destroy). Off by default: another stack of the account may own it."
  type        = bool
  default     = false
}

variable "api_gateway_logging" {
  description = "Access and execution logs of the API stage. Needs the account's API Gateway CloudWatch role: set by this stack (manage_api_gateway_account) or already set in the account."
  type        = bool
  default     = false
}

variable "cognito_ses_email" {
  description = "Optional SES sender for the user pool's mail (verification codes, password resets): identity_arn of a verified SES identity, from_address, optional reply_to and configuration_set. Null keeps Cognito's default sender, capped at about 50 messages a day per account."
  type = object({
    identity_arn      = string
    from_address      = string
    reply_to          = optional(string)
    configuration_set = optional(string)
  })
  default = null
}

variable "alarm_actions" {
  description = "ARNs (e.g. an SNS topic with an email subscription) notified when a failure queue holds a message; empty leaves the alarms visible in the console only."
  type        = list(string)
  default     = []
}
