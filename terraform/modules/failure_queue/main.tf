# Where work that failed every retry waits, 14 days, to be replayed; whoever sends to it
# is granted that by its caller (a queue policy or the sender's role).
resource "aws_sqs_queue" "this" {
  name                      = var.name
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
  tags                      = var.tags
}

# Nothing lands in the queue unless every retry failed, so one message is worth a look.
resource "aws_cloudwatch_metric_alarm" "not_empty" {
  alarm_name          = "${aws_sqs_queue.this.name}-not-empty"
  alarm_description   = var.description
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = aws_sqs_queue.this.name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  tags                = var.tags
}
