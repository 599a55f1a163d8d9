"""Finding the offline provider mirror at run time, never at a hard-coded path."""

from __future__ import annotations

from pathlib import Path

import pytest

from deploy.terraform import MIRROR_ENV, ToolMissing, cli_config, find_mirror


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
