"""Build and deploy tooling: Lambda packages, generated Terraform inputs, Terraform runs.

Not part of the installed library and never inside a Lambda package.
"""
