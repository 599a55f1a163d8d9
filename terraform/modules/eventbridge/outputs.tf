output "eventbridge_bus_name" {
  description = "Name of the event bus."
  value       = aws_cloudwatch_event_bus.this.name
}

output "eventbridge_bus_arn" {
  description = "ARN of the event bus."
  value       = aws_cloudwatch_event_bus.this.arn
}

output "eventbridge_rule_arns" {
  description = "ARN of each rule, by its key."
  value = merge(
    { for name, rule in aws_cloudwatch_event_rule.events : name => rule.arn },
    { for name, rule in aws_cloudwatch_event_rule.schedules : name => rule.arn },
  )
}

output "scheduler_group_name" {
  description = "Name of the Scheduler group."
  value       = aws_scheduler_schedule_group.this.name
}

output "scheduler_group_arn" {
  description = "ARN of the Scheduler group."
  value       = aws_scheduler_schedule_group.this.arn
}

output "scheduler_role_arn" {
  description = "ARN of the role the group's schedules run with."
  value       = aws_iam_role.scheduler.arn
}

output "failure_queue_arn" {
  description = "ARN of the queue undeliverable rule and schedule events go to (the one-time schedules name it as their dead-letter queue)."
  value       = module.failures.arn
}
