"""Races: many writers on one record; every success is one version, nothing is lost."""

from __future__ import annotations

import threading
import time

from ecobid_core.errors import Unavailable
from ecobid_core.services.retry import with_retries
from tests.contract import builders as b
from tests.contract.conftest import Backend

WRITERS = 20


def _race(backend: Backend) -> None:
    item = b.free_item()
    with backend() as uow:
        uow.items.add(item)
        uow.commit()
    successes: list[int] = []
    start = threading.Barrier(WRITERS)

    def writer(number: int) -> None:
        def attempt() -> None:
            with backend() as uow:
                current = uow.items.get(item.id)
                assert current is not None
                current.edit("owner-1", b.NOW, title=f"writer {number}")
                uow.items.update(current)
                uow.commit()

        start.wait()
        try:
            with_retries(attempt, attempts=60, pause=time.sleep, max_delay=0.05)
            successes.append(number)
        except Unavailable:
            pass  # gave up: allowed, as long as it left no trace

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    with backend() as uow:
        stored = uow.items.get(item.id)
    assert stored is not None
    assert successes
    assert stored.version == 1 + len(successes)
    updates = [e for e in backend.outbox() if e.name == "ItemUpdated"]
    assert sorted(e.event_id for e in updates) == sorted(
        f"ItemUpdated:{item.id}:{version}" for version in range(2, 2 + len(successes))
    )
    assert stored.title in {f"writer {n}" for n in successes}


def test_threaded_read_modify_write(uow_factory: Backend) -> None:
    # On moto, each request is applied atomically as on AWS (the server's one lock).
    _race(uow_factory)
