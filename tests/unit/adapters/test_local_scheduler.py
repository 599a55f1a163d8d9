"""The local scheduler: due times kept, and what is due fired once, oldest first."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

import pytest

from ecobid_adapters.memory.scheduler import LocalScheduler

T0 = datetime(2030, 1, 1, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.at = T0

    def now(self) -> datetime:
        return self.at


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def fired() -> list[str]:
    return []


@pytest.fixture
def scheduler(clock: Clock, fired: list[str]) -> LocalScheduler:
    local = LocalScheduler(clock)
    local.register("Job", lambda payload: fired.append(payload["id"]))
    return local


def test_only_what_is_due_fires_oldest_first_and_once(
    scheduler: LocalScheduler, clock: Clock, fired: list[str]
) -> None:
    scheduler.schedule("late", T0 + timedelta(minutes=3), "Job", {"id": "late"})
    scheduler.schedule("early", T0 + timedelta(minutes=1), "Job", {"id": "early"})
    scheduler.schedule("later", T0 + timedelta(hours=1), "Job", {"id": "later"})
    assert scheduler.fire_due() == 0
    clock.at = T0 + timedelta(minutes=3)
    assert scheduler.fire_due() == 2
    assert scheduler.fire_due() == 0
    assert fired == ["early", "late"]
    assert scheduler.pending("late") is None
    assert scheduler.pending("later") is not None


def test_the_same_name_moves_the_schedule_and_cancel_is_idempotent(
    scheduler: LocalScheduler, clock: Clock, fired: list[str]
) -> None:
    scheduler.schedule("a", T0 + timedelta(minutes=1), "Job", {"id": "first"})
    scheduler.schedule("a", T0 + timedelta(minutes=5), "Job", {"id": "moved"})
    clock.at = T0 + timedelta(minutes=2)
    assert scheduler.fire_due() == 0
    clock.at = T0 + timedelta(minutes=5)
    assert scheduler.fire_due() == 1
    assert fired == ["moved"]
    scheduler.schedule("b", T0, "Job", {"id": "b"})
    scheduler.cancel("b")
    scheduler.cancel("b")
    assert scheduler.fire_due() == 0


def test_a_target_may_schedule_again_and_a_failure_spares_the_rest(
    scheduler: LocalScheduler, clock: Clock, fired: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    def again(payload: Mapping[str, str]) -> None:
        scheduler.schedule("again", T0 + timedelta(hours=1), "Again", payload)

    def broken(payload: Mapping[str, str]) -> None:
        raise RuntimeError("secret detail")

    scheduler.register("Again", again)
    scheduler.register("Broken", broken)
    scheduler.schedule("again", T0, "Again", {"id": "x"})
    scheduler.schedule("broken", T0, "Broken", {"id": "y"})
    scheduler.schedule("ok", T0 + timedelta(seconds=1), "Job", {"id": "ok"})
    clock.at = T0 + timedelta(seconds=1)
    assert scheduler.fire_due() == 3
    assert fired == ["ok"]
    entry = scheduler.pending("again")
    assert entry is not None and entry.at == T0 + timedelta(hours=1)
    assert "schedule broken failed: RuntimeError" in caplog.text
    assert "secret detail" not in caplog.text


def test_an_unknown_target_is_refused(scheduler: LocalScheduler) -> None:
    with pytest.raises(LookupError):
        scheduler.schedule("a", T0, "Nobody", {})
