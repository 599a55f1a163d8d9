"""The local moto server answers one request at a time, as DynamoDB applies each atomically."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from ecobid_entrypoints.local.moto_backend import OneRequestAtATime


class _Recording:
    def __init__(self) -> None:
        self.inside = 0
        self.most = 0
        self.closed = 0
        self._count = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        with self._count:
            self.inside += 1
            self.most = max(self.most, self.inside)
        time.sleep(0.01)  # long enough for the other threads to arrive meanwhile
        start_response("200 OK", [])
        app = self

        class Body:
            def __iter__(self) -> Any:
                with app._count:
                    app.inside -= 1
                yield b"done"

            def close(self) -> None:
                app.closed += 1

        return Body()


def test_requests_from_many_threads_reach_moto_one_at_a_time() -> None:
    moto = _Recording()
    app = OneRequestAtATime(moto)
    with ThreadPoolExecutor(max_workers=8) as pool:
        bodies = list(pool.map(lambda _: app({}, lambda *_: None), range(16)))
    assert bodies == [[b"done"]] * 16
    assert moto.most == 1
    assert moto.closed == 16  # each response's close() still runs
