output "application_arns" {
  description = "ARN of each platform application, by key (ios, android)."
  value       = { for key, application in local.applications : key => application.arn }
  depends_on  = [terraform_data.application]
}

output "environment" {
  description = "What the code's AwsSettings reads to push: an application's ARN per platform."
  value = merge(
    contains(keys(local.applications), "ios") ? { ECOBID_APNS_APPLICATION_ARN = local.applications.ios.arn } : {},
    contains(keys(local.applications), "android") ? { ECOBID_FCM_APPLICATION_ARN = local.applications.android.arn } : {},
  )
  depends_on = [terraform_data.application]
}
