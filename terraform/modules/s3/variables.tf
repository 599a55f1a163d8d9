variable "name" {
  description = "Name of the bucket."
  type        = string
}

variable "expiration_days" {
  description = "Days after which objects, their noncurrent versions and incomplete multipart uploads are deleted."
  type        = number
  default     = 90
}

variable "cors_allowed_origins" {
  description = "Origins allowed to upload with a presigned POST and read images."
  type        = list(string)
  default     = ["*"]
}

variable "notification" {
  description = "The function invoked for every new original image (ObjectCreated under notification_prefix), or null for none."
  type = object({
    function_arn  = string
    function_name = string
  })
  default = null
}

variable "notification_prefix" {
  description = "Key prefix of the objects that trigger the notification."
  type        = string
  default     = "items/"
}

variable "notification_suffix" {
  description = "Key suffix of the objects that trigger the notification (the originals, not the variants the processor writes)."
  type        = string
  default     = "/original"
}

variable "force_destroy" {
  description = "Delete every object when the bucket is destroyed (test environments only)."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
