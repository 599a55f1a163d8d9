# The execution log group API Gateway writes when a stage logs (logging_level above OFF).
# API Gateway creates it on first use without retention, kept forever and billed; made
# here first, it has one. Its name is API Gateway's:
# https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
resource "aws_cloudwatch_log_group" "execution" {
  name              = "API-Gateway-Execution-Logs_${aws_api_gateway_rest_api.this.id}/${var.stage_name}"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}
