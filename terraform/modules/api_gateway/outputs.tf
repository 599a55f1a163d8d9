output "api_gateway_rest_api_id" {
  description = "Id of the REST API."
  value       = aws_api_gateway_rest_api.this.id
}

output "api_gateway_rest_api_body" {
  description = "The OpenAPI document the API was built from."
  value       = local.body
}

output "api_gateway_stage_invoke_url" {
  description = "Base URL of the stage."
  value       = aws_api_gateway_stage.this.invoke_url
}

output "api_gateway_stage_name" {
  description = "Name of the stage."
  value       = aws_api_gateway_stage.this.stage_name
}
