terraform {
  required_version = ">= 1.11" # ephemeral resources (1.10), S3 lockfile (1.11) as every root

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.84, < 6.0" # ephemeral aws_ssm_parameter
    }
  }
}
