"""``ecobid serve`` fires the local schedules as real time makes them due, too."""

from __future__ import annotations

import threading

from ecobid_entrypoints.container import build_container
from ecobid_entrypoints.local.server import LocalServer


def test_the_server_fires_what_real_time_made_due() -> None:
    container = build_container("memory")
    scheduler = container.local_scheduler()
    fired = threading.Event()
    scheduler.register("Probe", lambda payload: fired.set())
    scheduler.schedule("probe", container.clock().now(), "Probe", {})
    server = LocalServer(container, "127.0.0.1", 0).start()
    try:
        server.fire_schedules_every(0.01)
        assert fired.wait(5)
        assert scheduler.pending("probe") is None
    finally:
        server.stop()


def test_a_backend_without_local_schedules_starts_no_ticks() -> None:
    container = build_container("memory")
    container.due_schedules.override(None)
    server = LocalServer(container, "127.0.0.1", 0).start()
    names = {thread.name for thread in threading.enumerate()}
    server.fire_schedules_every(0.01)
    assert "local-schedules" not in {t.name for t in threading.enumerate()} - names
    server.stop()
