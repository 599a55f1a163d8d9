"""Which AWS failures are worth retrying later, and turning them into ``Unavailable``.

botocore's standard retry mode has already retried throttling and 5xx answers by the time
an error reaches an adapter, so what is left is either a dependency that stayed down
(``Unavailable``: the API answers 503, a processor lets the event be redelivered) or a
bug in the request, which must surface as itself rather than hide behind a 503.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from botocore.exceptions import BotoCoreError, ClientError

from ecobid_core.errors import Unavailable

#: The one list of AWS error codes worth retrying later, for every adapter (DynamoDB's
#: included). It is the union of what the services answer: a capacity or rate limit
#: (throttling), or a failure on the service's side. Two names exist only as a cancelled
#: DynamoDB transaction's per-write ``CancellationReasons`` codes, which are shorter than
#: the error codes of the same conditions.
TRANSIENT_CODES = frozenset(
    {
        # Throttled, as an error code (botocore's standard retry mode retries these too).
        "ProvisionedThroughputExceededException",
        "RequestLimitExceeded",
        "SlowDown",
        "ThrottledException",
        "Throttling",
        "ThrottlingException",
        "TooManyRequestsException",
        # Throttled, as a cancellation reason of TransactWriteItems.
        "ProvisionedThroughputExceeded",
        "ThrottlingError",
        # The service failed or timed out on its side.
        "InternalError",
        "InternalFailure",
        "InternalServerError",
        "RequestTimeout",
        "ServiceUnavailable",
    }
)


def error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def is_transient(error: BaseException) -> bool:
    if isinstance(error, ClientError):
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        return error_code(error) in TRANSIENT_CODES or int(status or 0) >= 500
    # Connection failures, timeouts and the like: the request may never have arrived.
    return isinstance(error, BotoCoreError)


@contextmanager
def unavailable_when_transient(what: str) -> Iterator[None]:
    """Re-raise a transient failure of ``what`` as ``Unavailable``, without AWS details."""
    try:
        yield
    except (BotoCoreError, ClientError) as error:
        if is_transient(error):
            raise Unavailable(f"{what} is unavailable") from error
        raise
