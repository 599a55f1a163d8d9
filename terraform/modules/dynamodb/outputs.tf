output "dynamodb_table_name" {
  description = "Name of the table."
  value       = aws_dynamodb_table.this.name
}

output "dynamodb_table_arn" {
  description = "ARN of the table."
  value       = aws_dynamodb_table.this.arn
}

output "dynamodb_table_stream_arn" {
  description = "ARN of the table's stream (new images)."
  value       = aws_dynamodb_table.this.stream_arn
}
