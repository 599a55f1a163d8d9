"""Developer and CI tasks. ``./dev <session>`` runs these without a prior set-up."""

from __future__ import annotations

import os
import signal

import nox

nox.options.sessions = ["lint", "typecheck", "tests"]
nox.options.reuse_existing_virtualenvs = True
nox.options.error_on_missing_interpreters = True

TEST_PACKAGES = ".[test]"


@nox.session
def tests(session: nox.Session) -> None:
    """Unit, contract and integration tests (moto and the local server start in-process)."""
    session.install("-e", TEST_PACKAGES)
    session.run("pytest", *(session.posargs or ["-q"]), env={"PYTHONHASHSEED": "0"})


@nox.session
def lint(session: nox.Session) -> None:
    """ruff, and the import-linter contracts that keep the layers pointing inward."""
    session.install("-e", ".[lint]")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("lint-imports")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy, strict on the domain core."""
    session.install("-e", ".[typecheck,test]")
    session.run("mypy", "ecobid_core", "ecobid_adapters", "ecobid_entrypoints")


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks: one table, each figure beside a same-run baseline; writes BENCHMARKS.md.

    ``./dev bench -- search photos`` runs only those sections.
    """
    session.install("-e", TEST_PACKAGES)
    session.run("python", "-m", "benchmarks", *session.posargs, env={"PYTHONHASHSEED": "0"})


@nox.session
def serve(session: nox.Session) -> None:
    """The local server with demo data on the in-memory backend (Ctrl-C stops it).

    Arguments after ``--`` go to ``ecobid serve``: ``./dev serve -- --backend moto``.
    """
    session.install("-e", ".[local]")
    args = session.posargs or ["--port", os.environ.get("ECOBID_PORT", "8080")]
    # SIGTERM to nox would end nox alone and leave the server running. As an interrupt,
    # nox stops its child: it waits (Ctrl-C reached the server too), then sends SIGTERM,
    # on which `ecobid serve` closes what it started, and only then SIGKILL.
    signal.signal(signal.SIGTERM, _interrupt)
    session.run("ecobid", "serve", *args, interrupt_timeout=3.0, terminate_timeout=10.0)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@nox.session
def package(session: nox.Session) -> None:
    """Lambda artifacts in dist/lambda/: code zip, dependency layers for the Lambda
    runtime (python3.12, arm64), manifest.json, and what Terraform reads from the code."""
    # Everything, so each layer is pinned to the versions the tests ran with.
    session.install("-e", ".[local]")
    session.run("python", "-m", "deploy.package", *session.posargs)


@nox.session(name="deploy-local")
def deploy_local(session: nox.Session) -> None:
    """Build, start a moto server, apply terraform/envs/prod to it, print the API.

    ``./dev deploy-local -- --destroy`` destroys it and stops the server;
    ``-- --skip-build`` reuses dist/lambda.
    """
    session.install("-e", ".[local]")
    session.run("python", "-m", "deploy.local", *session.posargs)
