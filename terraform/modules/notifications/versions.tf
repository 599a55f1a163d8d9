terraform {
  required_version = ">= 1.10" # ephemeral resources

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.84, < 6.0" # ephemeral aws_ssm_parameter
    }
  }
}
