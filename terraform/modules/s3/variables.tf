variable "name" {
  description = "Name of the bucket."
  type        = string
}

variable "photo_tag" {
  description = "The object tag whose value says where a photo is in its life (pending, listed, gone)."
  type        = string
  default     = "ecobid-photo"
}

variable "expire_after_days" {
  description = "Days after its creation a photo tagged with each value expires: unattached uploads (pending) and photos of items that are gone. Photos of listed items have no rule."
  type        = map(number)
  default = {
    pending = 30
    gone    = 30
  }
}

variable "noncurrent_days" {
  description = "Days a replaced or deleted version is kept before it is deleted for good."
  type        = number
  default     = 30
}

variable "max_photo_days" {
  description = "Longest a photo may outlive its item (or, unattached, its upload), versions included; the plan checks the rules above keep to it."
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
