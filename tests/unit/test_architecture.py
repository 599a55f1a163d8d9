"""The dependency rule: entrypoints -> adapters -> core, and a core free of frameworks."""

from __future__ import annotations

import ast
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from importlinter import cli

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN_IN_CORE = {
    "boto3",
    "botocore",
    "cattrs",
    "dependency_injector",
    "PIL",
    "jwt",
    "jsonschema",
    "fastjsonschema",
    "ecobid_adapters",
    "ecobid_entrypoints",
    "http",
    "urllib",
    "socket",
    "requests",
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize(
    "path", sorted((ROOT / "ecobid_core").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT))
)
def test_core_imports_nothing_outward(path: Path):
    assert not _imports(path) & FORBIDDEN_IN_CORE


def test_adapters_never_import_entrypoints_or_the_container_library():
    for path in (ROOT / "ecobid_adapters").rglob("*.py"):
        assert not _imports(path) & {"ecobid_entrypoints", "dependency_injector"}, path


@pytest.fixture
def loggers_kept_enabled() -> Iterator[None]:
    # import-linter configures logging with dictConfig, which disables every logger that
    # exists already: a later test's caplog would then see nothing from them.
    loggers = [
        logger
        for logger in logging.root.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    was = {logger: logger.disabled for logger in loggers}
    yield
    for logger, disabled in was.items():
        logger.disabled = disabled


@pytest.mark.usefixtures("loggers_kept_enabled")
def test_import_linter_contracts_hold():
    # Runs the same contracts as `nox -s lint`, so a plain test run catches them too.
    assert cli.lint_imports(config_filename=str(ROOT / "pyproject.toml")) == 0


def test_the_checker_sees_an_outward_import(tmp_path: Path):
    bad = tmp_path / "bad.py"
    bad.write_text("import boto3\nfrom ecobid_adapters.memory import MemoryStore\n")
    assert _imports(bad) & FORBIDDEN_IN_CORE == {"boto3", "ecobid_adapters"}
