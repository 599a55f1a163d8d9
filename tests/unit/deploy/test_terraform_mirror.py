"""Finding the offline provider mirror at run time, never at a hard-coded path."""

from __future__ import annotations

from pathlib import Path

import pytest

from deploy import terraform
from deploy.terraform import (
    MIRROR_ENV,
    Terraform,
    TerraformFailed,
    ToolMissing,
    cli_config,
    find_mirror,
)


def mirror(root: Path) -> Path:
    (root / "registry.terraform.io/hashicorp/aws/5.100.0/linux_amd64").mkdir(parents=True)
    return root


def test_the_environment_variable_names_the_mirror(tmp_path: Path) -> None:
    root = mirror(tmp_path / "plugins")
    assert find_mirror({MIRROR_ENV: str(root)}) == root


def test_a_named_folder_without_the_provider_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ToolMissing, match=MIRROR_ENV):
        find_mirror({MIRROR_ENV: str(tmp_path)})


def test_the_cli_config_installs_from_the_mirror_only(tmp_path: Path) -> None:
    root = mirror(tmp_path / "plugins")
    text = cli_config(root, tmp_path).read_text()
    assert "filesystem_mirror" in text
    assert f'path = "{root}"' in text


def test_in_ci_a_missing_terraform_fails_the_tests(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.integration.terraform import conftest

    monkeypatch.setenv("PATH", "")
    monkeypatch.setattr(conftest, "IN_CI", True)
    with pytest.raises(pytest.fail.Exception, match="CI needs Terraform"):
        conftest.require_terraform()


def test_in_ci_a_missing_mirror_fails_the_tests(tmp_path: Path, monkeypatch) -> None:
    from tests.integration.terraform import conftest

    monkeypatch.setattr(conftest, "IN_CI", True)
    monkeypatch.setattr(conftest, "find_mirror", lambda: None)
    monkeypatch.setattr(conftest, "terraform_binary", lambda: "/usr/bin/terraform")
    with pytest.raises(pytest.fail.Exception, match="mirror"):
        conftest.require_terraform()


def test_every_command_s_whole_output_goes_to_the_log_in_the_folder_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A stand-in for terraform that fails with more output than an error message holds.
    fake = tmp_path / "terraform"
    fake.write_text("#!/bin/sh\necho first-line\nyes filler | head -n 2000\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setattr(terraform, "terraform_binary", lambda: str(fake))
    monkeypatch.setattr(terraform, "find_mirror", lambda: mirror(tmp_path / "plugins"))
    files = tmp_path / "files"
    with pytest.raises(TerraformFailed) as failed:
        Terraform(tmp_path, files=files).run("apply", "-no-color")
    log = files / "terraform.log"
    assert failed.value.log == log
    assert f"full log: {log}" in str(failed.value)
    assert "first-line" not in str(failed.value)
    assert "first-line" in log.read_text()
    assert "$ terraform apply -no-color  (exit 3)" in log.read_text()
    assert sorted(p.name for p in files.iterdir()) == ["terraform.log", "terraform.rc"]
