"""``pip install ecobid`` alone: the domain and its memory adapters, nothing heavier.

Another tool that reuses the rules must not pull in boto3, Pillow, moto or the wiring.
The package is installed from this checkout into a fresh virtualenv, without extras,
and a whole gift (list, reserve, confirm) runs there on the memory adapters.
"""

from __future__ import annotations

import subprocess
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCENARIO = """
import importlib.util, json
from datetime import timedelta
from ecobid_adapters.memory import MemoryStore, MemoryUnitOfWork
from ecobid_adapters.system import SystemClock, UuidIds
from ecobid_core.model.values import Location
from ecobid_core.services import items, reservations

store, clock, ids = MemoryStore(), SystemClock(), UuidIds()
uow = lambda: MemoryUnitOfWork(store)
cmd = items.CreateItem(owner_id="giver", title="Oak chair", description="",
                       category="furniture", location=Location(52.52, 13.405))
item = items.create_item(cmd, uow(), clock, ids)
held = reservations.reserve_item(item.id, "taker", uow(), clock, ids, timedelta(hours=24))
done = reservations.confirm_reservation(held.id, "giver", uow(), clock)
after = items.get_item(item.id, "giver", uow())
heavy = [m for m in ("boto3", "botocore", "cattrs", "dependency_injector", "PIL", "jwt",
                     "jsonschema", "fastjsonschema", "moto")
         if importlib.util.find_spec(m) is not None]
print(json.dumps({"status": after.status.value, "kind": done.transaction.kind.value,
                  "buyer": done.transaction.buyer_id, "heavy": heavy}))
"""


@pytest.mark.integration
def test_the_bare_package_runs_a_gift_on_the_memory_adapters(tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    install = subprocess.run(  # noqa: S603 - the venv we just made, our own checkout
        [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert install.returncode == 0, install.stderr[-2000:]
    run = subprocess.run(  # noqa: S603 - the venv we just made, a fixed script
        [python, "-c", SCENARIO], capture_output=True, text=True, timeout=120, cwd=tmp_path
    )
    assert run.returncode == 0, run.stderr[-2000:]
    outcome = run.stdout.strip().splitlines()[-1]
    assert outcome == ('{"status": "given", "kind": "gift", "buyer": "taker", "heavy": []}'), (
        outcome
    )
