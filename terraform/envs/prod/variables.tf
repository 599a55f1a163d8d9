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
  description = "Reserved concurrency by function name. Caps the background functions so a burst of events cannot spend the free tier's GB-seconds; needs an account concurrency limit above 10 (new accounts may have to ask)."
  type        = map(number)
  default = {
    PublishOutbox             = 2
    EndAuction                = 1
    CancelExpiredReservations = 1
    ProcessImageUpload        = 2
  }
}

variable "manage_api_gateway_account" {
  description = "Set the region's API Gateway CloudWatch logging role (once per account and region)."
  type        = bool
  default     = true
}
