"""ProcessImageUpload: S3 ``ObjectCreated`` records in, photos ``ready`` or ``rejected`` out.

S3 invokes the function asynchronously, at least once per object; Lambda retries a
failed invocation twice and then hands it to the failure destination, so nothing is
retried forever. Every record of a batch gets its turn:

- a record that is not an upload's (not S3's shape, not an original's key) is logged and
  dropped: no retry can mend it;
- an upload whose item, image or object is gone is logged and dropped likewise;
- a failure a retry may mend (a dependency down, a bug) is logged with its traceback, the
  other records are still processed, and then the invocation fails so that Lambda
  retries it: processing is idempotent, so what was done is skipped the second time.

The local server builds the same event (``object_created_event``) for the same function.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote_plus, unquote_plus

from ecobid_adapters.images.keys import ORIGINAL, parse_image_key
from ecobid_core.services.images import ImagePorts, Outcome, process_upload

log = logging.getLogger("ecobid.images")


class RetryLater(Exception):
    """Some records failed in a way a retry may mend; names how many, nothing else."""


def process_image_upload(event: Mapping[str, Any], ports: ImagePorts) -> dict[str, int]:
    """Process each record of an S3 event; returns how many ended which way."""
    tally: Counter[str] = Counter()
    records = event.get("Records")
    if not isinstance(records, list):
        log.error("dropped an event without a list of Records")
        return {"dropped": 1}
    for index, record in enumerate(records):
        try:
            key = _object_key(record)
            item_id, image_id, variant = parse_image_key(key)
        except (KeyError, TypeError, ValueError) as error:
            log.error("dropped record %d: not an upload (%s)", index, error)
            tally["dropped"] += 1
            continue
        if variant != ORIGINAL:
            tally["ignored"] += 1  # the pipeline's own variants: nothing to process
            continue
        try:
            outcome = process_upload(item_id, image_id, ports)
        except Exception:
            log.exception("processing %s failed; the invocation will be retried", key)
            tally["failed"] += 1
            continue
        if outcome is Outcome.GONE:
            log.warning("dropped %s: its item, image or object is gone", key)
        else:
            log.info("processed %s: %s", key, outcome.value)
        tally[outcome.value] += 1
    if tally["failed"]:
        raise RetryLater(f"{tally['failed']} of {len(records)} records failed")
    return dict(tally)


def _object_key(record: Any) -> str:
    if not isinstance(record, Mapping) or record.get("eventSource") != "aws:s3":
        raise ValueError("not an S3 record")
    if not str(record.get("eventName", "")).startswith("ObjectCreated:"):
        raise ValueError(f"not an ObjectCreated record: {record.get('eventName')!r}")
    # S3 sends the key URL-encoded, spaces as '+'.
    key = record["s3"]["object"]["key"]
    if not isinstance(key, str):
        raise TypeError("the object key is not text")
    return unquote_plus(key)


def object_created_event(
    bucket: str, key: str, size: int, etag: str, region: str = "eu-central-1"
) -> dict[str, Any]:
    """The event S3 sends for a POST upload (notification structure version 2.1)."""
    now = datetime.now(UTC)
    return {
        "Records": [
            {
                "eventVersion": "2.1",
                "eventSource": "aws:s3",
                "awsRegion": region,
                "eventTime": now.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
                "eventName": "ObjectCreated:Post",
                "userIdentity": {"principalId": "ecobid-app"},
                "requestParameters": {"sourceIPAddress": "127.0.0.1"},
                "responseElements": {"x-amz-request-id": "local", "x-amz-id-2": "local"},
                "s3": {
                    "s3SchemaVersion": "1.0",
                    "configurationId": "ProcessImageUpload",
                    "bucket": {
                        "name": bucket,
                        "ownerIdentity": {"principalId": "ecobid"},
                        "arn": f"arn:aws:s3:::{bucket}",
                    },
                    "object": {
                        "key": quote_plus(key, safe="/"),
                        "size": size,
                        "eTag": etag.strip('"'),
                        "sequencer": f"{int(now.timestamp() * 1e6):016X}",
                    },
                },
            }
        ]
    }
