"""table.json, which Terraform builds the table from, is the adapter's schema module."""

from __future__ import annotations

import json

from deploy import generated
from ecobid_adapters.aws.dynamodb import schema


def test_the_generated_table_is_the_schema_modules(tmp_path) -> None:
    generated.write(tmp_path)
    table = json.loads((tmp_path / generated.TABLE_JSON).read_text())
    assert (table["hash_key"], table["range_key"]) == (schema.PK, schema.SK)
    assert {
        name: (index["hash_key"], index["range_key"])
        for name, index in table["global_secondary_indexes"].items()
    } == dict(schema.INDEXES)
    definition = schema.table_definition("any")
    assert table["attributes"] == {
        a["AttributeName"]: a["AttributeType"] for a in definition["AttributeDefinitions"]
    }
    assert table["ttl_attribute"] == schema.TTL_ATTRIBUTE
    assert table["stream_view_type"] == schema.STREAM_VIEW
