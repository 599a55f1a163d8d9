output "cognito_user_pool_id" {
  description = "Id of the user pool."
  value       = aws_cognito_user_pool.this.id
}

output "cognito_user_pool_arn" {
  description = "ARN of the user pool."
  value       = aws_cognito_user_pool.this.arn
}

output "cognito_user_pool_endpoint" {
  description = "Endpoint of the user pool (the token issuer without https://)."
  value       = aws_cognito_user_pool.this.endpoint
}

output "cognito_user_pool_client_id" {
  description = "Id of the mobile app's client."
  value       = aws_cognito_user_pool_client.this.id
}
