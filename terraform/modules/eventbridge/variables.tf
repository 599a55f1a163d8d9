variable "bus_name" {
  description = "Name of the event bus."
  type        = string
}

variable "source_name" {
  description = "The source the project's events carry."
  type        = string
  default     = "ecobid"
}

variable "event_rules" {
  description = "Rules on the bus: rule name => the detail type it matches and the function (name and ARN) it invokes."
  type = map(object({
    detail_type   = string
    function_name = string
    function_arn  = string
  }))
}

variable "schedule_rules" {
  description = "Periodic rules (on the default bus, the only one schedules run on): rule name => expression and target function."
  type = map(object({
    schedule_expression = string
    function_name       = string
    function_arn        = string
  }))
  default = {}
}

variable "schedule_group_name" {
  description = "Name of the EventBridge Scheduler group the one-time schedules (end an auction, expire a reservation) live in."
  type        = string
}

variable "scheduled_function_arns" {
  description = "Functions the group's schedules may invoke."
  type        = list(string)
}

variable "retry_attempts" {
  description = "Retries of a failed delivery to a rule's target."
  type        = number
  default     = 8
}

variable "alarm_actions" {
  description = "ARNs (e.g. an SNS topic) notified when the delivery-failure queue is not empty; empty for a console-only alarm."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
