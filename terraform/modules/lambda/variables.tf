variable "name_prefix" {
  description = "Prefix of every name (function, role, layer, queue), e.g. ecobid-prod."
  type        = string
}

variable "package_dir" {
  description = "Folder holding the package built by ./dev package (manifest.json and its zips)."
  type        = string
}

variable "environment" {
  description = "Environment variables every function gets (where the resources are)."
  type        = map(string)
}

variable "function_environment" {
  description = "Further environment variables of some functions only, by function name."
  type        = map(map(string))
  default     = {}

  validation {
    condition     = length(setsubtract(keys(var.function_environment), keys(local.functions))) == 0
    error_message = "function_environment names functions the manifest lacks: ${join(", ", setsubtract(keys(var.function_environment), keys(local.functions)))}."
  }
}

variable "resources" {
  description = "ARNs the functions' access names map to: table, its stream, bucket, bus, user pool, schedule group and the role schedules run with."
  type = object({
    table_arn          = string
    stream_arn         = string
    bucket_arn         = string
    bus_arn            = string
    user_pool_arn      = string
    schedule_group_arn = string
    scheduler_role_arn = string
  })
}

variable "image_prefix" {
  description = "Key prefix of the images functions may read and write."
  type        = string
  default     = "items/"
}

variable "default_memory" {
  description = "Memory (MB) of a function whose manifest entry says less."
  type        = number
  default     = 128
}

variable "log_retention_days" {
  description = "Days a function's logs are kept."
  type        = number
  default     = 14
}

variable "reserved_concurrency" {
  description = "Reserved concurrency by function name; a function not named here has none (-1). Lambda refuses a reservation that leaves the account fewer than 10 unreserved executions, and a new account's limit may be 10 in all: keep it empty there."
  type        = map(number)
  default     = {}

  # A misspelt name would otherwise be ignored by lookup() and reserve nothing.
  validation {
    condition     = length(setsubtract(keys(var.reserved_concurrency), keys(local.functions))) == 0
    error_message = "reserved_concurrency names functions the manifest lacks: ${join(", ", setsubtract(keys(var.reserved_concurrency), keys(local.functions)))}."
  }
}

variable "memory" {
  description = "Memory (MB) by function name, overriding the manifest's size."
  type        = map(number)
  default     = {}

  validation {
    condition     = length(setsubtract(keys(var.memory), keys(local.functions))) == 0
    error_message = "memory names functions the manifest lacks: ${join(", ", setsubtract(keys(var.memory), keys(local.functions)))}."
  }
}

variable "stream_consumer" {
  description = "Name of the function reading the table's stream (the outbox publisher)."
  type        = string
}

variable "stream_batch_size" {
  description = "Stream records per invocation."
  type        = number
  default     = 25
}

variable "stream_retry_attempts" {
  description = "Retries of a failing stream batch (halved each time by bisect) before it goes to the failure queue."
  type        = number
  default     = 5
}

variable "alarm_actions" {
  description = "ARNs (e.g. an SNS topic) notified when the failure queue is not empty; empty for a console-only alarm."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
