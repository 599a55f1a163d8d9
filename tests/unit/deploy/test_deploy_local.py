"""``./dev deploy-local``'s two commands, without an apply: what each does with the state
the other leaves (the apply and destroy themselves run in tests/integration/terraform)."""

from __future__ import annotations

import json
import signal
from pathlib import Path
from typing import Any

import pytest

from deploy import local
from deploy.terraform import TerraformFailed

ENDPOINT = "http://127.0.0.1:5999"


class FakeDeployment:
    """``LocalDeployment`` that records its calls; ``destroy`` leaves ``left`` behind."""

    made: list[tuple[str, Path]] = []
    left: list[str] = []

    def __init__(
        self, endpoint: str, package_dir: Path, workdir: Path, *, files: Path | None = None
    ) -> None:
        self.made.append((endpoint, workdir))

    def destroy(self) -> list[str]:
        return list(self.left)


@pytest.fixture
def deployment(monkeypatch: pytest.MonkeyPatch) -> type[FakeDeployment]:
    FakeDeployment.made, FakeDeployment.left = [], []
    monkeypatch.setattr(local, "LocalDeployment", FakeDeployment)
    return FakeDeployment


@pytest.fixture
def killed(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    calls: list[tuple[int, int]] = []
    monkeypatch.setattr(local.os, "kill", lambda pid, sig: calls.append((pid, sig)))
    return calls


def deployed_state(tmp_path: Path, pid: int = 4242) -> Path:
    state = tmp_path / ".deploy-local"
    state.mkdir()
    (state / local.SERVER_FILE).write_text(json.dumps({"pid": pid, "endpoint": ENDPOINT}))
    (state / "terraform.tfstate").write_text("{}")
    return state


def server_answers(monkeypatch: pytest.MonkeyPatch, answers: bool) -> None:
    monkeypatch.setattr(local, "_answers", lambda endpoint: answers)


def test_destroy_with_nothing_deployed_says_so(tmp_path: Path, deployment) -> None:
    with pytest.raises(SystemExit, match="nothing deployed locally"):
        local.down(tmp_path / ".deploy-local")
    assert deployment.made == []


def test_destroy_empties_the_state_then_stops_the_recorded_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, deployment, killed
) -> None:
    state = deployed_state(tmp_path, pid=4242)
    server_answers(monkeypatch, True)
    local.down(state, tmp_path / "logs")
    assert deployment.made == [(ENDPOINT, state)]
    assert killed == [(4242, signal.SIGTERM)]
    assert not state.exists()


def test_destroy_that_leaves_something_keeps_the_server_and_the_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, deployment, killed
) -> None:
    state = deployed_state(tmp_path)
    server_answers(monkeypatch, True)
    deployment.left = ["module.s3.aws_s3_bucket.this"]
    with pytest.raises(SystemExit, match=r"left module\.s3\.aws_s3_bucket\.this"):
        local.down(state, tmp_path / "logs")
    assert killed == []
    assert (state / "terraform.tfstate").exists()


def test_destroy_after_the_server_died_only_removes_the_local_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, deployment, killed
) -> None:
    state = deployed_state(tmp_path)
    server_answers(monkeypatch, False)
    local.down(state)
    assert (deployment.made, killed) == ([], [])
    assert not state.exists()


def test_a_second_deployment_is_refused_before_anything_is_built_or_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = deployed_state(tmp_path)

    def forbidden(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("must not be called")

    monkeypatch.setattr(local, "build", forbidden)
    monkeypatch.setattr(local, "_start_moto", forbidden)
    with pytest.raises(SystemExit, match=f"already deployed at {ENDPOINT}"):
        local.up(skip_build=False, state_dir=state)


@pytest.mark.parametrize(
    ("argv", "called"),
    [([], ("up", False)), (["--skip-build"], ("up", True)), (["--destroy"], ("down",))],
)
def test_the_command_line_picks_the_command(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], called: tuple[Any, ...]
) -> None:
    calls: list[tuple[Any, ...]] = []
    monkeypatch.setattr(local, "up", lambda skip_build: calls.append(("up", skip_build)))
    monkeypatch.setattr(local, "down", lambda: calls.append(("down",)))
    local.main(argv)
    assert calls == [called]


def test_skip_build_with_destroy_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        local.main(["--destroy", "--skip-build"])
    assert exit_info.value.code == 2
    assert "--skip-build applies to a deployment" in capsys.readouterr().err


RETRIED_CREATE = """
Error: creating Lambda Function (ecobid-prod-GetUserTransactions): operation error Lambda:
CreateFunction, https response error StatusCode: 409, RequestID: 1, ResourceConflictException:
Function already exist: ecobid-prod-GetUserTransactions

  with module.lambda.aws_lambda_function.this["GetUserTransactions"],
"""


class FailingApplies:
    """A ``Terraform`` whose applies fail with the given outputs, in turn, then pass."""

    def __init__(self, *failures: str) -> None:
        self.failures = list(failures)
        self.applies = 0

    def apply(self, variables: Any) -> None:
        self.applies += 1
        if self.failures:
            raise TerraformFailed("apply", self.failures.pop(0), Path("terraform.log"))


def test_a_function_moto_refused_as_existing_is_deleted_and_the_apply_runs_once_more() -> None:
    terraform, deleted = FailingApplies(RETRIED_CREATE), []
    local.apply_retrying_conflicting_creates(terraform, {}, deleted.append)  # type: ignore[arg-type]
    assert deleted == [["ecobid-prod-GetUserTransactions"]]
    assert terraform.applies == 2


def test_another_failure_is_not_retried() -> None:
    terraform, deleted = FailingApplies("Error: creating S3 Bucket: AccessDenied"), []
    with pytest.raises(TerraformFailed, match="AccessDenied"):
        local.apply_retrying_conflicting_creates(terraform, {}, deleted.append)  # type: ignore[arg-type]
    assert (terraform.applies, deleted) == (1, [])


def test_the_apply_is_retried_once_only() -> None:
    terraform, deleted = FailingApplies(RETRIED_CREATE, RETRIED_CREATE), []
    with pytest.raises(TerraformFailed, match="Function already exist"):
        local.apply_retrying_conflicting_creates(terraform, {}, deleted.append)  # type: ignore[arg-type]
    assert terraform.applies == 2


def test_a_failed_apply_names_the_whole_log_without_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "logs" / "terraform.log"

    class FailingDeployment:
        def __init__(self, *args: Any, files: Path, **kwargs: Any) -> None:
            assert files == log.parent

        def apply(self) -> None:
            raise TerraformFailed("apply", "Error: something broke", log)

    monkeypatch.setattr(local, "LocalDeployment", FailingDeployment)
    monkeypatch.setattr(local, "_start_moto", lambda state_dir, port: (4242, ENDPOINT))
    with pytest.raises(SystemExit) as exit_info:
        local.up(True, tmp_path / ".deploy-local", log_dir=log.parent)
    message = str(exit_info.value.code)
    assert "Error: something broke" in message
    assert f"The whole log: {log}" in message
    assert "--destroy undoes what it made" in message
