"""The Lambda functions' entry modules: one named handler per function.

``catalog.FUNCTIONS`` lists every function with its handler's dotted path; Terraform and
the packaging step read that table. An entry module imports only what its functions
need, and nothing heavy at import: the container is built on the first invocation.
"""
