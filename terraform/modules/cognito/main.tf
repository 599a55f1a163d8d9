locals {
  # Copies of profile fields the backend writes with admin calls.
  custom_attributes = {
    location = 32 # "-89.123456,-179.123456"
    rating   = 16 # "4.75/1234"
  }
}

resource "aws_cognito_user_pool" "this" {
  name                     = var.name
  username_attributes      = ["email"]
  auto_verified_attributes = ["email"]
  # Optional TOTP: SMS would need an SNS role and costs money per message.
  mfa_configuration = "OPTIONAL"
  # Lite has everything used here (TOTP, custom attributes, triggers) and 10,000 MAU free.
  user_pool_tier      = "LITE"
  deletion_protection = var.deletion_protection

  # Ann@Example.com and ann@example.com are one user (AWS's recommendation; it cannot be
  # changed once the pool exists): https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-case-sensitivity.html
  username_configuration {
    case_sensitive = false
  }

  # A new email takes effect only once its code is confirmed; until then the verified
  # old one stays the sign-in and recovery address:
  # https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-email-verification-message-customization.html#user-pool-settings-verification-attribute-update
  user_attribute_update_settings {
    attributes_require_verification_before_update = ["email"]
  }

  # Cognito's own sender allows about 50 messages a day per account; with a verified SES
  # identity the pool sends through SES instead (DEVELOPER), within SES's quotas:
  # https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-email.html
  dynamic "email_configuration" {
    for_each = var.ses_email == null ? [] : [var.ses_email]
    content {
      email_sending_account  = "DEVELOPER"
      source_arn             = email_configuration.value.identity_arn
      from_email_address     = email_configuration.value.from_address
      reply_to_email_address = email_configuration.value.reply_to
      configuration_set      = email_configuration.value.configuration_set
    }
  }

  software_token_mfa_configuration {
    enabled = true
  }

  password_policy {
    minimum_length                   = var.password_minimum_length
    require_uppercase                = true
    require_lowercase                = true
    require_numbers                  = true
    require_symbols                  = false
    temporary_password_validity_days = 7
  }

  account_recovery_setting {
    recovery_mechanism {
      name     = "verified_email"
      priority = 1
    }
  }

  dynamic "schema" {
    for_each = local.custom_attributes
    content {
      name                = schema.key
      attribute_data_type = "String"
      mutable             = true
      string_attribute_constraints {
        min_length = 0
        max_length = schema.value
      }
    }
  }

  dynamic "lambda_config" {
    for_each = var.post_confirmation_function_arn == null ? [] : [var.post_confirmation_function_arn]
    content {
      post_confirmation = lambda_config.value
    }
  }

  tags = var.tags
}

resource "aws_cognito_user_pool_client" "this" {
  name         = var.client_name
  user_pool_id = aws_cognito_user_pool.this.id
  # A mobile app cannot keep a secret.
  generate_secret               = false
  explicit_auth_flows           = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
  prevent_user_existence_errors = "ENABLED"
  # The app reads location and rating but may not write them: only the backend sets a
  # rating, with admin calls.
  read_attributes  = ["email", "email_verified", "custom:location", "custom:rating"]
  write_attributes = ["email"]

  id_token_validity      = var.id_token_minutes
  access_token_validity  = var.id_token_minutes
  refresh_token_validity = var.refresh_token_days
  token_validity_units {
    id_token      = "minutes"
    access_token  = "minutes"
    refresh_token = "days"
  }
}
