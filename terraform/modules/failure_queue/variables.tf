variable "name" {
  description = "The queue's name; the alarm is named after it."
  type        = string
}

variable "description" {
  description = "What a message in the queue is, and what to do about it (the alarm's description)."
  type        = string
}

variable "alarm_actions" {
  description = "ARNs notified when the queue holds a message (an SNS topic, say); none by default."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags for the queue and its alarm."
  type        = map(string)
  default     = {}
}
