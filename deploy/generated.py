"""What Terraform reads from the code, generated so the two cannot drift apart.

- ``table.json``: the table's keys, indexes, TTL attribute and stream view, from the
  adapter's schema module.
- ``openapi.json.tftpl``: the API's own OpenAPI document with API Gateway's extensions
  (see ``deploy.openapi_aws``), a Terraform template whose variables are each function's
  invoke ARN, the user pool's ARN and the allowed CORS origins in the three forms the
  document needs (``deploy.openapi_aws.TEMPLATE_VARIABLES``).

``python -m deploy.generated OUT_DIR`` writes both.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from deploy.openapi_aws import as_template, aws_document
from deploy.openapi_checks import import_limits
from ecobid_adapters.aws.dynamodb import schema

TABLE_JSON = "table.json"
OPENAPI_TEMPLATE = "openapi.json.tftpl"


def table() -> dict[str, Any]:
    """The table as Terraform declares it (names are Terraform's: hash_key, range_key)."""
    definition = schema.table_definition("unused")
    key = {entry["KeyType"]: entry["AttributeName"] for entry in definition["KeySchema"]}
    return {
        "hash_key": key["HASH"],
        "range_key": key["RANGE"],
        "attributes": {
            entry["AttributeName"]: entry["AttributeType"]
            for entry in definition["AttributeDefinitions"]
        },
        "global_secondary_indexes": {
            index["IndexName"]: {
                "hash_key": _key(index["KeySchema"], "HASH"),
                "range_key": _key(index["KeySchema"], "RANGE"),
                "projection_type": index["Projection"]["ProjectionType"],
                "non_key_attributes": index["Projection"].get("NonKeyAttributes", []),
            }
            for index in definition.get("GlobalSecondaryIndexes", [])
        },
        "ttl_attribute": schema.TTL_ATTRIBUTE,
        "stream_view_type": definition["StreamSpecification"]["StreamViewType"],
    }


def _key(key_schema: list[dict[str, str]], kind: str) -> str | None:
    return next((k["AttributeName"] for k in key_schema if k["KeyType"] == kind), None)


class ImportLimitsBroken(Exception):
    """The document breaks what API Gateway documents it imports (``deploy.openapi_checks``)."""


def write(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / TABLE_JSON).write_text(json.dumps(table(), indent=2, sort_keys=True) + "\n")
    doc = aws_document()
    # A package never carries a document AWS would refuse or read otherwise than meant,
    # whatever the tests ran; the spec validator itself is a test dependency.
    found = import_limits(doc)
    if found:
        raise ImportLimitsBroken("; ".join(found))
    (out_dir / OPENAPI_TEMPLATE).write_text(as_template(doc))


if __name__ == "__main__":
    write(Path(sys.argv[1]))
