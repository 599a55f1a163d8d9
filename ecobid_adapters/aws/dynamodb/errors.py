"""DynamoDB failures turned into the errors the core understands.

A use case must not know botocore: a lost conditional write becomes ``ConcurrentUpdate``
(the use case retries on fresh state), and a dependency still throttled or down after the
client's own retries becomes ``Unavailable`` (a 503 the app may retry). The subclasses
name which condition failed and on which record, for logs; anything else (a malformed
request, a missing table) is a bug or a misconfiguration and is left to surface as is.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from botocore.exceptions import ClientError, ConnectionError, HTTPClientError

from ecobid_adapters.aws.failures import TRANSIENT_CODES, error_code, is_transient
from ecobid_core.errors import ConcurrentUpdate, Unavailable

T = TypeVar("T")


class RecordExists(ConcurrentUpdate):
    """An ``add`` found a record under its key: someone else created it first."""


class StaleVersion(ConcurrentUpdate):
    """An ``update`` found another version (or no record): someone else wrote first."""


class WriteConflict(ConcurrentUpdate):
    """Another transaction was changing the same record at the same moment."""


class ThrottledTransaction(Unavailable):
    """DynamoDB cancelled a transaction because one of its items was throttled."""


def call(operation: Callable[..., T], **request: Any) -> T:
    """Run one client call, translating throttling and outages into ``Unavailable``."""
    try:
        return operation(**request)
    except ClientError as error:
        code = error_code(error)
        if is_transient(error):
            raise Unavailable(f"DynamoDB {code or 'error'} after retries") from error
        if code == "TransactionConflictException":
            raise WriteConflict("a transaction was writing the same record") from error
        raise
    except (ConnectionError, HTTPClientError) as error:
        raise Unavailable(f"DynamoDB unreachable: {type(error).__name__}") from error


def condition_failed(
    label: str, old: Mapping[str, Any] | None, expected: int | None
) -> ConcurrentUpdate:
    """The named error for a failed condition, from ``ReturnValuesOnConditionCheckFailure``."""
    if expected is None:
        return RecordExists(f"{label} exists already")
    found = "no record" if not old else f"version {old.get('version', {}).get('N', '?')}"
    return StaleVersion(f"{label} changed meanwhile: expected version {expected}, found {found}")


def cancelled(
    error: ClientError, labels: Sequence[str], expected: Sequence[int | None]
) -> Exception | None:
    """Map a ``TransactionCanceledException`` through its per-write cancellation reasons.

    None when no reason is a race or throttling (a validation error: a bug).
    """
    reasons: list[dict[str, Any]] = list(error.response.get("CancellationReasons") or [])
    codes = [reason.get("Code", "None") for reason in reasons]
    for index, reason in enumerate(reasons):
        if reason.get("Code") == "ConditionalCheckFailed":
            return condition_failed(labels[index], reason.get("Item"), expected[index])
    if "TransactionConflict" in codes:
        return WriteConflict("another transaction was writing the same records")
    if any(code in TRANSIENT_CODES for code in codes):
        return ThrottledTransaction("DynamoDB throttled the transaction")
    return None
