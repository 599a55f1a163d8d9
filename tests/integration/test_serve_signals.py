"""Ctrl-C (SIGINT) or SIGTERM stops `ecobid serve` and everything it started, directly
or through the `./dev serve` chain (bash exec -> nox -> ecobid serve)."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
URL = re.compile(r"http://127\.0\.0\.1:(\d+)")


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            child = int(stat.parent.name)
            found |= {child} | _children(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _port_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _start(
    command: list[str], env: dict[str, str] | None = None, *, sigint_ignored: bool = False
) -> tuple[subprocess.Popen, list]:
    process = subprocess.Popen(  # noqa: S603 - our own commands
        command,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        start_new_session=True,  # a signal to the test's group never reaches it
        # As a shell without job control starts a background job (`./dev tests &`).
        preexec_fn=_ignore_sigint if sigint_ignored else None,
    )
    assert process.stdout is not None
    ports = []
    lines = []
    for line in iter(process.stdout.readline, ""):
        lines.append(line)
        ports += [int(p) for p in URL.findall(line)]
        if line.startswith("EcoBid listening"):
            return process, ports
    pytest.fail(f"never listened: {''.join(lines)}")


def _stops_everything(process: subprocess.Popen, ports: list[int], signum: int) -> str:
    tree = {process.pid} | _children(process.pid)
    assert len(tree) >= 1
    process.send_signal(signum)
    try:
        output, _ = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        pytest.fail("did not stop within 30 s")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in tree):
        time.sleep(0.1)
    assert [pid for pid in tree if _alive(pid)] == []
    assert all(_port_free(port) for port in ports), ports
    assert "Traceback" not in output
    return output


def _serve(*args: str) -> list[str]:
    return [sys.executable, "-m", "ecobid_entrypoints.local.cli", "serve", "--port", "0", *args]


@pytest.mark.parametrize(
    ("signum", "sigint_ignored"),
    [
        pytest.param(signal.SIGTERM, False, id="SIGTERM"),
        pytest.param(signal.SIGINT, False, id="SIGINT"),
        # What failed only in some launches: the suite run in the background of a shell
        # without job control, where every child starts with SIGINT ignored.
        pytest.param(signal.SIGINT, True, id="SIGINT-inherited-ignored"),
    ],
)
def test_ecobid_serve_on_moto_stops_with_its_moto_server(signum, sigint_ignored):
    process, ports = _start(
        _serve("--backend", "moto", "--no-demo", "--log-level", "WARNING"),
        sigint_ignored=sigint_ignored,
    )
    assert len(ports) == 2  # the moto server's and the API's
    _stops_everything(process, ports, signum)
    assert process.returncode == 0


def test_sigterm_to_dev_serve_stops_nox_and_the_server_it_started():
    # The real chain, on the test's own environment (no venv made or installed into).
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    process, ports = _start(
        ["./dev", "serve", "--no-venv", "--no-install", "--", "--port", "0", "--no-demo"], env
    )
    assert _children(process.pid), "nox runs ecobid serve as its child"
    _stops_everything(process, ports, signal.SIGTERM)
