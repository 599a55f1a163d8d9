"""The allowed origins, one Terraform variable, reach every answer the gateway gives.

The api_gateway module renders the document from ``cors_origins``; ``terraform console``
evaluates the rendered body offline (no AWS, no apply). All the origins reach the
preflight's check, not only the first; the gateway's own error answers name the one
origin, or with several the request's (a gateway response takes no choice).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from deploy.openapi_aws import as_template, aws_document
from deploy.terraform import Terraform
from ecobid_entrypoints.api.routes import ROUTES
from tests.integration.terraform.conftest import IN_CI, copy_tree

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]


def _rendered(module: Path, template: Path, origins: list[str]) -> dict:
    arns = {route.name: f"arn:aws:lambda:eu-central-1:1:function:{route.name}" for route in ROUTES}
    terraform = Terraform(module, files=module.parent / "files", required=IN_CI)
    terraform.init("-backend=false")
    variables = {
        "name": "api",
        "openapi_template": str(template),
        "function_invoke_arns": json.dumps(arns),
        "function_names": json.dumps(arns),
        "user_pool_arn": "arn:aws:cognito-idp:eu-central-1:1:userpool/x",
        "cors_origins": json.dumps(origins),
    }
    console = subprocess.run(  # noqa: S603 - terraform, our own arguments
        [
            terraform.binary,
            f"-chdir={module}",
            "console",
            *(f"-var={name}={value}" for name, value in variables.items()),
        ],
        input="local.body\n",
        capture_output=True,
        text=True,
        env=terraform.env,
        timeout=300,
        check=False,
    )
    assert console.returncode == 0, console.stderr
    # console prints the string as a heredoc or a quoted HCL string
    text = console.stdout.strip()
    if text.startswith("<<EOT"):
        text = text.split("\n", 1)[1].rsplit("\n", 1)[0]
    else:
        text = json.loads(text)
    return json.loads(text)


def test_every_allowed_origin_reaches_the_gateway(
    terraform_ready, terraform_tree: Path, tmp_path: Path
) -> None:
    module = copy_tree(terraform_tree, tmp_path / "terraform") / "modules" / "api_gateway"
    template = tmp_path / "openapi.json.tftpl"
    template.write_text(as_template(aws_document()))
    origins = ["https://app.example.org", "https://admin.example.org:8443"]
    doc = _rendered(module, template, origins)

    preflight = doc["paths"]["/items/{id}"]["options"]["x-amazon-apigateway-integration"]
    answer = preflight["responses"]["default"]
    check = answer["responseTemplates"]["application/json"]
    assert "['https://app.example.org','https://admin.example.org:8443'].contains($origin)" in check
    assert answer["responseParameters"]["method.response.header.Access-Control-Allow-Origin"] == (
        "'https://app.example.org'"
    )
    for kind, response in doc["x-amazon-apigateway-gateway-responses"].items():
        origin = response["responseParameters"][
            "gatewayresponse.header.Access-Control-Allow-Origin"
        ]
        assert origin == "method.request.header.Origin", kind

    one = _rendered(module, template, ["https://app.example.org"])
    for kind, response in one["x-amazon-apigateway-gateway-responses"].items():
        origin = response["responseParameters"][
            "gatewayresponse.header.Access-Control-Allow-Origin"
        ]
        assert origin == "'https://app.example.org'", kind
