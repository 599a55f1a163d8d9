terraform {
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }

  # Remote state: an S3 bucket (with native locking) given at init time, so no account
  # detail is committed:
  #   terraform init -backend-config="bucket=<state bucket>" \
  #     -backend-config="key=ecobid/prod.tfstate" -backend-config="region=eu-central-1"
  # Local runs against an emulator use `terraform init -backend=false` or a local state
  # (see deploy/terraform.py).
  backend "s3" {
    use_lockfile = true
    encrypt      = true
  }
}
