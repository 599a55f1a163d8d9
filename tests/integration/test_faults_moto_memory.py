"""The moto backend's memory stays bounded: no copy of the table outlives its transaction.

moto's ``TransactWriteItems`` deep-copies the table for each write (to restore it on
cancellation) and moto's models were all kept in per-class lists for its dashboard, so
every copy stayed: 700 items created through the API held 7.9 GB (2 copies per item,
each as large as the table). ``stop_tracking_moto_models`` (called by ``MotoServer``)
ends that; this counts the copies directly.
"""

from __future__ import annotations

import gc
import json

from ecobid_entrypoints.local.events import proxy_event
from ecobid_entrypoints.local.moto_backend import moto_container, provision_moto
from tests.support.builders import free_item

CREATIONS = 30


def test_no_copy_of_the_table_outlives_a_transaction(moto_endpoint: str) -> None:
    from moto.dynamodb.models.table import Table

    container = moto_container(provision_moto(moto_endpoint, env="faults-memory"))
    table = container.aws_settings().table
    app = container.api()
    claims = {"sub": "memory-owner", "email": "memory-owner@example.com"}
    for _ in range(CREATIONS):
        event = proxy_event(
            "POST", "/items", {"Content-Type": "application/json"}, json.dumps(free_item()), claims
        )
        assert app.handle(event)["statusCode"] == 201
    gc.collect()
    copies = [o for o in gc.get_objects() if isinstance(o, Table) and o.name == table]
    # The live table only (before: one more per write of every transaction, 60 here).
    assert len(copies) == 1
    assert Table.instances_tracked == []
