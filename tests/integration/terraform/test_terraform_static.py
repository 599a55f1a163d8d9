"""fmt, validate and checkov on every module and the prod root (no AWS needed)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from deploy.terraform import Terraform
from tests.integration.terraform.conftest import IN_CI, copy_tree

# The session's one apply and destroy run inside the first and last test here.
pytestmark = [pytest.mark.integration, pytest.mark.timeout(1200)]

MODULES = [
    "dynamodb",
    "s3",
    "cognito",
    "lambda",
    "api_gateway",
    "eventbridge",
    "notifications",
    "failure_queue",
]
SKIPS_FILE = "checkov-skips.txt"


def test_fmt_is_clean(terraform_ready, terraform_tree: Path, tmp_path: Path) -> None:
    terraform = Terraform(terraform_tree, files=tmp_path)
    check = terraform.run("fmt", "-check", "-recursive", "-diff", check=False)
    assert check.returncode == 0, check.stdout


def validate(terraform_tree: Path, workdir: Path, root: str) -> dict:
    root_dir = copy_tree(terraform_tree, workdir / "terraform") / root
    terraform = Terraform(root_dir, files=workdir, required=IN_CI)
    # The prod root's committed lock file decides its provider, never rewritten here.
    lock = ["-lockfile=readonly"] if (root_dir / ".terraform.lock.hcl").exists() else []
    terraform.init("-backend=false", *lock)
    return json.loads(terraform.run("validate", "-json", check=False).stdout)


def test_every_module_and_the_prod_root_validate(
    terraform_ready, terraform_tree: Path, tmp_path: Path
) -> None:
    roots = [*(f"modules/{m}" for m in MODULES), "envs/prod"]
    # Loading the provider's schema dominates: validate the roots side by side.
    with ThreadPoolExecutor(max_workers=4) as pool:
        reports = dict(
            zip(
                roots,
                pool.map(lambda r: validate(terraform_tree, tmp_path / r, r), roots),
                strict=True,
            )
        )
    assert {r: report["diagnostics"] for r, report in reports.items() if not report["valid"]} == {}
    warnings = {
        r: [d for d in report["diagnostics"] if d["severity"] == "warning" and not _expected(d)]
        for r, report in reports.items()
    }
    assert {r: found for r, found in warnings.items() if found} == {}


def _expected(diagnostic: dict) -> bool:
    """The one deprecation this configuration accepts: provider 5's reset_on_delete is
    the only way to reset the account's API Gateway role on destroy (provider 6 does it
    by default and drops the argument)."""
    return diagnostic.get("address", "").endswith("aws_api_gateway_account.this") and (
        diagnostic.get("detail", "").startswith('The "reset_on_delete" attribute will be removed')
    )


def skip_list(terraform_tree: Path) -> dict[str, str]:
    """``CKV_ID  reason`` per line; '#' starts a comment."""
    skips = {}
    for line in (terraform_tree / SKIPS_FILE).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            check, _, reason = line.partition(" ")
            skips[check] = reason.strip()
    return skips


def test_every_checkov_skip_says_why(terraform_tree: Path) -> None:
    skips = skip_list(terraform_tree)
    assert skips
    assert {check: reason for check, reason in skips.items() if len(reason) < 20} == {}


def test_checkov_finds_nothing_outside_the_skip_list(terraform_tree: Path) -> None:
    skips = skip_list(terraform_tree)
    result = subprocess.run(  # noqa: S603 - checkov of this environment on our own tree
        [
            sys.executable,
            "-m",
            "checkov.main",
            "--directory",
            str(terraform_tree),
            "--framework",
            "terraform",
            "--skip-check",
            ",".join(sorted(skips)),
            "--output",
            "json",
            "--quiet",
            "--compact",
            "--skip-download",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    reports = json.loads(result.stdout or "[]")
    reports = reports if isinstance(reports, list) else [reports]
    failed = [
        f"{check['check_id']} {check['resource']} ({check['file_path']})"
        for report in reports
        for check in report.get("results", {}).get("failed_checks", [])
    ]
    assert failed == []
    passed = sum(r.get("summary", {}).get("passed", 0) for r in reports)
    assert passed > 50, result.stderr[-2000:]


def _versions(path: Path) -> tuple[str, str]:
    """``required_version`` and the AWS provider's constraint of a versions.tf."""
    text = path.read_text()
    required = re.search(r'required_version\s*=\s*"([^"]+)"', text)
    provider = re.search(r'source\s*=\s*"hashicorp/aws"\s*\n\s*version\s*=\s*"([^"]+)"', text)
    assert required and provider, path
    return required.group(1), provider.group(1)


def _floor(constraint: str) -> tuple[int, ...]:
    """The lowest version a constraint such as ">= 5.83, < 6.0" or "~> 5.100" admits."""
    floors = re.findall(r"(?:>=|~>)\s*([\d.]+)", constraint)
    assert floors, constraint
    return max(tuple(int(part) for part in floor.split(".")) for floor in floors)


#: Arguments the modules use, with the first AWS provider release that knows them (its
#: CHANGELOG): an older provider the constraint admits would refuse the configuration.
PROVIDER_FEATURES = {
    "user_pool_tier": (5, 83),  # v5.83.0: aws_cognito_user_pool.user_pool_tier
    "user_attribute_update_settings": (4, 50),  # v4.50.0
    "username_configuration": (3, 9),
}


def test_version_floors_cover_what_the_configuration_uses(terraform_tree: Path) -> None:
    roots = [terraform_tree / "modules" / m for m in MODULES] + [terraform_tree / "envs/prod"]
    for root in roots:
        required, provider = _versions(root / "versions.tf")
        # The S3 backend's use_lockfile is GA from Terraform 1.11 (experimental in 1.10):
        # https://developer.hashicorp.com/terraform/language/backend/s3
        assert _floor(required) >= (1, 11), root
        used = "\n".join(path.read_text() for path in root.glob("*.tf"))
        for feature, release in PROVIDER_FEATURES.items():
            if re.search(rf"\b{feature}\b", used):
                assert _floor(provider) >= release, f"{root.name} uses {feature}"


def test_the_prod_root_commits_its_provider_lock_file(terraform_tree: Path) -> None:
    lock = (terraform_tree / "envs/prod/.terraform.lock.hcl").read_text()
    (pinned,) = re.findall(
        r'provider "registry.terraform.io/hashicorp/aws" \{\s*version\s*=\s*"([\d.]+)"', lock
    )
    _, constraint = _versions(terraform_tree / "envs/prod/versions.tf")
    assert tuple(int(p) for p in pinned.split(".")) >= _floor(constraint)
    assert re.search(r'"h1:[A-Za-z0-9+/=]{44}"', lock)
