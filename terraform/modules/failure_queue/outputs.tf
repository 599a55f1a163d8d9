output "arn" {
  description = "The queue's ARN, for dead-letter configurations and policies."
  value       = aws_sqs_queue.this.arn
}

output "url" {
  description = "The queue's URL, for its queue policy."
  value       = aws_sqs_queue.this.id
}

output "name" {
  description = "The queue's name."
  value       = aws_sqs_queue.this.name
}
