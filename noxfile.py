"""Developer and CI tasks. ``./dev <session>`` runs these without a prior set-up.

Every session that runs the project shares one virtualenv, ``.nox/venv``: the project
with its test and typecheck extras (the test extra holds the local one), made and brought
up to date by the ``venv`` session, which each of them requires. A virtualenv per
session held the same packages again and again (tests, typecheck, bench and serve took
2.2 GB; the shared one is 650 MB); only lint, which needs none of them, keeps its own.
``ecobid`` itself is ``.nox/venv/bin/ecobid`` once any of them has run.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import nox

nox.options.sessions = ["lint", "typecheck", "tests"]
nox.options.reuse_existing_virtualenvs = True
nox.options.error_on_missing_interpreters = True

SHARED_EXTRAS = ".[test,typecheck]"
#: The shared virtualenv's bin directory, once the venv session has run in this nox
#: process; None when nox was told --no-venv (the commands then come from PATH).
_shared: dict[str, str | None] = {}


@nox.session(default=False)
def venv(session: nox.Session) -> None:
    """The virtualenv the other sessions share (.nox/venv); they require this session."""
    session.install("-e", SHARED_EXTRAS)
    _shared["bin"] = None if session.venv_backend == "none" else session.bin


def _run(session: nox.Session, command: str, *args: str, **kwargs: Any) -> None:
    """``command`` from the shared virtualenv, with it first on PATH as if activated."""
    bin_dir = _shared.get("bin")
    env: dict[str, str] = dict(kwargs.pop("env", None) or {})
    if bin_dir is not None:
        command = str(Path(bin_dir) / command)
        env |= _activated(bin_dir, os.environ)
    session.run(command, *args, env=env, external=True, **kwargs)


def _activated(bin_dir: str, environ: Mapping[str, str]) -> dict[str, str]:
    return {
        "PATH": os.pathsep.join([bin_dir, environ.get("PATH", "")]),
        "VIRTUAL_ENV": str(Path(bin_dir).parent),
    }


@nox.session(venv_backend="none", requires=["venv"])
def tests(session: nox.Session) -> None:
    """Unit, contract and integration tests (moto and the local server start in-process)."""
    _run(session, "pytest", *(session.posargs or ["-q"]), env={"PYTHONHASHSEED": "0"})


@nox.session
def lint(session: nox.Session) -> None:
    """ruff, and the import-linter contracts that keep the layers pointing inward."""
    session.install("-e", ".[lint]")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("lint-imports")


@nox.session(venv_backend="none", requires=["venv"])
def typecheck(session: nox.Session) -> None:
    """mypy, strict on the domain core."""
    _run(session, "mypy", "ecobid_core", "ecobid_adapters", "ecobid_entrypoints")


@nox.session(venv_backend="none", requires=["venv"])
def bench(session: nox.Session) -> None:
    """Benchmarks: one table, each figure beside a same-run baseline; writes BENCHMARKS.md.

    ``./dev bench -- search photos`` runs only those sections.
    """
    _run(session, "python", "-m", "benchmarks", *session.posargs, env={"PYTHONHASHSEED": "0"})


@nox.session(venv_backend="none", requires=["venv"])
def serve(session: nox.Session) -> None:
    """The local server with demo data on the in-memory backend (Ctrl-C stops it).

    Arguments after ``--`` go to ``ecobid serve``: ``./dev serve -- --backend moto``.
    """
    args = session.posargs or ["--port", os.environ.get("ECOBID_PORT", "8080")]
    # SIGTERM to nox would end nox alone and leave the server running. As an interrupt,
    # nox stops its child: it waits (Ctrl-C reached the server too), then sends SIGTERM,
    # on which `ecobid serve` closes what it started, and only then SIGKILL.
    signal.signal(signal.SIGTERM, _interrupt)
    _run(session, "ecobid", "serve", *args, interrupt_timeout=3.0, terminate_timeout=10.0)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@nox.session(venv_backend="none", requires=["venv"])
def cost(session: nox.Session) -> None:
    """The monthly AWS bill for a usage profile: ``./dev cost -- --mau 100 --mau 10000``.

    Arguments after ``--`` go to ``ecobid cost`` (``--profile FILE``, ``--format``).
    """
    _run(session, "ecobid", "cost", *session.posargs)


@nox.session(venv_backend="none", requires=["venv"])
def package(session: nox.Session) -> None:
    """Lambda artifacts in dist/lambda/: code zip, dependency layers for the Lambda
    runtime (python3.12, arm64), manifest.json, and what Terraform reads from the code."""
    # The shared virtualenv has everything, so each layer is pinned to the versions the
    # tests ran with.
    _run(session, "python", "-m", "deploy.package", *session.posargs)


@nox.session(name="deploy-local", venv_backend="none", requires=["venv"])
def deploy_local(session: nox.Session) -> None:
    """Build, start a moto server, apply terraform/envs/prod to it, print the API.

    ``./dev deploy-local -- --destroy`` destroys it and stops the server;
    ``-- --skip-build`` reuses dist/lambda.
    """
    _run(session, "python", "-m", "deploy.local", *session.posargs)
