"""DynamoDB single-table adapters: every repository and the unit of work."""

from ecobid_adapters.aws.dynamodb.outbox import event_from_stream_image, read_outbox
from ecobid_adapters.aws.dynamodb.schema import create_table, table_name
from ecobid_adapters.aws.dynamodb.unit_of_work import DynamoUnitOfWork

__all__ = [
    "DynamoUnitOfWork",
    "create_table",
    "event_from_stream_image",
    "read_outbox",
    "table_name",
]
