output "table_name" {
  description = "The DynamoDB table."
  value       = module.dynamodb.dynamodb_table_name
}

output "bucket_name" {
  description = "The images bucket."
  value       = module.s3.s3_bucket_id
}

output "bus_name" {
  description = "The EventBridge bus."
  value       = module.eventbridge.eventbridge_bus_name
}

output "user_pool_id" {
  description = "The Cognito user pool."
  value       = module.cognito.cognito_user_pool_id
}

output "user_pool_client_id" {
  description = "The mobile app's client."
  value       = module.cognito.cognito_user_pool_client_id
}

output "user_pool_endpoint" {
  description = "The pool's endpoint (its token issuer without https://)."
  value       = module.cognito.cognito_user_pool_endpoint
}

output "api_id" {
  description = "The REST API."
  value       = module.api_gateway.api_gateway_rest_api_id
}

output "api_url" {
  description = "Base URL of the prod stage."
  value       = module.api_gateway.api_gateway_stage_invoke_url
}

output "function_names" {
  description = "Deployed name of each function, by its manifest name."
  value       = module.lambda.lambda_function_names
}

output "schedule_group" {
  description = "The Scheduler group of one-time schedules."
  value       = module.eventbridge.scheduler_group_name
}

output "scheduler_role_arn" {
  description = "The role the group's schedules invoke their targets with."
  value       = module.eventbridge.scheduler_role_arn
}

output "function_environment" {
  description = "What every function is told about where the resources are (no secrets)."
  value = {
    ECOBID_TABLE        = module.dynamodb.dynamodb_table_name
    ECOBID_BUCKET       = module.s3.s3_bucket_id
    ECOBID_BUS          = module.eventbridge.eventbridge_bus_name
    ECOBID_USER_POOL_ID = module.cognito.cognito_user_pool_id
    ECOBID_CLIENT_ID    = module.cognito.cognito_user_pool_client_id
  }
}
