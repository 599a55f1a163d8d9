"""fmt, validate and checkov on every module and the prod root (no AWS needed)."""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from deploy.terraform import Terraform
from tests.integration.terraform.conftest import IN_CI, copy_tree

# The session's one apply and destroy run inside the first and last test here.
pytestmark = [pytest.mark.integration, pytest.mark.timeout(1200)]

MODULES = ["dynamodb", "s3", "cognito", "lambda", "api_gateway", "eventbridge", "notifications"]
SKIPS_FILE = "checkov-skips.txt"


def test_fmt_is_clean(terraform_ready, terraform_tree: Path, tmp_path: Path) -> None:
    terraform = Terraform(terraform_tree, files=tmp_path)
    check = terraform.run("fmt", "-check", "-recursive", "-diff", check=False)
    assert check.returncode == 0, check.stdout


def validate(terraform_tree: Path, workdir: Path, root: str) -> dict:
    root_dir = copy_tree(terraform_tree, workdir / "terraform") / root
    terraform = Terraform(root_dir, files=workdir, required=IN_CI)
    terraform.init("-backend=false")
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
    assert {
        r: report["warning_count"] for r, report in reports.items() if report["warning_count"]
    } == {}


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
