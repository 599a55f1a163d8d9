output "lambda_function_arns" {
  description = "ARN of each function, by its manifest name."
  value       = { for name, function in aws_lambda_function.this : name => function.arn }
}

output "lambda_function_invoke_arns" {
  description = "Invoke ARN (for API Gateway integrations) of each function, by its manifest name."
  value       = { for name, function in aws_lambda_function.this : name => function.invoke_arn }
}

output "lambda_function_names" {
  description = "Deployed name of each function, by its manifest name."
  value       = { for name, function in aws_lambda_function.this : name => function.function_name }
}

output "lambda_role_arns" {
  description = "ARN of each function's role, by its manifest name."
  value       = { for name, role in aws_iam_role.this : name => role.arn }
}

output "lambda_failure_queue_arn" {
  description = "ARN of the queue failed stream batches and asynchronous events go to."
  value       = module.failures.arn
}
