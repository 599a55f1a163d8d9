variable "name" {
  description = "Name of the table."
  type        = string
}

variable "schema" {
  description = "Keys, indexes, TTL attribute and stream view, as generated from the adapter's schema module (table.json)."
  type = object({
    hash_key   = string
    range_key  = string
    attributes = map(string)
    global_secondary_indexes = map(object({
      hash_key           = string
      range_key          = optional(string)
      projection_type    = string
      non_key_attributes = list(string)
    }))
    ttl_attribute    = string
    stream_view_type = string
  })
}

variable "billing_mode" {
  description = "PAY_PER_REQUEST (on demand, billed per request) or PROVISIONED (the always-free 25 RCU / 25 WCU apply only here)."
  type        = string
  default     = "PAY_PER_REQUEST"

  validation {
    condition     = contains(["PAY_PER_REQUEST", "PROVISIONED"], var.billing_mode)
    error_message = "billing_mode must be PAY_PER_REQUEST or PROVISIONED."
  }
}

variable "provisioned_capacity" {
  description = "Read and write units of the table and of each index when billing_mode is PROVISIONED. The default keeps the table and its indexes within 25 RCU / 25 WCU in total."
  type = object({
    table_read  = number
    table_write = number
    index_read  = number
    index_write = number
  })
  default = {
    table_read  = 10
    table_write = 10
    index_read  = 5
    index_write = 5
  }
}

variable "point_in_time_recovery" {
  description = "Continuous backups for 35 days (billed per GB)."
  type        = bool
  default     = true
}

variable "deletion_protection" {
  description = "Refuse to delete the table; turn off only to tear an environment down."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
