resource "aws_s3_bucket" "this" {
  bucket        = var.name
  force_destroy = var.force_destroy
  tags          = var.tags
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "this" {
  bucket = aws_s3_bucket.this.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

# Photos are tagged by the code (ecobid_adapters/images/keys.py): "pending" from the
# upload until the pipeline accepts it, "listed" while its item is listed (no rule: never
# expired), "gone" once its item is given, sold, ended or withdrawn. Expiration counts
# from an object's creation, so a photo tagged gone late goes at the next lifecycle run;
# it then lingers as a noncurrent version for noncurrent_days. Lifecycle rules and tag
# filters: https://docs.aws.amazon.com/AmazonS3/latest/userguide/intro-lifecycle-rules.html
# S3 rounds each step up to the next midnight UTC, a day at most per step:
# https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-expire-general-considerations.html
resource "aws_s3_bucket_lifecycle_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  dynamic "rule" {
    for_each = var.expire_after_days
    content {
      id     = "expire-${rule.key}-photos"
      status = "Enabled"
      filter {
        tag {
          key   = var.photo_tag
          value = rule.key
        }
      }
      expiration {
        days = rule.value
      }
    }
  }

  rule {
    id     = "forget-old-versions"
    status = "Enabled"
    filter {}

    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_days
    }
    # A delete marker with no versions left behind it is removed too.
    expiration {
      expired_object_delete_marker = true
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  # Versioning must be on before a rule about noncurrent versions means anything.
  depends_on = [aws_s3_bucket_versioning.this]

  lifecycle {
    precondition {
      # Each step may wait for the next midnight UTC: two days at most on top.
      condition     = alltrue([for days in values(var.expire_after_days) : days + var.noncurrent_days + 2 <= var.max_photo_days])
      error_message = "A photo must be gone, versions included, within max_photo_days of its item ending (or of its upload, unattached): expire_after_days + noncurrent_days + 2 exceeds it."
    }
    precondition {
      condition     = !contains(keys(var.expire_after_days), "listed")
      error_message = "Photos of listed items are never expired."
    }
  }
}

resource "aws_s3_bucket_cors_configuration" "this" {
  bucket = aws_s3_bucket.this.id
  cors_rule {
    allowed_methods = ["GET", "POST", "PUT"]
    allowed_origins = var.cors_allowed_origins
    allowed_headers = ["*"]
    expose_headers  = ["ETag"]
    max_age_seconds = 3000
  }
}

data "aws_iam_policy_document" "tls_only" {
  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      aws_s3_bucket.this.arn,
      "${aws_s3_bucket.this.arn}/*",
    ]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  policy = data.aws_iam_policy_document.tls_only.json

  depends_on = [aws_s3_bucket_public_access_block.this]
}

resource "aws_lambda_permission" "notification" {
  count = var.notification == null ? 0 : 1

  statement_id  = "s3-${var.name}"
  action        = "lambda:InvokeFunction"
  function_name = var.notification.function_name
  principal     = "s3.amazonaws.com"
  source_arn    = aws_s3_bucket.this.arn
  # Bucket names are global: after this bucket is deleted, another account could create
  # one with its name and invoke the function, unless the account is named too:
  # https://docs.aws.amazon.com/lambda/latest/dg/with-s3.html
  source_account = data.aws_caller_identity.current.account_id
}

data "aws_caller_identity" "current" {}

resource "aws_s3_bucket_notification" "this" {
  count  = var.notification == null ? 0 : 1
  bucket = aws_s3_bucket.this.id

  # S3 checks it may invoke the function when the notification is saved.
  depends_on = [aws_lambda_permission.notification]

  lambda_function {
    lambda_function_arn = var.notification.function_arn
    events              = ["s3:ObjectCreated:*"]
    filter_prefix       = var.notification_prefix
    filter_suffix       = var.notification_suffix
  }
}
